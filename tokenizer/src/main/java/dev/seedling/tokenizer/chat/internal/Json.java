package dev.seedling.tokenizer.chat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code tojson} filter: Python's {@code json.dumps(x, ensure_ascii=False)} layout (", " and ": " separators;
 * with {@code indent}, "," and ": " and one item per line), strings escaped as JavaScript's {@code JSON.stringify}
 * escapes them (control characters and lone surrogates as {@code \\uXXXX}, everything else verbatim).
 */
final class Json {
    private Json() {}

    record Options(int indent, boolean ensureAscii, String itemSeparator, String keySeparator, boolean sortKeys) {
        static final Options DEFAULT = new Options(0, false, null, null, false);
    }

    /** @param undefinedAsNull undefined prints as {@code null} (tojson) or as {@code undefined} (printing a list) */
    static String write(Value v, Options opt, boolean undefinedAsNull) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, opt, 0, undefinedAsNull);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Value v, Options opt, int depth, boolean undefinedAsNull) {
        String itemSep, keySep;
        if (opt.itemSeparator() != null) {
            itemSep = opt.itemSeparator();
            keySep = opt.keySeparator();
        } else if (opt.indent() > 0) {
            itemSep = ",";
            keySep = ": ";
        } else {
            itemSep = ", ";
            keySep = ": ";
        }
        switch (v) {
            case Value.Null n -> sb.append("null");
            case Value.Undefined u -> sb.append(undefinedAsNull ? "null" : "undefined");
            case Value.Int i -> sb.append(i.value());
            case Value.Flt f -> sb.append(Double.isFinite(f.value()) ? Value.jsNumber(f.value()) : "null");
            case Value.Bool b -> sb.append(b.value());
            case Value.Str s -> string(sb, s.value(), opt.ensureAscii());
            case Value.Arr a -> {
                String ind = " ".repeat(Math.max(0, opt.indent()));
                String base = "\n" + ind.repeat(depth), child = base + ind;
                boolean pretty = opt.indent() > 0 && !a.items.isEmpty();
                sb.append('[');
                for (int k = 0; k < a.items.size(); k++) {
                    if (k > 0) sb.append(itemSep);
                    if (pretty) sb.append(child);
                    write(sb, a.items.get(k), opt, depth + 1, undefinedAsNull);
                }
                if (pretty) sb.append(base);
                sb.append(']');
            }
            case Value.Obj o -> object(sb, o.map, opt, depth, undefinedAsNull, itemSep, keySep);
            case Value.Ns n -> object(sb, n.map, opt, depth, undefinedAsNull, itemSep, keySep);
            case Value.Fn f -> throw new JinjaException("Cannot convert to JSON: FunctionValue");
        }
    }

    private static void object(StringBuilder sb, Map<String, Value> map, Options opt, int depth, boolean undefinedAsNull,
            String itemSep, String keySep) {
        String ind = " ".repeat(Math.max(0, opt.indent()));
        String base = "\n" + ind.repeat(depth), child = base + ind;
        boolean pretty = opt.indent() > 0 && !map.isEmpty();
        List<Map.Entry<String, Value>> entries = new ArrayList<>(map.entrySet());
        if (opt.sortKeys()) entries.sort(Map.Entry.comparingByKey());
        sb.append('{');
        for (int k = 0; k < entries.size(); k++) {
            if (k > 0) sb.append(itemSep);
            if (pretty) sb.append(child);
            string(sb, entries.get(k).getKey(), opt.ensureAscii());
            sb.append(keySep);
            write(sb, entries.get(k).getValue(), opt, depth + 1, undefinedAsNull);
        }
        if (pretty) sb.append(base);
        sb.append('}');
    }

    /** A JSON string literal as {@code JSON.stringify} writes it; with ensureAscii, U+007F and above as escapes. */
    static void string(StringBuilder sb, String s, boolean ensureAscii) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean lone = Character.isHighSurrogate(c) ? !(i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)))
                            : Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || lone || (ensureAscii && c >= 0x7F)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
