package dev.seedling.tokenizer.chat.internal;

import dev.seedling.tokenizer.chat.internal.Value.Arr;
import dev.seedling.tokenizer.chat.internal.Value.Bool;
import dev.seedling.tokenizer.chat.internal.Value.Fn;
import dev.seedling.tokenizer.chat.internal.Value.Int;
import dev.seedling.tokenizer.chat.internal.Value.Null;
import dev.seedling.tokenizer.chat.internal.Value.Obj;
import dev.seedling.tokenizer.chat.internal.Value.Str;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Methods called on values: Python's string methods ({@code s.strip()}, ...) and dict methods ({@code d.items()}). */
final class Builtins {
    private Builtins() {}

    /** The attribute {@code name} of string {@code s}: a bound method, {@code length}, or null when none. */
    static Value string(String s, String name) {
        return switch (name) {
            case "upper" -> (Fn) a -> new Str(s.toUpperCase(Locale.ROOT));
            case "lower" -> (Fn) a -> new Str(s.toLowerCase(Locale.ROOT));
            case "strip" -> (Fn) a -> new Str(strip(s, chars(a, "strip"), true, true));
            case "lstrip" -> (Fn) a -> new Str(strip(s, chars(a, "lstrip"), true, false));
            case "rstrip" -> (Fn) a -> new Str(strip(s, chars(a, "rstrip"), false, true));
            case "title" -> (Fn) a -> new Str(title(s));
            case "capitalize" -> (Fn) a -> new Str(s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1));
            case "length" -> new Int(s.length());
            case "startswith" -> (Fn) a -> Bool.of(affix(s, a, "startswith", true));
            case "endswith" -> (Fn) a -> Bool.of(affix(s, a, "endswith", false));
            case "split" -> (Fn) a -> split(s, a);
            case "replace" -> (Fn) a -> replace(s, a);
            default -> null;
        };
    }

    /** The attribute {@code name} of a mapping when it has no such key: get, items, keys, values, dictsort. */
    static Value object(Obj o, String name) {
        return switch (name) {
            case "get" -> (Fn) a -> {
                if (a.isEmpty() || !(a.getFirst() instanceof Str k))
                    throw new JinjaException("Object key must be a string: got " + (a.isEmpty() ? "UndefinedValue" : Value.typeName(a.getFirst())));
                Value v = o.map.get(k.value());
                return v != null ? v : a.size() > 1 ? a.get(1) : Value.NONE;
            };
            case "items" -> (Fn) a -> items(o.map);
            case "keys" -> (Fn) a -> new Arr(Interpreter.keys(o.map));
            case "values" -> (Fn) a -> new Arr(new ArrayList<>(o.map.values()));
            case "dictsort" -> (Fn) a -> dictsort(o, a);
            default -> null;
        };
    }

    static Arr items(Map<String, Value> map) {
        List<Value> out = new ArrayList<>(map.size());
        for (Map.Entry<String, Value> e : map.entrySet()) out.add(new Arr(new ArrayList<>(List.of(new Str(e.getKey()), e.getValue()))));
        return new Arr(out);
    }

    private static Value dictsort(Obj o, List<Value> args) {
        List<Value> pos = new ArrayList<>();
        Map<String, Value> kw = Map.of();
        for (Value v : args) {
            if (v instanceof Obj k && k.kwargs) kw = k.map;
            else pos.add(v);
        }
        Value cs = pos.size() > 0 ? pos.get(0) : kw.getOrDefault("case_sensitive", Bool.FALSE);
        Value by = pos.size() > 1 ? pos.get(1) : kw.getOrDefault("by", new Str("key"));
        Value rev = pos.size() > 2 ? pos.get(2) : kw.getOrDefault("reverse", Bool.FALSE);
        if (!(cs instanceof Bool csb)) throw new JinjaException("case_sensitive must be a boolean");
        if (!(by instanceof Str bys) || !(bys.value().equals("key") || bys.value().equals("value")))
            throw new JinjaException("by must be either 'key' or 'value'");
        if (!(rev instanceof Bool revb)) throw new JinjaException("reverse must be a boolean");
        int idx = bys.value().equals("key") ? 0 : 1;
        List<Value> pairs = new ArrayList<>(items(o.map).items);
        pairs.sort((x, y) -> {
            int c = Equality.compare(((Arr) x).items.get(idx), ((Arr) y).items.get(idx), csb.value());
            return revb.value() ? -c : c;
        });
        return new Arr(pairs);
    }

    /** The characters to strip: null for whitespace (no argument or none), else the argument's characters. */
    private static String chars(List<Value> a, String method) {
        if (a.isEmpty() || a.getFirst() instanceof Null) return null;
        if (a.getFirst() instanceof Str s) return s.value();
        throw new JinjaException(method + "() argument must be a string or none, got " + Value.typeName(a.getFirst()));
    }

    /** Python's strip family; whitespace is JavaScript's (what the reference trims). */
    static String strip(String s, String chars, boolean left, boolean right) {
        int a = 0, e = s.length();
        if (left) while (a < e && stripped(s.charAt(a), chars)) a++;
        if (right) while (e > a && stripped(s.charAt(e - 1), chars)) e--;
        return s.substring(a, e);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? Lexer.isSpace(c) : chars.indexOf(c) >= 0;
    }

    /** The reference's title case: the first ASCII word character after a non-word character is upper-cased. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            sb.append(word && !prevWord ? Character.toUpperCase(c) : c);
            prevWord = word;
        }
        return sb.toString();
    }

    private static boolean affix(String s, List<Value> a, String method, boolean start) {
        if (a.isEmpty()) throw new JinjaException(method + "() requires at least one argument");
        Value p = a.getFirst();
        if (p instanceof Str ps) return start ? s.startsWith(ps.value()) : s.endsWith(ps.value());
        if (p instanceof Arr pa) {
            for (Value x : pa.items) {
                if (!(x instanceof Str xs)) throw new JinjaException(method + "() tuple elements must be strings");
                if (start ? s.startsWith(xs.value()) : s.endsWith(xs.value())) return true;
            }
            return false;
        }
        throw new JinjaException(method + "() argument must be a string or tuple of strings");
    }

    /** Python's {@code str.split(sep=None, maxsplit=-1)}. */
    private static Value split(String s, List<Value> a) {
        Value sep = a.size() > 0 ? a.get(0) : Value.NONE;
        Value max = a.size() > 1 ? a.get(1) : new Int(-1);
        if (!(sep instanceof Str || sep instanceof Null)) throw new JinjaException("sep argument must be a string or null");
        if (!(max instanceof Int mi)) throw new JinjaException("maxsplit argument must be a number");
        long maxsplit = mi.value();
        List<Value> out = new ArrayList<>();
        if (sep instanceof Null) {
            int i = 0, n = s.length();
            while (i < n && Lexer.isSpace(s.charAt(i))) i++;
            while (i < n) {
                if (maxsplit != -1 && out.size() >= maxsplit) {
                    out.add(new Str(s.substring(i)));
                    break;
                }
                int j = i;
                while (j < n && !Lexer.isSpace(s.charAt(j))) j++;
                out.add(new Str(s.substring(i, j)));
                i = j;
                while (i < n && Lexer.isSpace(s.charAt(i))) i++;
            }
        } else {
            String sp = ((Str) sep).value();
            if (sp.isEmpty()) throw new JinjaException("empty separator");
            int from = 0;
            while (true) {
                int k = maxsplit != -1 && out.size() >= maxsplit ? -1 : s.indexOf(sp, from);
                if (k < 0) {
                    out.add(new Str(s.substring(from)));
                    break;
                }
                out.add(new Str(s.substring(from, k)));
                from = k + sp.length();
            }
        }
        return new Arr(out);
    }

    /** Python's {@code str.replace(old, new, count=-1)}. */
    static Value replace(String s, List<Value> a) {
        if (a.size() < 2) throw new JinjaException("replace() requires at least two arguments");
        if (!(a.get(0) instanceof Str old) || !(a.get(1) instanceof Str nu)) throw new JinjaException("replace() arguments must be strings");
        Value count = Value.NONE;
        if (a.size() > 2) count = a.get(2) instanceof Obj k && k.kwargs ? k.map.getOrDefault("count", Value.NONE) : a.get(2);
        if (!(count instanceof Int || count instanceof Null)) throw new JinjaException("replace() count argument must be a number or null");
        long remaining = count instanceof Int c && c.value() >= 0 ? c.value() : Long.MAX_VALUE;
        if (remaining == 0) return new Str(s);
        String o = old.value();
        StringBuilder sb = new StringBuilder();
        if (o.isEmpty()) {
            // an empty pattern matches between code points, as a Unicode-aware regex does
            int i = 0;
            while (i <= s.length()) {
                if (remaining > 0) {
                    sb.append(nu.value());
                    remaining--;
                }
                if (i == s.length()) break;
                int cp = s.codePointAt(i);
                sb.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
            return new Str(sb.toString());
        }
        int from = 0;
        while (remaining > 0) {
            int k = s.indexOf(o, from);
            if (k < 0) break;
            sb.append(s, from, k).append(nu.value());
            from = k + o.length();
            remaining--;
        }
        sb.append(s, from, s.length());
        return new Str(sb.toString());
    }
}
