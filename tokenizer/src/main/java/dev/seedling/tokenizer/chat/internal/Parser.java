package dev.seedling.tokenizer.chat.internal;

import dev.seedling.tokenizer.chat.internal.Lexer.Token;
import dev.seedling.tokenizer.chat.internal.Lexer.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tokens to a syntax tree. Grammar and precedence follow {@code @huggingface/jinja} (which follows Jinja):
 * ternary &lt; or &lt; and &lt; not &lt; comparison/in &lt; + - ~ &lt; * / // % &lt; ** &lt; is-test &lt; filter &lt;
 * unary sign &lt; call/member &lt; primary. Unknown filters and tests are rejected here, as Jinja does.
 */
final class Parser {
    static final Set<String> FILTERS = Set.of("safe", "tojson", "list", "first", "last", "length", "reverse", "sort",
            "join", "string", "unique", "upper", "lower", "title", "capitalize", "trim", "indent", "int", "float", "abs",
            "items", "bool", "default", "selectattr", "rejectattr", "map", "replace", "dictsort", "count");
    static final Set<String> TESTS = Set.of("boolean", "callable", "odd", "even", "false", "true", "none", "string",
            "number", "integer", "iterable", "mapping", "sequence", "lower", "upper", "defined", "undefined", "equalto",
            "eq");

    private final List<Token> tokens;
    private int cur;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Node> parse(String template) {
        Parser p = new Parser(Lexer.tokenize(template));
        List<Node> body = new ArrayList<>();
        while (p.cur < p.tokens.size()) body.add(p.parseAny());
        return body;
    }

    // ---- helpers

    private JinjaException error(String message) {
        int line = cur < tokens.size() ? tokens.get(cur).line() : (tokens.isEmpty() ? 0 : tokens.getLast().line());
        return new JinjaException(JinjaException.Kind.SYNTAX, message, line);
    }

    private Token peek(int k) {
        return cur + k < tokens.size() ? tokens.get(cur + k) : null;
    }

    private boolean is(Type t) {
        Token tk = peek(0);
        return tk != null && tk.type() == t;
    }

    private boolean isIdent(String name) {
        Token tk = peek(0);
        return tk != null && tk.type() == Type.IDENT && tk.value().equals(name);
    }

    private boolean isStatement(String... names) {
        Token a = peek(0), b = peek(1);
        if (a == null || b == null || a.type() != Type.OPEN_STATEMENT || b.type() != Type.IDENT) return false;
        for (String n : names) if (n.equals(b.value())) return true;
        return false;
    }

    private Token expect(Type t, String what) {
        Token tk = peek(0);
        if (tk == null) throw error("expected " + what + " but the template ended");
        if (tk.type() != t) throw error("expected " + what + ", found " + describe(tk));
        cur++;
        return tk;
    }

    private void expectIdent(String name) {
        if (!isIdent(name)) {
            Token tk = peek(0);
            throw error("expected '" + name + "', found " + (tk == null ? "the end of the template" : describe(tk)));
        }
        cur++;
    }

    private static String describe(Token t) {
        return switch (t.type()) {
            case TEXT -> "text";
            case STRING -> "string '" + t.value() + "'";
            default -> "'" + t.value() + "'";
        };
    }

    private int line() {
        Token t = peek(0);
        return t != null ? t.line() : (tokens.isEmpty() ? 0 : tokens.getLast().line());
    }

    /** Parses statements until one of {@code names} opens a statement; errors at the end of the template. */
    private List<Node> blockUntil(String opener, String... names) {
        List<Node> body = new ArrayList<>();
        while (!isStatement(names)) {
            if (cur >= tokens.size())
                throw error("'" + opener + "' block is not closed: expected {% " + String.join(" or ", names) + " %}");
            body.add(parseAny());
        }
        return body;
    }

    private void endTag(String name) {
        expect(Type.OPEN_STATEMENT, "{%");
        expectIdent(name);
        expect(Type.CLOSE_STATEMENT, "%}");
    }

    // ---- statements

    private Node parseAny() {
        Token t = peek(0);
        return switch (t.type()) {
            case COMMENT -> {
                cur++;
                yield new Node.Comment(t.line());
            }
            case TEXT -> {
                cur++;
                yield new Node.Text(t.value(), t.line());
            }
            case OPEN_STATEMENT -> parseStatement();
            case OPEN_EXPRESSION -> {
                cur++;
                Node e = parseExpression();
                expect(Type.CLOSE_EXPRESSION, "}}");
                yield new Node.Output(e, t.line());
            }
            default -> throw error("unexpected " + describe(t));
        };
    }

    private Node parseStatement() {
        expect(Type.OPEN_STATEMENT, "{%");
        Token nameTok = peek(0);
        if (nameTok == null || nameTok.type() != Type.IDENT)
            throw error("expected a statement name after {%" + (nameTok == null ? "" : ", found " + describe(nameTok)));
        int line = nameTok.line();
        cur++;
        switch (nameTok.value()) {
            case "set" -> {
                return parseSet(line);
            }
            case "if" -> {
                Node n = parseIf(line);
                endTag("endif");
                return n;
            }
            case "for" -> {
                Node n = parseFor(line);
                endTag("endfor");
                return n;
            }
            case "macro" -> {
                Node name = parsePrimary();
                if (!(name instanceof Node.Ident id)) throw error("expected a name after 'macro'");
                List<Node> params = parseArgs(true);
                expect(Type.CLOSE_STATEMENT, "%}");
                List<Node> body = blockUntil("macro", "endmacro");
                endTag("endmacro");
                return new Node.Macro(id.name(), params, body, line);
            }
            case "filter" -> {
                Node f = parseFilterRef(new Node.StrLit("", line));
                expect(Type.CLOSE_STATEMENT, "%}");
                List<Node> body = blockUntil("filter", "endfilter");
                endTag("endfilter");
                return new Node.FilterBlock(f, body, line);
            }
            case "break" -> {
                expect(Type.CLOSE_STATEMENT, "%}");
                return new Node.Break(line);
            }
            case "continue" -> {
                expect(Type.CLOSE_STATEMENT, "%}");
                return new Node.Continue(line);
            }
            default -> throw new JinjaException(JinjaException.Kind.SYNTAX,
                    "unknown statement '" + nameTok.value() + "'", line);
        }
    }

    private Node parseSet(int line) {
        Node target = parseExpressionSequence(false);
        if (is(Type.EQUALS)) {
            cur++;
            Node value = parseExpressionSequence(false);
            expect(Type.CLOSE_STATEMENT, "%}");
            return new Node.Set(target, value, List.of(), line);
        }
        expect(Type.CLOSE_STATEMENT, "%} or '='");
        List<Node> body = blockUntil("set", "endset");
        endTag("endset");
        return new Node.Set(target, null, body, line);
    }

    private Node parseIf(int line) {
        Node test = parseExpression();
        expect(Type.CLOSE_STATEMENT, "%}");
        List<Node> body = blockUntil("if", "elif", "else", "endif");
        List<Node> orElse = new ArrayList<>();
        if (isStatement("elif")) {
            int l = peek(1).line();
            cur += 2;
            orElse.add(parseIf(l));
        } else if (isStatement("else")) {
            cur += 2;
            expect(Type.CLOSE_STATEMENT, "%}");
            orElse = blockUntil("if", "endif");
        }
        return new Node.If(test, body, orElse, line);
    }

    private Node parseFor(int line) {
        Node target = parseExpressionSequence(true);
        if (!(target instanceof Node.Ident || target instanceof Node.TupleLit))
            throw error("expected a name or names after 'for'");
        if (!isIdent("in")) throw error("expected 'in' after the loop variable");
        cur++;
        Node iterable = parseExpression();
        Node test = null;
        if (iterable instanceof Node.Select s) {
            test = s.test();
            iterable = s.value();
        }
        expect(Type.CLOSE_STATEMENT, "%}");
        List<Node> body = blockUntil("for", "endfor", "else");
        List<Node> orElse = List.of();
        if (isStatement("else")) {
            cur += 2;
            expect(Type.CLOSE_STATEMENT, "%}");
            orElse = blockUntil("for", "endfor");
        }
        return new Node.For(target, iterable, test, body, orElse, line);
    }

    // ---- expressions

    private Node parseExpressionSequence(boolean primary) {
        int line = line();
        Node first = primary ? parsePrimary() : parseExpression();
        if (!is(Type.COMMA)) return first;
        List<Node> items = new ArrayList<>();
        items.add(first);
        while (is(Type.COMMA)) {
            cur++;
            items.add(primary ? parsePrimary() : parseExpression());
        }
        return new Node.TupleLit(items, line);
    }

    private Node parseExpression() {
        Node a = parseOr();
        if (isIdent("if")) {
            int line = line();
            cur++;
            Node test = parseOr();
            if (isIdent("else")) {
                cur++;
                return new Node.Ternary(test, a, parseExpression(), line);
            }
            return new Node.Select(a, test, line);
        }
        return a;
    }

    private Node parseOr() {
        Node left = parseAnd();
        while (isIdent("or")) {
            int line = line();
            cur++;
            left = new Node.Binary("or", left, parseAnd(), line);
        }
        return left;
    }

    private Node parseAnd() {
        Node left = parseNot();
        while (isIdent("and")) {
            int line = line();
            cur++;
            left = new Node.Binary("and", left, parseNot(), line);
        }
        return left;
    }

    private Node parseNot() {
        if (isIdent("not")) {
            int line = line();
            cur++;
            return new Node.Unary("not", parseNot(), line);
        }
        return parseComparison();
    }

    private Node parseComparison() {
        Node left = parseAdditive();
        while (true) {
            int line = line();
            String op;
            Token a = peek(0), b = peek(1);
            if (isIdent("not") && b != null && b.type() == Type.IDENT && b.value().equals("in")) {
                op = "not in";
                cur += 2;
            } else if (isIdent("in")) {
                op = "in";
                cur++;
            } else if (is(Type.COMPARISON)) {
                op = a.value();
                cur++;
            } else {
                return left;
            }
            left = new Node.Binary(op, left, parseAdditive(), line);
        }
    }

    private Node parseAdditive() {
        Node left = parseMultiplicative();
        while (is(Type.ADDITIVE)) {
            Token op = peek(0);
            cur++;
            left = new Node.Binary(op.value(), left, parseMultiplicative(), op.line());
        }
        return left;
    }

    private Node parseMultiplicative() {
        Node left = parsePower();
        while (is(Type.MULTIPLICATIVE)) {
            Token op = peek(0);
            cur++;
            left = new Node.Binary(op.value(), left, parsePower(), op.line());
        }
        return left;
    }

    private Node parsePower() {
        Node left = parseTest();
        while (is(Type.POWER)) {
            Token op = peek(0);
            cur++;
            left = new Node.Binary("**", left, parseTest(), op.line());
        }
        return left;
    }

    private Node parseTest() {
        Node operand = parseFilter();
        while (isIdent("is")) {
            int line = line();
            cur++;
            boolean negate = isIdent("not");
            if (negate) cur++;
            Node t = parsePrimary();
            if (!(t instanceof Node.Ident id)) throw error("expected a test name after 'is'");
            if (!TESTS.contains(id.name())) throw new JinjaException(JinjaException.Kind.SYNTAX, "unknown test '" + id.name() + "'", line);
            operand = new Node.Test(operand, id.name(), negate, line);
        }
        return operand;
    }

    private Node parseFilter() {
        Node operand = parseUnarySign();
        while (is(Type.PIPE)) {
            cur++;
            operand = parseFilterRef(operand);
        }
        return operand;
    }

    /** A filter name with optional arguments, applied to {@code operand}. */
    private Node parseFilterRef(Node operand) {
        int line = line();
        Node f = parsePrimary();
        if (!(f instanceof Node.Ident id)) throw error("expected a filter name after '|'");
        if (!FILTERS.contains(id.name())) throw new JinjaException(JinjaException.Kind.SYNTAX, "unknown filter '" + id.name() + "'", line);
        List<Node> args = is(Type.OPEN_PAREN) ? parseArgs(false) : null;
        return new Node.Filter(operand, id.name(), args, line);
    }

    private Node parseUnarySign() {
        Token t = peek(0);
        if (t != null && (t.type() == Type.UNARY || t.type() == Type.ADDITIVE) && (t.value().equals("-") || t.value().equals("+"))) {
            cur++;
            return new Node.Unary(t.value(), parseUnarySign(), t.line());
        }
        Node member = parseMember(parsePrimary());
        return is(Type.OPEN_PAREN) ? parseCall(member) : member;
    }

    private Node parseCall(Node callee) {
        int line = line();
        Node e = new Node.Call(callee, parseArgs(false), line);
        e = parseMember(e);
        return is(Type.OPEN_PAREN) ? parseCall(e) : e;
    }

    /** {@code ( args )}; in parameter mode only names and name=default. */
    private List<Node> parseArgs(boolean parameters) {
        expect(Type.OPEN_PAREN, "(");
        List<Node> args = new ArrayList<>();
        boolean sawKeyword = false;
        while (!is(Type.CLOSE_PAREN)) {
            if (cur >= tokens.size()) throw error("unclosed '(' in an argument list");
            int line = line();
            Node arg = parseExpression();
            if (is(Type.EQUALS)) {
                cur++;
                if (!(arg instanceof Node.Ident id)) throw error("expected a name before '=' in an argument list");
                arg = new Node.Kwarg(id.name(), parseExpression(), line);
                sawKeyword = true;
            } else if (sawKeyword) {
                throw error(parameters ? "non-default argument follows default argument"
                        : "positional arguments must come before keyword arguments");
            }
            if (parameters && !(arg instanceof Node.Ident || arg instanceof Node.Kwarg))
                throw error("expected a parameter name");
            args.add(arg);
            if (is(Type.COMMA)) cur++;
            else if (!is(Type.CLOSE_PAREN)) throw error("expected ',' or ')' in an argument list");
        }
        cur++;
        return args;
    }

    private Node parseMember(Node object) {
        while (is(Type.DOT) || is(Type.OPEN_SQUARE)) {
            Token op = peek(0);
            cur++;
            boolean computed = op.type() == Type.OPEN_SQUARE;
            Node property;
            if (computed) {
                property = parseSubscript();
                expect(Type.CLOSE_SQUARE, "]");
            } else {
                property = parsePrimary();
                if (!(property instanceof Node.Ident || property instanceof Node.IntLit))
                    throw error("expected a name or an integer after '.'");
            }
            object = new Node.Member(object, property, computed, op.line());
        }
        return object;
    }

    private Node parseSubscript() {
        int line = line();
        List<Node> parts = new ArrayList<>();
        boolean slice = false;
        while (!is(Type.CLOSE_SQUARE)) {
            if (cur >= tokens.size()) throw error("unclosed '['");
            if (is(Type.COLON)) {
                parts.add(null);
                cur++;
                slice = true;
            } else {
                parts.add(parseExpression());
                if (is(Type.COLON)) {
                    cur++;
                    slice = true;
                }
            }
        }
        if (parts.isEmpty()) throw error("expected an index or a slice inside '[]'");
        if (!slice) return parts.getFirst();
        if (parts.size() > 3) throw error("a slice has at most three parts");
        return new Node.Slice(parts.get(0), parts.size() > 1 ? parts.get(1) : null, parts.size() > 2 ? parts.get(2) : null, line);
    }

    private Node parsePrimary() {
        Token t = peek(0);
        if (t == null) throw error("expected an expression but the template ended");
        cur++;
        switch (t.type()) {
            case NUMBER -> {
                String v = t.value();
                if (v.contains(".")) return new Node.FloatLit(Double.parseDouble(v), t.line());
                try {
                    return new Node.IntLit(Long.parseLong(v), t.line());
                } catch (NumberFormatException e) {
                    throw new JinjaException(JinjaException.Kind.SYNTAX, "integer literal out of range: " + v, t.line());
                }
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder(t.value());
                while (is(Type.STRING)) sb.append(tokens.get(cur++).value());
                return new Node.StrLit(sb.toString(), t.line());
            }
            case IDENT -> {
                return new Node.Ident(t.value(), t.line());
            }
            case OPEN_PAREN -> {
                Node e = parseExpressionSequence(false);
                expect(Type.CLOSE_PAREN, ")");
                return e;
            }
            case OPEN_SQUARE -> {
                List<Node> items = new ArrayList<>();
                while (!is(Type.CLOSE_SQUARE)) {
                    if (cur >= tokens.size()) throw error("unclosed '['");
                    items.add(parseExpression());
                    if (is(Type.COMMA)) cur++;
                }
                cur++;
                return new Node.ArrayLit(items, t.line());
            }
            case OPEN_CURLY -> {
                List<Node> keys = new ArrayList<>(), values = new ArrayList<>();
                while (!is(Type.CLOSE_CURLY)) {
                    if (cur >= tokens.size()) throw error("unclosed '{'");
                    keys.add(parseExpression());
                    expect(Type.COLON, "':' between key and value");
                    values.add(parseExpression());
                    if (is(Type.COMMA)) cur++;
                }
                cur++;
                return new Node.ObjectLit(keys, values, t.line());
            }
            default -> {
                cur--;
                throw error("unexpected " + describe(t));
            }
        }
    }
}
