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
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a parsed template. Semantics follow {@code @huggingface/jinja} 0.5 (what the golden tests compare with),
 * except where it departs from Python Jinja as used by transformers' {@code apply_chat_template}; there this
 * interpreter does what Python does:
 * <ul>
 *   <li>{@code s.strip(chars)}, {@code lstrip(chars)}, {@code rstrip(chars)} strip exactly {@code chars} (the
 *       reference ignores the argument and strips all whitespace);</li>
 *   <li>text a loop body wrote before {@code {% break %}} or {@code {% continue %}} is kept (the reference drops it);</li>
 *   <li>{@code selectattr}/{@code rejectattr} apply the test to a missing attribute as undefined (the reference treats
 *       a missing attribute as failing every test, so {@code selectattr("x", "undefined")} selects nothing, which
 *       silences Mistral's role-alternation check);</li>
 *   <li>a string never equals a number or boolean (JavaScript's {@code "" == false} is true);</li>
 *   <li>{@code for} over an undefined value runs zero times and over a string runs over its characters (the
 *       reference raises an error for both; Phi-4-mini's template loops over {@code message.tool_calls} unguarded);</li>
 *   <li>the template's CRLF/CR line breaks read as LF, and string escapes the reference rejects behave as in Python
 *       (see {@link Lexer}); {@code map('filter')} and {@code |count}, which the reference lacks, work as in Python.</li>
 * </ul>
 * Smaller differences, none of which real templates meet: tuples print like lists (the reference cannot print
 * them); {@code strftime_now} also knows Python's {@code %y %a %A %S %j}; integers are 64-bit (the reference's are
 * doubles). Not supported (a clear error): {@code {% call %}} blocks, {@code *args}/{@code **kwargs} unpacking in
 * calls, tests with arguments written as {@code is divisibleby(3)}, filters other than {@link Parser#FILTERS}.
 * Not thread-safe: one instance per render ({@link Template#render} makes one).
 */
final class Interpreter {
    /** {@code {% break %}} and {@code {% continue %}} unwind to their loop as these two preallocated signals. */
    private static final class LoopControl extends RuntimeException {
        LoopControl(String name) {
            super(name, null, false, false);
        }
    }

    private static final RuntimeException BREAK = new LoopControl("break"), CONTINUE = new LoopControl("continue");

    /** A scope: variables of a template, loop body or macro call, with the enclosing scope as parent. */
    static final class Env {
        final Env parent;
        final HashMap<String, Value> vars = new HashMap<>();

        Env(Env parent) {
            this.parent = parent;
        }

        Value lookup(String name) {
            for (Env e = this; e != null; e = e.parent) {
                Value v = e.vars.get(name);
                if (v != null) return v;
            }
            return Value.UNDEF;
        }
    }

    private final Supplier<ZonedDateTime> now;

    Interpreter(Supplier<ZonedDateTime> now) {
        this.now = now;
    }

    /** The global scope: constants and the helper functions chat templates call. */
    Env globals() {
        Env g = new Env(null);
        g.vars.put("true", Bool.TRUE);
        g.vars.put("false", Bool.FALSE);
        g.vars.put("none", Value.NONE);
        g.vars.put("True", Bool.TRUE);
        g.vars.put("False", Bool.FALSE);
        g.vars.put("None", Value.NONE);
        g.vars.put("namespace", (Fn) Interpreter::namespace);
        g.vars.put("range", (Fn) Interpreter::range);
        g.vars.put("raise_exception", (Fn) args -> {
            String msg = args.isEmpty() ? "undefined" : Value.primitiveString(args.getFirst());
            throw new JinjaException(JinjaException.Kind.RAISED, msg, 0);
        });
        g.vars.put("strftime_now", (Fn) args -> {
            if (args.isEmpty() || !(args.getFirst() instanceof Str fmt)) throw new JinjaException("strftime_now() needs a format string");
            return new Str(Strftime.format(now.get(), fmt.value()));
        });
        return g;
    }

    String render(List<Node> program, Env env) {
        StringBuilder out = new StringBuilder(256);
        exec(program, env, out);
        return out.toString();
    }

    // ---- statements

    private void exec(List<Node> body, Env env, StringBuilder out) {
        for (Node n : body) exec(n, env, out);
    }

    private void exec(Node n, Env env, StringBuilder out) {
        try {
            switch (n) {
                case Node.Text t -> out.append(t.value());
                case Node.Output o -> {
                    Value v = eval(o.expr(), env);
                    if (!(v instanceof Null) && !(v instanceof Undefined)) out.append(Value.render(v));
                }
                case Node.If i -> exec(Value.truthy(eval(i.test(), env)) ? i.body() : i.orElse(), env, out);
                case Node.For f -> execFor(f, env, out);
                case Node.Set s -> execSet(s, env);
                case Node.Macro m -> env.vars.put(m.name(), macro(m, env));
                case Node.FilterBlock fb -> {
                    StringBuilder inner = new StringBuilder();
                    exec(fb.body(), env, inner);
                    Node.Filter f = (Node.Filter) fb.filter();
                    Value v = applyFilter(new Str(inner.toString()), f.name(), f.args(), env);
                    if (!(v instanceof Null) && !(v instanceof Undefined)) out.append(Value.render(v));
                }
                case Node.Break b -> throw BREAK;
                case Node.Continue c -> throw CONTINUE;
                case Node.Comment c -> {}
                default -> {
                    Value v = eval(n, env);
                    if (!(v instanceof Null) && !(v instanceof Undefined)) out.append(Value.render(v));
                }
            }
        } catch (JinjaException e) {
            throw e.atLine(n.line());
        }
    }

    private void execFor(Node.For f, Env env, StringBuilder out) {
        Env scope = new Env(env);
        Value it = eval(f.iterable(), scope);
        List<Value> source = switch (it) {
            case Arr a -> a.items;
            case Obj o -> keys(o.map);
            // Python Jinja: an undefined iterable is empty (Phi-4 loops over message.tool_calls unguarded),
            // a string iterates its characters
            case Undefined u -> List.of();
            case Str s -> s.value().codePoints().mapToObj(cp -> (Value) new Str(Character.toString(cp))).toList();
            default -> throw new JinjaException("Expected iterable or object type in for loop: got " + Value.typeName(it));
        };
        List<Value> items = new ArrayList<>(source.size());
        if (f.test() != null) {
            for (Value v : source) {
                Env loopScope = new Env(scope);
                bindTarget(f.target(), v, loopScope);
                if (Value.truthy(eval(f.test(), loopScope))) items.add(v);
            }
        } else {
            for (Value v : source) {
                if (f.target() instanceof Node.TupleLit) checkUnpack((Node.TupleLit) f.target(), v);
                items.add(v);
            }
        }
        boolean noIteration = true;
        int n = items.size();
        for (int i = 0; i < n; i++) {
            LinkedHashMap<String, Value> loop = new LinkedHashMap<>();
            loop.put("index", new Int(i + 1));
            loop.put("index0", new Int(i));
            loop.put("revindex", new Int(n - i));
            loop.put("revindex0", new Int(n - i - 1));
            loop.put("first", Bool.of(i == 0));
            loop.put("last", Bool.of(i == n - 1));
            loop.put("length", new Int(n));
            loop.put("previtem", i > 0 ? items.get(i - 1) : Value.UNDEF);
            loop.put("nextitem", i < n - 1 ? items.get(i + 1) : Value.UNDEF);
            scope.vars.put("loop", new Obj(loop));
            bindTarget(f.target(), items.get(i), scope);
            try {
                exec(f.body(), scope, out);
            } catch (RuntimeException e) {
                if (e == CONTINUE) continue;
                if (e == BREAK) break;
                throw e;
            }
            noIteration = false;
        }
        if (noIteration) exec(f.orElse(), scope, out);
    }

    private static void checkUnpack(Node.TupleLit t, Value v) {
        if (!(v instanceof Arr a)) throw new JinjaException("Cannot unpack non-iterable type: " + Value.typeName(v));
        if (a.items.size() != t.items().size())
            throw new JinjaException("Too " + (t.items().size() > a.items.size() ? "few" : "many") + " items to unpack");
    }

    private static void bindTarget(Node target, Value v, Env scope) {
        if (target instanceof Node.Ident id) {
            scope.vars.put(id.name(), v);
            return;
        }
        Node.TupleLit t = (Node.TupleLit) target;
        checkUnpack(t, v);
        List<Value> items = ((Arr) v).items;
        for (int j = 0; j < t.items().size(); j++) {
            if (!(t.items().get(j) instanceof Node.Ident id)) throw new JinjaException("Cannot unpack to a non-name");
            scope.vars.put(id.name(), items.get(j));
        }
    }

    private void execSet(Node.Set s, Env env) {
        Value rhs;
        if (s.value() != null) {
            rhs = eval(s.value(), env);
        } else {
            StringBuilder inner = new StringBuilder();
            exec(s.body(), env, inner);
            rhs = new Str(inner.toString());
        }
        switch (s.target()) {
            case Node.Ident id -> env.vars.put(id.name(), rhs);
            case Node.TupleLit t -> {
                if (!(rhs instanceof Arr a)) throw new JinjaException("Cannot unpack non-iterable type in set: " + Value.typeName(rhs));
                if (a.items.size() != t.items().size())
                    throw new JinjaException("Too " + (t.items().size() > a.items.size() ? "few" : "many") + " items to unpack in set");
                for (int j = 0; j < t.items().size(); j++) {
                    if (!(t.items().get(j) instanceof Node.Ident id)) throw new JinjaException("Cannot unpack to a non-name in set");
                    env.vars.put(id.name(), a.items.get(j));
                }
            }
            case Node.Member m -> {
                Value obj = eval(m.object(), env);
                if (!(obj instanceof Ns ns)) throw new JinjaException("cannot assign attribute on non-namespace object");
                if (!(m.property() instanceof Node.Ident p)) throw new JinjaException("Cannot assign to member with non-identifier property");
                ns.map.put(p.name(), rhs);
            }
            default -> throw new JinjaException("Invalid left-hand side of set");
        }
    }

    private Fn macro(Node.Macro m, Env defEnv) {
        boolean usesKwargs = mentions(m.body(), "kwargs"), usesVarargs = mentions(m.body(), "varargs");
        return args -> {
            Env scope = new Env(defEnv);
            List<Value> pos = new ArrayList<>(args);
            LinkedHashMap<String, Value> kw = new LinkedHashMap<>();
            if (!pos.isEmpty() && pos.getLast() instanceof Obj o && o.kwargs) {
                kw.putAll(o.map);
                pos.removeLast();
            }
            List<Node> pending = new ArrayList<>();
            for (int i = 0; i < m.params().size(); i++) {
                Node p = m.params().get(i);
                String name = p instanceof Node.Kwarg k ? k.name() : ((Node.Ident) p).name();
                Value v = i < pos.size() ? pos.get(i) : kw.remove(name);
                if (v == null && p instanceof Node.Kwarg) pending.add(p);
                scope.vars.put(name, v == null ? Value.UNDEF : v);
            }
            if (usesKwargs) scope.vars.put("kwargs", new Obj(kw));
            else if (!kw.isEmpty())
                throw new JinjaException("macro '" + m.name() + "' takes no keyword argument '" + kw.keySet().iterator().next() + "'");
            if (usesVarargs) scope.vars.put("varargs", new Arr(new ArrayList<>(pos.subList(Math.min(pos.size(), m.params().size()), pos.size()))));
            else if (pos.size() > m.params().size())
                throw new JinjaException("macro '" + m.name() + "' takes not more than " + m.params().size() + " argument(s)");
            for (Node p : pending) scope.vars.put(((Node.Kwarg) p).name(), eval(((Node.Kwarg) p).value(), scope));
            StringBuilder out = new StringBuilder();
            exec(m.body(), scope, out);
            return new Str(out.toString());
        };
    }

    /** Whether an identifier named {@code name} appears anywhere in {@code nodes} (for a macro's kwargs/varargs). */
    private static boolean mentions(List<Node> nodes, String name) {
        for (Node n : nodes) if (n != null && mentions(n, name)) return true;
        return false;
    }

    private static boolean mentions(Node n, String name) {
        return switch (n) {
            case Node.Ident id -> id.name().equals(name);
            case Node.Text t -> false;
            case Node.Comment c -> false;
            case Node.Break b -> false;
            case Node.Continue c -> false;
            case Node.IntLit i -> false;
            case Node.FloatLit f -> false;
            case Node.StrLit s -> false;
            case Node.Output o -> mentions(o.expr(), name);
            case Node.If i -> mentions(i.test(), name) || mentions(i.body(), name) || mentions(i.orElse(), name);
            case Node.For f -> mentions(java.util.Arrays.asList(f.target(), f.iterable(), f.test()), name)
                    || mentions(f.body(), name) || mentions(f.orElse(), name);
            case Node.Set st -> mentions(java.util.Arrays.asList(st.target(), st.value()), name) || mentions(st.body(), name);
            case Node.Macro m -> mentions(m.params(), name) || mentions(m.body(), name);
            case Node.FilterBlock fb -> mentions(fb.filter(), name) || mentions(fb.body(), name);
            case Node.ArrayLit a -> mentions(a.items(), name);
            case Node.TupleLit t -> mentions(t.items(), name);
            case Node.ObjectLit o -> mentions(o.keys(), name) || mentions(o.values(), name);
            case Node.Member m -> mentions(m.object(), name) || (m.computed() && mentions(m.property(), name));
            case Node.Slice sl -> mentions(java.util.Arrays.asList(sl.start(), sl.stop(), sl.step()), name);
            case Node.Call c -> mentions(c.callee(), name) || mentions(c.args(), name);
            case Node.Kwarg k -> mentions(k.value(), name);
            case Node.Unary u -> mentions(u.operand(), name);
            case Node.Binary b -> mentions(b.left(), name) || mentions(b.right(), name);
            case Node.Filter f -> mentions(f.operand(), name) || (f.args() != null && mentions(f.args(), name));
            case Node.Test t -> mentions(t.operand(), name);
            case Node.Select sel -> mentions(sel.value(), name) || mentions(sel.test(), name);
            case Node.Ternary t -> mentions(t.test(), name) || mentions(t.then(), name) || mentions(t.orElse(), name);
        };
    }

    // ---- expressions

    Value eval(Node n, Env env) {
        return switch (n) {
            case Node.IntLit i -> new Int(i.value());
            case Node.FloatLit f -> new Flt(f.value());
            case Node.StrLit s -> new Str(s.value());
            case Node.Ident id -> env.lookup(id.name());
            case Node.ArrayLit a -> new Arr(evalAll(a.items(), env));
            case Node.TupleLit t -> new Arr(evalAll(t.items(), env), true);
            case Node.ObjectLit o -> {
                LinkedHashMap<String, Value> map = new LinkedHashMap<>();
                for (int i = 0; i < o.keys().size(); i++) {
                    Value k = eval(o.keys().get(i), env);
                    if (!(k instanceof Str ks)) throw new JinjaException("Object keys must be strings: got " + Value.typeName(k));
                    map.put(ks.value(), eval(o.values().get(i), env));
                }
                yield new Obj(map);
            }
            case Node.Member m -> member(m, env);
            case Node.Call c -> call(c, env);
            case Node.Unary u -> unary(u, env);
            case Node.Binary b -> binary(b, env);
            case Node.Filter f -> applyFilter(eval(f.operand(), env), f.name(), f.args(), env);
            case Node.Test t -> {
                boolean r = test(t.name(), eval(t.operand(), env), null);
                yield Bool.of(t.negate() != r);
            }
            case Node.Select s -> Value.truthy(eval(s.test(), env)) ? eval(s.value(), env) : Value.UNDEF;
            case Node.Ternary t -> eval(Value.truthy(eval(t.test(), env)) ? t.then() : t.orElse(), env);
            case Node.Kwarg k -> throw new JinjaException("keyword argument outside a call");
            case Node.Slice s -> throw new JinjaException("slice outside '[]'");
            default -> throw new JinjaException("a statement cannot be used as an expression");
        };
    }

    private List<Value> evalAll(List<Node> nodes, Env env) {
        List<Value> out = new ArrayList<>(nodes.size());
        for (Node x : nodes) out.add(eval(x, env));
        return out;
    }

    /** Positional values, then (when there are any) one trailing kwargs {@link Obj}. */
    private List<Value> evalArgs(List<Node> args, Env env) {
        List<Value> out = new ArrayList<>(args.size());
        LinkedHashMap<String, Value> kw = null;
        for (Node a : args) if (!(a instanceof Node.Kwarg)) out.add(eval(a, env));
        for (Node a : args) {
            if (a instanceof Node.Kwarg k) {
                if (kw == null) kw = new LinkedHashMap<>();
                if (kw.containsKey(k.name())) throw new JinjaException("Got multiple values for keyword argument '" + k.name() + "'");
                kw.put(k.name(), eval(k.value(), env));
            }
        }
        if (kw != null) out.add(new Obj(kw, true));
        return out;
    }

    private static Map<String, Value> kwargsOf(List<Value> args) {
        return !args.isEmpty() && args.getLast() instanceof Obj o && o.kwargs ? o.map : Map.of();
    }

    private static List<Value> positional(List<Value> args) {
        return !args.isEmpty() && args.getLast() instanceof Obj o && o.kwargs ? args.subList(0, args.size() - 1) : args;
    }

    private Value call(Node.Call c, Env env) {
        List<Value> args = evalArgs(c.args(), env);
        Value fn = eval(c.callee(), env);
        if (!(fn instanceof Fn f)) {
            String what = c.callee() instanceof Node.Member m && m.property() instanceof Node.Ident p ? "'" + p.name() + "' "
                    : c.callee() instanceof Node.Ident id ? "'" + id.name() + "' " : "";
            throw new JinjaException("Cannot call something that is not a function: " + what + "is " + Value.typeName(fn));
        }
        return f.call(args);
    }

    private Value member(Node.Member m, Env env) {
        Value obj = eval(m.object(), env);
        Value prop;
        if (m.computed()) {
            if (m.property() instanceof Node.Slice s) return slice(obj, s, env);
            prop = eval(m.property(), env);
        } else if (m.property() instanceof Node.IntLit i) {
            prop = new Int(i.value());
        } else {
            prop = new Str(((Node.Ident) m.property()).name());
        }
        Value v;
        switch (obj) {
            case Obj o -> {
                if (!(prop instanceof Str ps)) throw new JinjaException("Cannot access property with non-string: got " + Value.typeName(prop));
                v = o.map.get(ps.value());
                if (v == null) v = Builtins.object(o, ps.value());
            }
            case Ns ns -> {
                if (!(prop instanceof Str ps)) throw new JinjaException("Cannot access property with non-string: got " + Value.typeName(prop));
                v = ns.map.get(ps.value());
            }
            case Arr a -> {
                if (prop instanceof Int i) {
                    long k = i.value() < 0 ? a.items.size() + i.value() : i.value();
                    v = k >= 0 && k < a.items.size() ? a.items.get((int) k) : null;
                } else if (prop instanceof Str ps) {
                    v = ps.value().equals("length") ? new Int(a.items.size()) : null;
                } else {
                    throw new JinjaException("Cannot access property with non-string/non-number: got " + Value.typeName(prop));
                }
            }
            case Str s -> {
                if (prop instanceof Int i) {
                    long k = i.value() < 0 ? s.value().length() + i.value() : i.value();
                    v = k >= 0 && k < s.value().length() ? new Str(String.valueOf(s.value().charAt((int) k))) : null;
                } else if (prop instanceof Str ps) {
                    v = Builtins.string(s.value(), ps.value());
                } else {
                    throw new JinjaException("Cannot access property with non-string/non-number: got " + Value.typeName(prop));
                }
            }
            default -> {
                if (!(prop instanceof Str)) throw new JinjaException("Cannot access property with non-string: got " + Value.typeName(prop));
                v = null;
            }
        }
        return v == null ? Value.UNDEF : v;
    }

    private Value slice(Value obj, Node.Slice s, Env env) {
        Value a = s.start() == null ? Value.UNDEF : eval(s.start(), env);
        Value b = s.stop() == null ? Value.UNDEF : eval(s.stop(), env);
        Value c = s.step() == null ? Value.UNDEF : eval(s.step(), env);
        for (Value x : new Value[] {a, b, c})
            if (!(x instanceof Int || x instanceof Undefined)) throw new JinjaException("Slice indices must be integers or undefined");
        Long start = a instanceof Int i ? i.value() : null, stop = b instanceof Int i ? i.value() : null;
        long step = c instanceof Int i ? i.value() : 1;
        if (step == 0) throw new JinjaException("slice step cannot be zero");
        if (obj instanceof Arr arr) {
            List<Value> out = new ArrayList<>();
            for (int i : sliceIndices(arr.items.size(), start, stop, step)) out.add(arr.items.get(i));
            return new Arr(out);
        }
        if (obj instanceof Str str) {
            int[] cps = str.value().codePoints().toArray();
            StringBuilder sb = new StringBuilder();
            for (int i : sliceIndices(cps.length, start, stop, step)) sb.appendCodePoint(cps[i]);
            return new Str(sb.toString());
        }
        throw new JinjaException("Slice object must be an array or string, got " + Value.typeName(obj));
    }

    /** Python slice semantics for a sequence of {@code len} items. */
    private static List<Integer> sliceIndices(int len, Long start0, Long stop0, long step) {
        long start, stop;
        if (step > 0) {
            start = start0 == null ? 0 : start0 < 0 ? Math.max(len + start0, 0) : Math.min(start0, len);
            stop = stop0 == null ? len : stop0 < 0 ? Math.max(len + stop0, 0) : Math.min(stop0, len);
        } else {
            start = start0 == null ? len - 1 : start0 < 0 ? Math.max(len + start0, -1) : Math.min(start0, len - 1);
            stop = stop0 == null ? -1 : stop0 < -1 ? Math.max(len + stop0, -1) : Math.min(stop0, len - 1);
        }
        List<Integer> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) out.add((int) i);
        return out;
    }

    private Value unary(Node.Unary u, Env env) {
        Value a = eval(u.operand(), env);
        if (u.op().equals("not")) return Bool.of(!Value.truthy(a));
        double sign = u.op().equals("-") ? -1 : 1;
        return switch (a) {
            case Int i -> new Int((long) sign * i.value());
            case Flt f -> new Flt(sign * f.value());
            case Bool b -> new Int((long) sign * (b.value() ? 1 : 0));
            default -> throw new JinjaException("Unknown operator \"" + u.op() + "\" for " + Value.typeName(a));
        };
    }

    private static boolean numericLike(Value v) {
        return v instanceof Int || v instanceof Flt || v instanceof Bool;
    }

    private static double num(Value v) {
        return switch (v) {
            case Int i -> i.value();
            case Flt f -> f.value();
            case Bool b -> b.value() ? 1 : 0;
            default -> throw new IllegalStateException();
        };
    }

    private Value binary(Node.Binary b, Env env) {
        Value l = eval(b.left(), env);
        String op = b.op();
        if (op.equals("and")) return Value.truthy(l) ? eval(b.right(), env) : l;
        if (op.equals("or")) return Value.truthy(l) ? l : eval(b.right(), env);
        Value r = eval(b.right(), env);
        if (op.equals("==")) return Bool.of(Equality.loose(l, r));
        if (op.equals("!=")) return Bool.of(!Equality.loose(l, r));
        if (l instanceof Undefined || r instanceof Undefined) {
            if (r instanceof Undefined && (op.equals("in") || op.equals("not in"))) return Bool.of(op.equals("not in"));
            throw new JinjaException("Cannot perform operation " + op + " on undefined values");
        }
        if (l instanceof Null || r instanceof Null) throw new JinjaException("Cannot perform operation " + op + " on null values");
        if (op.equals("~")) return new Str(Value.primitiveString(l) + Value.primitiveString(r));
        if (op.equals("**") && numericLike(l) && numericLike(r)) {
            double x = num(l), y = num(r);
            if (x == 0 && y < 0) throw new JinjaException("0.0 cannot be raised to a negative power");
            double res = Math.pow(x, y);
            if (!Double.isFinite(res)) throw new JinjaException("Exponentiation result is not a finite real number");
            return l instanceof Flt || r instanceof Flt || y < 0 ? new Flt(res) : new Int((long) res);
        }
        if ((l instanceof Int || l instanceof Flt) && (r instanceof Int || r instanceof Flt)) {
            boolean isFloat = l instanceof Flt || r instanceof Flt;
            if (!isFloat) {
                long x = ((Int) l).value(), y = ((Int) r).value();
                switch (op) {
                    case "+": return new Int(x + y);
                    case "-": return new Int(x - y);
                    case "*": return new Int(x * y);
                    case "/":
                        if (y == 0) throw new JinjaException("division by zero");
                        return new Flt((double) x / y);
                    case "//":
                        if (y == 0) throw new JinjaException("division by zero");
                        return new Int(Math.floorDiv(x, y));
                    case "%":
                        if (y == 0) throw new JinjaException("modulo by zero");
                        return new Int(x % y);
                    case "<": return Bool.of(x < y);
                    case ">": return Bool.of(x > y);
                    case "<=": return Bool.of(x <= y);
                    case ">=": return Bool.of(x >= y);
                    default: break;
                }
            } else {
                double x = num(l), y = num(r);
                switch (op) {
                    case "+": return new Flt(x + y);
                    case "-": return new Flt(x - y);
                    case "*": return new Flt(x * y);
                    case "/": return new Flt(x / y);
                    case "//": return new Flt(Math.floor(x / y));
                    case "%": return new Flt(x % y);
                    case "<": return Bool.of(x < y);
                    case ">": return Bool.of(x > y);
                    case "<=": return Bool.of(x <= y);
                    case ">=": return Bool.of(x >= y);
                    default: break;
                }
            }
        } else if (l instanceof Arr la && r instanceof Arr ra) {
            if (op.equals("+")) {
                List<Value> out = new ArrayList<>(la.items);
                out.addAll(ra.items);
                return new Arr(out);
            }
        }
        if (r instanceof Arr ra && (op.equals("in") || op.equals("not in"))) {
            boolean member = false;
            for (Value x : ra.items) {
                if (Equality.strict(x, l)) {
                    member = true;
                    break;
                }
            }
            return Bool.of(op.equals("in") == member);
        }
        if ((l instanceof Str || r instanceof Str) && op.equals("+"))
            return new Str(Value.primitiveString(l) + Value.primitiveString(r));
        if (l instanceof Str ls && r instanceof Str rs && (op.equals("in") || op.equals("not in")))
            return Bool.of(op.equals("in") == rs.value().contains(ls.value()));
        if (l instanceof Str ls && r instanceof Obj ro && (op.equals("in") || op.equals("not in")))
            return Bool.of(op.equals("in") == ro.map.containsKey(ls.value()));
        throw new JinjaException("Unknown operator \"" + op + "\" between " + Value.typeName(l) + " and " + Value.typeName(r));
    }

    // ---- tests

    static boolean test(String name, Value v, Value arg) {
        return switch (name) {
            case "boolean" -> v instanceof Bool;
            case "callable" -> v instanceof Fn;
            case "odd", "even" -> {
                if (!(v instanceof Int i)) throw new JinjaException("cannot " + name + " on " + Value.typeName(v));
                yield (i.value() % 2 != 0) == name.equals("odd");
            }
            case "false" -> v instanceof Bool b && !b.value();
            case "true" -> v instanceof Bool b && b.value();
            case "none" -> v instanceof Null;
            case "string" -> v instanceof Str;
            case "number" -> v instanceof Int || v instanceof Flt;
            case "integer" -> v instanceof Int;
            case "iterable" -> (v instanceof Arr a && !a.tuple) || v instanceof Str;
            case "mapping" -> v instanceof Obj;
            case "sequence" -> v instanceof Arr || v instanceof Obj || v instanceof Str;
            case "lower" -> v instanceof Str s && s.value().equals(s.value().toLowerCase(java.util.Locale.ROOT));
            case "upper" -> v instanceof Str s && s.value().equals(s.value().toUpperCase(java.util.Locale.ROOT));
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "equalto", "eq" -> Equality.strict(v, arg == null ? Value.UNDEF : arg);
            default -> throw new JinjaException("Unknown test: " + name);
        };
    }

    // ---- filters

    private Value applyFilter(Value operand, String name, List<Node> argNodes, Env env) {
        if (argNodes == null) return Filters.bare(operand, name);
        if (name.equals("selectattr") || name.equals("rejectattr")) {
            for (Node a : argNodes)
                if (!(a instanceof Node.StrLit)) throw new JinjaException("arguments of `" + name + "` must be strings");
        }
        List<Value> args = evalArgs(argNodes, env);
        return Filters.withArgs(operand, name, positional(args), kwargsOf(args));
    }

    // ---- global functions

    private static Value namespace(List<Value> args) {
        List<Value> pos = positional(args);
        if (pos.size() > 1) throw new JinjaException("namespace expected at most 1 argument, got " + pos.size());
        LinkedHashMap<String, Value> entries = new LinkedHashMap<>();
        if (pos.size() == 1) {
            Value src = pos.getFirst();
            if (src instanceof Obj o) entries.putAll(o.map);
            else if (src instanceof Arr a) {
                for (Value pair : a.items) {
                    if (!(pair instanceof Arr p) || p.items.size() != 2 || !(p.items.get(0) instanceof Str k))
                        throw new JinjaException("namespace expected an object or an iterable of [key, value] pairs");
                    entries.put(k.value(), p.items.get(1));
                }
            } else throw new JinjaException("'" + Value.typeName(src) + "' object is not iterable");
        }
        entries.putAll(kwargsOf(args));
        return new Ns(entries);
    }

    private static Value range(List<Value> args) {
        List<Value> pos = positional(args);
        long[] a = new long[pos.size()];
        for (int i = 0; i < a.length; i++) {
            if (!(pos.get(i) instanceof Int n)) throw new JinjaException("range() arguments must be integers");
            a[i] = n.value();
        }
        long start = 0, stop, step = 1;
        if (a.length == 1) stop = a[0];
        else if (a.length == 2 || a.length == 3) {
            start = a[0];
            stop = a[1];
            if (a.length == 3) step = a[2];
        } else throw new JinjaException("range() takes 1 to 3 arguments");
        if (step == 0) throw new JinjaException("range() step must not be zero");
        if (Math.abs((stop - start) / step) > 1_000_000) throw new JinjaException("range() is too long");
        List<Value> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) out.add(new Int(i));
        return new Arr(out);
    }

    static List<Value> keys(Map<String, Value> map) {
        List<Value> out = new ArrayList<>(map.size());
        for (String k : map.keySet()) out.add(new Str(k));
        return out;
    }

    static Comparator<Value> comparator(boolean caseSensitive) {
        return (a, b) -> Equality.compare(a, b, caseSensitive);
    }
}
