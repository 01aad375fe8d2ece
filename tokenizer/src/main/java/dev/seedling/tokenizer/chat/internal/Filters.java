package dev.seedling.tokenizer.chat.internal;

import dev.seedling.tokenizer.chat.internal.Value.Arr;
import dev.seedling.tokenizer.chat.internal.Value.Bool;
import dev.seedling.tokenizer.chat.internal.Value.Flt;
import dev.seedling.tokenizer.chat.internal.Value.Fn;
import dev.seedling.tokenizer.chat.internal.Value.Int;
import dev.seedling.tokenizer.chat.internal.Value.Ns;
import dev.seedling.tokenizer.chat.internal.Value.Null;
import dev.seedling.tokenizer.chat.internal.Value.Obj;
import dev.seedling.tokenizer.chat.internal.Value.Str;
import dev.seedling.tokenizer.chat.internal.Value.Undefined;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The built-in filters ({@code x | name} and {@code x | name(args)}), dispatched on the operand's kind. */
final class Filters {
    private Filters() {}

    private static JinjaException cannot(String name, Value operand) {
        return new JinjaException("Cannot apply filter \"" + name + "\" to type: " + Value.typeName(operand));
    }

    /** {@code operand | name} without parentheses. */
    static Value bare(Value operand, String name) {
        if (name.equals("safe")) return operand;
        if (name.equals("tojson")) return new Str(Json.write(operand, Json.Options.DEFAULT, true));
        switch (operand) {
            case Arr a -> {
                return switch (name) {
                    case "list" -> a;
                    case "first" -> a.items.isEmpty() ? Value.UNDEF : a.items.getFirst();
                    case "last" -> a.items.isEmpty() ? Value.UNDEF : a.items.getLast();
                    case "length", "count" -> new Int(a.items.size());
                    case "reverse" -> new Arr(new ArrayList<>(a.items.reversed()));
                    case "sort" -> {
                        List<Value> out = new ArrayList<>(a.items);
                        out.sort(Interpreter.comparator(false));
                        yield new Arr(out);
                    }
                    case "join" -> new Str(join(a.items, ""));
                    case "string" -> new Str(Json.write(a, Json.Options.DEFAULT, false));
                    case "unique" -> unique(a);
                    default -> throw new JinjaException("Unknown ArrayValue filter: " + name);
                };
            }
            case Str s -> {
                String v = s.value();
                return switch (name) {
                    case "length", "count" -> new Int(v.length());
                    case "upper", "lower", "title", "capitalize" -> ((Fn) Builtins.string(v, name)).call(List.of());
                    case "trim" -> new Str(Builtins.strip(v, null, true, true));
                    case "indent" -> new Str(indent(v, 4, false, false));
                    case "join", "string" -> s;
                    case "int" -> {
                        Long n = parseIntPrefix(v);
                        yield new Int(n == null ? 0 : n);
                    }
                    case "float" -> {
                        Double d = parseFloatPrefix(v);
                        yield new Flt(d == null ? 0.0 : d);
                    }
                    default -> throw new JinjaException("Unknown StringValue filter: " + name);
                };
            }
            case Int i -> {
                return switch (name) {
                    case "abs" -> new Int(Math.abs(i.value()));
                    case "int" -> i;
                    case "float" -> new Flt(i.value());
                    case "string" -> new Str(Value.render(i));
                    default -> throw new JinjaException("Unknown NumericValue filter: " + name);
                };
            }
            case Flt f -> {
                return switch (name) {
                    case "abs" -> new Flt(Math.abs(f.value()));
                    case "int" -> new Int((long) Math.floor(f.value()));
                    case "float" -> f;
                    case "string" -> new Str(Value.render(f));
                    default -> throw new JinjaException("Unknown NumericValue filter: " + name);
                };
            }
            case Obj o -> {
                switch (name) {
                    case "items":
                        return Builtins.items(o.map);
                    case "length":
                    case "count":
                        return new Int(o.map.size());
                    default:
                        Value b = Builtins.object(o, name);
                        if (b instanceof Fn fn) return fn.call(List.of());
                        throw new JinjaException("Unknown ObjectValue filter: " + name);
                }
            }
            case Bool b -> {
                return switch (name) {
                    case "bool" -> b;
                    case "int" -> new Int(b.value() ? 1 : 0);
                    case "float" -> new Flt(b.value() ? 1 : 0);
                    case "string" -> new Str(b.value() ? "true" : "false");
                    default -> throw new JinjaException("Unknown BooleanValue filter: " + name);
                };
            }
            default -> throw cannot(name, operand);
        }
    }

    /** {@code operand | name(args)}; {@code kw} holds the keyword arguments. */
    static Value withArgs(Value operand, String name, List<Value> args, Map<String, Value> kw) {
        switch (name) {
            case "tojson" -> {
                Value indent = kw.getOrDefault("indent", Value.NONE);
                if (!(indent instanceof Int || indent instanceof Null)) throw new JinjaException("If set, indent must be a number");
                Value ascii = kw.getOrDefault("ensure_ascii", Bool.FALSE);
                if (!(ascii instanceof Bool ab)) throw new JinjaException("If set, ensure_ascii must be a boolean");
                Value sort = kw.getOrDefault("sort_keys", Bool.FALSE);
                if (!(sort instanceof Bool sb)) throw new JinjaException("If set, sort_keys must be a boolean");
                Value seps = kw.getOrDefault("separators", Value.NONE);
                String itemSep = null, keySep = null;
                if (seps instanceof Arr sa) {
                    if (sa.items.size() != 2 || !(sa.items.get(0) instanceof Str i0) || !(sa.items.get(1) instanceof Str i1))
                        throw new JinjaException("separators must be a tuple of two strings");
                    itemSep = i0.value();
                    keySep = i1.value();
                } else if (!(seps instanceof Null)) throw new JinjaException("If set, separators must be a tuple of two strings");
                int ind = indent instanceof Int ii ? (int) ii.value() : 0;
                return new Str(Json.write(operand, new Json.Options(ind, ab.value(), itemSep, keySep, sb.value()), true));
            }
            case "join" -> {
                List<Value> items;
                if (operand instanceof Str s) {
                    items = new ArrayList<>();
                    s.value().codePoints().forEach(cp -> items.add(new Str(Character.toString(cp))));
                } else if (operand instanceof Arr a) items = a.items;
                else throw cannot(name, operand);
                Value sep = !args.isEmpty() ? args.getFirst() : kw.getOrDefault("separator", new Str(""));
                if (!(sep instanceof Str ss)) throw new JinjaException("separator must be a string");
                return new Str(join(items, ss.value()));
            }
            case "int", "float" -> {
                boolean isInt = name.equals("int");
                Value def = !args.isEmpty() ? args.getFirst() : kw.getOrDefault("default", isInt ? new Int(0) : new Flt(0.0));
                return switch (operand) {
                    case Str s -> {
                        if (isInt) {
                            Long n = parseIntPrefix(s.value());
                            yield n == null ? def : new Int(n);
                        }
                        Double d = parseFloatPrefix(s.value());
                        yield d == null ? def : new Flt(d);
                    }
                    case Int i -> i;
                    case Flt f -> f;
                    case Bool b -> isInt ? new Int(b.value() ? 1 : 0) : new Flt(b.value() ? 1 : 0);
                    default -> throw cannot(name, operand);
                };
            }
            case "default" -> {
                Value def = !args.isEmpty() ? args.getFirst() : new Str("");
                Value bool = args.size() > 1 ? args.get(1) : kw.getOrDefault("boolean", Bool.FALSE);
                if (!(bool instanceof Bool bb)) throw new JinjaException("`default` filter flag must be a boolean");
                return operand instanceof Undefined || (bb.value() && !Value.truthy(operand)) ? def : operand;
            }
            default -> {}
        }
        switch (operand) {
            case Arr a -> {
                switch (name) {
                    case "sort":
                        return sort(a, args, kw);
                    case "selectattr":
                    case "rejectattr":
                        return selectAttr(a, name, args);
                    case "map":
                        if (!args.isEmpty() && args.getFirst() instanceof Str f) {
                            // Python Jinja's map('filter'): apply a filter without arguments to each item
                            if (!Parser.FILTERS.contains(f.value())) throw new JinjaException("Unknown filter in map: " + f.value());
                            List<Value> out = new ArrayList<>(a.items.size());
                            for (Value item : a.items) out.add(bare(item, f.value()));
                            return new Arr(out);
                        }
                        return map(a, kw);
                    default:
                        throw new JinjaException("Unknown ArrayValue filter: " + name);
                }
            }
            case Str s -> {
                switch (name) {
                    case "indent": {
                        Value width = !args.isEmpty() ? args.get(0) : kw.getOrDefault("width", new Int(4));
                        if (!(width instanceof Int w)) throw new JinjaException("width must be a number");
                        Value first = args.size() > 1 ? args.get(1) : kw.getOrDefault("first", Bool.FALSE);
                        Value blank = args.size() > 2 ? args.get(2) : kw.getOrDefault("blank", Bool.FALSE);
                        return new Str(indent(s.value(), (int) w.value(), Value.truthy(first), Value.truthy(blank)));
                    }
                    case "replace": {
                        List<Value> all = new ArrayList<>(args);
                        all.add(new Obj(new java.util.LinkedHashMap<>(kw), true));
                        return Builtins.replace(s.value(), all);
                    }
                    default:
                        throw new JinjaException("Unknown StringValue filter: " + name);
                }
            }
            case Obj o -> {
                if (Builtins.object(o, name) instanceof Fn fn) {
                    List<Value> all = new ArrayList<>(args);
                    if (!kw.isEmpty()) all.add(new Obj(new java.util.LinkedHashMap<>(kw), true));
                    return fn.call(all);
                }
                throw new JinjaException("Unknown ObjectValue filter: " + name);
            }
            default -> throw cannot(name, operand);
        }
    }

    private static Value sort(Arr a, List<Value> args, Map<String, Value> kw) {
        Value rev = args.size() > 0 ? args.get(0) : kw.getOrDefault("reverse", Bool.FALSE);
        Value cs = args.size() > 1 ? args.get(1) : kw.getOrDefault("case_sensitive", Bool.FALSE);
        Value attr = args.size() > 2 ? args.get(2) : kw.getOrDefault("attribute", Value.NONE);
        if (!(rev instanceof Bool rb)) throw new JinjaException("reverse must be a boolean");
        if (!(cs instanceof Bool cb)) throw new JinjaException("case_sensitive must be a boolean");
        if (!(attr instanceof Str || attr instanceof Int || attr instanceof Null))
            throw new JinjaException("attribute must be a string, integer, or null");
        String path = attr instanceof Null ? null : Value.primitiveString(attr);
        List<Value> out = new ArrayList<>(a.items);
        out.sort((x, y) -> {
            Value vx = path == null ? x : attribute(x, path), vy = path == null ? y : attribute(y, path);
            int c = Equality.compare(vx, vy, cb.value());
            return rb.value() ? -c : c;
        });
        return new Arr(out);
    }

    private static Value selectAttr(Arr a, String name, List<Value> args) {
        boolean select = name.equals("selectattr");
        for (Value item : a.items)
            if (!(item instanceof Obj || item instanceof Ns)) throw new JinjaException("`" + name + "` can only be applied to array of objects");
        if (args.isEmpty()) throw new JinjaException("`" + name + "` needs an attribute name");
        String attr = ((Str) args.get(0)).value();
        String test = args.size() > 1 ? ((Str) args.get(1)).value() : null;
        if (test != null && !Parser.TESTS.contains(test)) throw new JinjaException("Unknown test: " + test);
        Value arg = args.size() > 2 ? args.get(2) : null;
        List<Value> out = new ArrayList<>();
        for (Value item : a.items) {
            Map<String, Value> m = item instanceof Obj o ? o.map : ((Ns) item).map;
            Value v = m.getOrDefault(attr, Value.UNDEF);
            boolean r = test == null ? Value.truthy(v) : Interpreter.test(test, v, arg);
            if (r == select) out.add(item);
        }
        return new Arr(out);
    }

    private static Value map(Arr a, Map<String, Value> kw) {
        if (!kw.containsKey("attribute")) throw new JinjaException("`map` expressions without `attribute` set are not currently supported.");
        if (!(kw.get("attribute") instanceof Str attr)) throw new JinjaException("attribute must be a string");
        Value def = kw.get("default");
        List<Value> out = new ArrayList<>(a.items.size());
        for (Value item : a.items) {
            if (!(item instanceof Obj || item instanceof Ns)) throw new JinjaException("items in map must be an object");
            Value v = attribute(item, attr.value());
            out.add(v instanceof Undefined ? (def != null ? def : Value.UNDEF) : v);
        }
        return new Arr(out);
    }

    /** A dotted attribute path ({@code "a.b"}, {@code "items.0"}) of a value, or undefined. */
    private static Value attribute(Value item, String path) {
        Value v = item;
        for (String part : path.split("\\.", -1)) {
            if (v instanceof Obj o) v = o.map.getOrDefault(part, Value.UNDEF);
            else if (v instanceof Ns n) v = n.map.getOrDefault(part, Value.UNDEF);
            else if (v instanceof Arr arr) {
                Long k = parseIntPrefix(part);
                if (k == null || k < 0 || k >= arr.items.size()) return Value.UNDEF;
                v = arr.items.get(k.intValue());
            } else return Value.UNDEF;
        }
        return v;
    }

    /** JavaScript's {@code Array.join}: none and undefined are empty, others as {@code String(x)}. */
    private static String join(List<Value> items, String sep) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(sep);
            Value v = items.get(i);
            if (!(v instanceof Null || v instanceof Undefined)) sb.append(Value.primitiveString(v));
        }
        return sb.toString();
    }

    private static Value unique(Arr a) {
        Set<Object> seen = new HashSet<>();
        Set<Value> seenRefs = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Value> out = new ArrayList<>();
        for (Value v : a.items) {
            Object key = switch (v) {
                case Int i -> (double) i.value();
                case Flt f -> f.value() == 0 ? 0.0 : f.value();
                case Str s -> s.value();
                case Bool b -> b.value();
                default -> null;
            };
            boolean fresh = key != null ? seen.add(key) : seenRefs.add(v);
            if (fresh) out.add(v);
        }
        return new Arr(out);
    }

    private static String indent(String s, int width, boolean first, boolean blank) {
        String pad = " ".repeat(Math.max(0, width));
        String[] lines = s.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) sb.append('\n');
            if ((first || i > 0) && (blank || !lines[i].isEmpty())) sb.append(pad);
            sb.append(lines[i]);
        }
        return sb.toString();
    }

    /** JavaScript's {@code parseInt(s, 10)}: optional whitespace and sign, then leading digits; null for NaN. */
    static Long parseIntPrefix(String s) {
        int i = 0, n = s.length();
        while (i < n && Lexer.isSpace(s.charAt(i))) i++;
        int start = i;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int d = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == d) return null;
        try {
            return Long.parseLong(s.substring(start, i).replace("+", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** JavaScript's {@code parseFloat}: the longest leading decimal number; null for NaN. */
    static Double parseFloatPrefix(String s) {
        int i = 0, n = s.length();
        while (i < n && Lexer.isSpace(s.charAt(i))) i++;
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("[+-]?(Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)").matcher(s.substring(i));
        if (!m.lookingAt()) return null;
        return Double.parseDouble(m.group());
    }
}
