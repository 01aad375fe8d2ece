package dev.seedling.tokenizer.chat.internal;

import java.util.Locale;

/** Equality and ordering of values, as the reference defines them (JavaScript {@code ==}, {@code ===}). */
final class Equality {
    private Equality() {}

    /**
     * {@code ==}: numbers and booleans by numeric value, strings by content, none equals undefined, lists and
     * mappings by identity. Unlike the reference (JavaScript {@code ==}), a string never equals a number or a boolean,
     * as in Python: Llama 2's template tests {@code system_message != false} with an empty system message.
     */
    static boolean loose(Value a, Value b) {
        if (isNullish(a) || isNullish(b)) return isNullish(a) && isNullish(b);
        if (a instanceof Value.Str sa && b instanceof Value.Str sb) return sa.value().equals(sb.value());
        boolean na = isNumberLike(a), nb = isNumberLike(b);
        if (na && nb) return number(a) == number(b);
        return a == b;
    }

    /** {@code ===}: same kind and same value (integers and floats are one kind, as in JavaScript). */
    static boolean strict(Value a, Value b) {
        if (a instanceof Value.Str sa) return b instanceof Value.Str sb && sa.value().equals(sb.value());
        if ((a instanceof Value.Int || a instanceof Value.Flt) && (b instanceof Value.Int || b instanceof Value.Flt))
            return number(a) == number(b);
        if (a instanceof Value.Bool ba) return b instanceof Value.Bool bb && ba.value() == bb.value();
        return a == b;
    }

    private static boolean isNullish(Value v) {
        return v instanceof Value.Null || v instanceof Value.Undefined;
    }

    private static boolean isNumberLike(Value v) {
        return v instanceof Value.Int || v instanceof Value.Flt || v instanceof Value.Bool;
    }

    static double number(Value v) {
        return switch (v) {
            case Value.Int i -> i.value();
            case Value.Flt f -> f.value();
            case Value.Bool b -> b.value() ? 1 : 0;
            default -> Double.NaN;
        };
    }

    /** Sorting order of the {@code sort} and {@code dictsort} filters: numbers with numbers, strings with strings. */
    static int compare(Value a, Value b, boolean caseSensitive) {
        if (a instanceof Value.Null && b instanceof Value.Null) return 0;
        if (a instanceof Value.Undefined && b instanceof Value.Undefined) return 0;
        if (isNullish(a) || isNullish(b))
            throw new JinjaException("Cannot compare " + Value.typeName(a) + " with " + Value.typeName(b));
        if (isNumberLike(a) && isNumberLike(b)) {
            double x = number(a), y = number(b);
            return x < y ? -1 : x > y ? 1 : 0;
        }
        if (a instanceof Value.Str sa && b instanceof Value.Str sb) {
            String x = sa.value(), y = sb.value();
            if (!caseSensitive) {
                x = x.toLowerCase(Locale.ROOT);
                y = y.toLowerCase(Locale.ROOT);
            }
            int c = x.compareTo(y);
            return Integer.signum(c);
        }
        if (!Value.typeName(a).equals(Value.typeName(b)))
            throw new JinjaException("Cannot compare different types: " + Value.typeName(a) + " and " + Value.typeName(b));
        throw new JinjaException("Cannot compare type: " + Value.typeName(a));
    }
}
