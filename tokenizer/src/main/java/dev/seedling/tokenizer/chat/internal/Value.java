package dev.seedling.tokenizer.chat.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A runtime value of the Jinja interpreter. The kinds and their printing follow {@code @huggingface/jinja} (the
 * reference the golden tests compare with): numbers print like JavaScript numbers, {@code true}/{@code false} in
 * lower case, {@code none} and undefined print nothing, lists and mappings print as JSON.
 *
 * <p>Lists and mappings keep their identity: {@code ==} on them compares references, as in the reference.
 */
public sealed interface Value {
    record Int(long value) implements Value {}

    record Flt(double value) implements Value {}

    record Str(String value) implements Value {}

    record Bool(boolean value) implements Value {
        static final Bool TRUE = new Bool(true), FALSE = new Bool(false);

        static Bool of(boolean b) {
            return b ? TRUE : FALSE;
        }
    }

    /** A list; {@code tuple} marks tuple literals (printed and handled like lists). Identity-compared. */
    final class Arr implements Value {
        final List<Value> items;
        final boolean tuple;

        Arr(List<Value> items) {
            this(items, false);
        }

        Arr(List<Value> items, boolean tuple) {
            this.items = items;
            this.tuple = tuple;
        }
    }

    /** A mapping with string keys in insertion order; {@code kwargs} marks keyword arguments of a call. */
    final class Obj implements Value {
        final LinkedHashMap<String, Value> map;
        final boolean kwargs;

        Obj(LinkedHashMap<String, Value> map) {
            this(map, false);
        }

        Obj(LinkedHashMap<String, Value> map, boolean kwargs) {
            this.map = map;
            this.kwargs = kwargs;
        }
    }

    /** A {@code namespace(...)} object: the one mutable value, assignable with {@code set ns.x = ...}. */
    final class Ns implements Value {
        final LinkedHashMap<String, Value> map;

        Ns(LinkedHashMap<String, Value> map) {
            this.map = map;
        }
    }

    /** A callable: built-in function, bound method, or macro. */
    @FunctionalInterface
    non-sealed interface Fn extends Value {
        Value call(List<Value> args);
    }

    enum Null implements Value { NONE }

    enum Undefined implements Value { UNDEFINED }

    Null NONE = Null.NONE;
    Undefined UNDEF = Undefined.UNDEFINED;

    /** Kind name used in error messages (the reference's type names, e.g. {@code StringValue}). */
    static String typeName(Value v) {
        return switch (v) {
            case Int i -> "IntegerValue";
            case Flt f -> "FloatValue";
            case Str s -> "StringValue";
            case Bool b -> "BooleanValue";
            case Arr a -> a.tuple ? "TupleValue" : "ArrayValue";
            case Obj o -> o.kwargs ? "KeywordArgumentsValue" : "ObjectValue";
            case Ns n -> "NamespaceValue";
            case Fn f -> "FunctionValue";
            case Null n -> "NullValue";
            case Undefined u -> "UndefinedValue";
        };
    }

    static boolean truthy(Value v) {
        return switch (v) {
            case Int i -> i.value() != 0;
            case Flt f -> f.value() != 0 && !Double.isNaN(f.value());
            case Str s -> !s.value().isEmpty();
            case Bool b -> b.value();
            case Arr a -> !a.items.isEmpty();
            case Obj o -> !o.map.isEmpty();
            case Ns n -> true;
            case Fn f -> true;
            case Null n -> false;
            case Undefined u -> false;
        };
    }

    /** The text a value renders to inside {@code {{ }}} (null and undefined are skipped by the caller). */
    static String render(Value v) {
        return switch (v) {
            case Int i -> Long.toString(i.value());
            case Flt f -> floatToString(f.value());
            case Str s -> s.value();
            case Bool b -> b.value() ? "true" : "false";
            case Arr a -> Json.write(v, Json.Options.DEFAULT, false);
            case Obj o -> Json.write(v, Json.Options.DEFAULT, false);
            case Ns n -> Json.write(v, Json.Options.DEFAULT, false);
            case Fn f -> "function";
            case Null n -> "null";
            case Undefined u -> "undefined";
        };
    }

    /** JavaScript's {@code String(x.value)}: what {@code +} and {@code ~} concatenate. */
    static String primitiveString(Value v) {
        return switch (v) {
            case Int i -> Long.toString(i.value());
            case Flt f -> jsNumber(f.value());
            case Str s -> s.value();
            case Bool b -> b.value() ? "true" : "false";
            case Arr a -> {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < a.items.size(); k++) {
                    if (k > 0) sb.append(',');
                    sb.append(render(a.items.get(k)));
                }
                yield sb.toString();
            }
            case Obj o -> "[object Map]";
            case Ns n -> "[object Map]";
            case Fn f -> "function";
            case Null n -> "null";
            case Undefined u -> "undefined";
        };
    }

    /** A float printed as the reference prints it: integral values keep one decimal ({@code 2.0}), -0 is "-0.0". */
    static String floatToString(double d) {
        if (d == 0 && 1 / d < 0) return "-0.0";
        if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e21)
            return new BigDecimal(d).toPlainString() + ".0";
        return jsNumber(d);
    }

    /** JavaScript's {@code Number.prototype.toString()} for a double (shortest round-trip digits). */
    static String jsNumber(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return "0";
        String sign = d < 0 ? "-" : "";
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int k = digits.length();
        int n = k - bd.scale(); // value = 0.digits × 10^n
        StringBuilder sb = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            sb.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            sb.append(digits.charAt(0));
            if (k > 1) sb.append('.').append(digits, 1, k);
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }

    /** Converts plain Java data (maps, lists, strings, numbers, booleans, null) into values. */
    static Value of(Object o) {
        if (o == null) return NONE;
        if (o instanceof Value v) return v;
        if (o instanceof String s) return new Str(s);
        if (o instanceof Boolean b) return Bool.of(b);
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte)
            return new Int(((Number) o).longValue());
        if (o instanceof Number n) {
            double d = n.doubleValue();
            // like JavaScript, an integral number is an integer whatever its source spelling
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) return new Int((long) d);
            return new Flt(d);
        }
        if (o instanceof Map<?, ?> m) {
            LinkedHashMap<String, Value> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) map.put(String.valueOf(e.getKey()), of(e.getValue()));
            return new Obj(map);
        }
        if (o instanceof List<?> l) {
            List<Value> items = new ArrayList<>(l.size());
            for (Object x : l) items.add(of(x));
            return new Arr(items);
        }
        if (o instanceof Object[] arr) return of(List.of(arr));
        throw new IllegalArgumentException("cannot pass a " + o.getClass().getName() + " to a chat template");
    }
}
