package dev.seedling.tokenizer.chat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Template source to tokens, with the whitespace rules Hugging Face uses for chat templates: {@code trim_blocks}
 * and {@code lstrip_blocks} on, one trailing newline dropped, CRLF and CR line breaks read as LF (as Python Jinja does), {@code {%- -%}} / {@code {{- -}}} / {@code {#- -#}}
 * stripping, and the transformers-only {@code {% generation %}} tags removed.
 */
final class Lexer {
    enum Type {
        TEXT, NUMBER, STRING, IDENT, EQUALS, OPEN_PAREN, CLOSE_PAREN, OPEN_STATEMENT, CLOSE_STATEMENT,
        OPEN_EXPRESSION, CLOSE_EXPRESSION, OPEN_SQUARE, CLOSE_SQUARE, OPEN_CURLY, CLOSE_CURLY, COMMA, DOT, COLON,
        PIPE, ADDITIVE, MULTIPLICATIVE, POWER, COMPARISON, UNARY, COMMENT
    }

    record Token(Type type, String value, int line) {}

    private static final String[][] TABLE = {
        {"{%", "OPEN_STATEMENT"}, {"%}", "CLOSE_STATEMENT"}, {"{{", "OPEN_EXPRESSION"}, {"}}", "CLOSE_EXPRESSION"},
        {"(", "OPEN_PAREN"}, {")", "CLOSE_PAREN"}, {"{", "OPEN_CURLY"}, {"}", "CLOSE_CURLY"}, {"[", "OPEN_SQUARE"},
        {"]", "CLOSE_SQUARE"}, {",", "COMMA"}, {".", "DOT"}, {":", "COLON"}, {"|", "PIPE"},
        {"<=", "COMPARISON"}, {">=", "COMPARISON"}, {"==", "COMPARISON"}, {"!=", "COMPARISON"}, {"<", "COMPARISON"},
        {">", "COMPARISON"}, {"+", "ADDITIVE"}, {"-", "ADDITIVE"}, {"~", "ADDITIVE"}, {"**", "POWER"},
        {"*", "MULTIPLICATIVE"}, {"//", "MULTIPLICATIVE"}, {"/", "MULTIPLICATIVE"}, {"%", "MULTIPLICATIVE"},
        {"=", "EQUALS"},
    };

    /** JavaScript's {@code \s}: the whitespace the reference trims and skips. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a')
                || c == '\u2028' || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000' || c == '\ufeff';
    }

    private static final String JS_SPACE = "[ \\t\\n\\x0B\\f\\r\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]";
    private static final Pattern GENERATION = Pattern.compile(
            "(" + JS_SPACE + "*)\\{%(-?)" + JS_SPACE + "*(?:end)?generation" + JS_SPACE + "*(-?)%}(" + JS_SPACE + "*)");

    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The source after deletions, with the original offset of every remaining character. */
    private record Src(String text, int[] origin) {
        Src delete(boolean[] gone) {
            StringBuilder sb = new StringBuilder(text.length());
            int[] o = new int[text.length()];
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                if (gone[i]) continue;
                sb.append(text.charAt(i));
                o[n++] = origin[i];
            }
            return new Src(sb.toString(), java.util.Arrays.copyOf(o, n));
        }
    }

    private static Src preprocess(String template) {
        int[] origin = new int[template.length()];
        for (int i = 0; i < origin.length; i++) origin[i] = i;
        Src src = new Src(template, origin);
        int n = template.length();
        if (template.endsWith("\n")) {
            boolean[] gone = new boolean[n];
            gone[n - 1] = true;
            src = src.delete(gone);
        }
        // lstrip_blocks: spaces and tabs from a line start up to "{%", "{#" or "{-"
        String s = src.text();
        boolean[] gone = new boolean[s.length()];
        for (int i = 0; i < s.length(); ) {
            if (i == 0 || isLineBreak(s.charAt(i - 1))) {
                int j = i;
                while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) j++;
                if (j + 1 < s.length() && s.charAt(j) == '{' && "#%-".indexOf(s.charAt(j + 1)) >= 0) {
                    for (int k = i; k < j; k++) gone[k] = true;
                    i = j + 2;
                    continue;
                }
            }
            i++;
        }
        src = src.delete(gone);
        // trim_blocks: the newline right after "%}", "#}" (or "-}")
        s = src.text();
        gone = new boolean[s.length()];
        for (int i = 0; i + 2 < s.length(); i++) {
            if ("#%-".indexOf(s.charAt(i)) >= 0 && s.charAt(i + 1) == '}' && s.charAt(i + 2) == '\n') {
                gone[i + 2] = true;
                i += 2;
            }
        }
        src = src.delete(gone);
        // {% generation %} / {% endgeneration %}: removed, honouring their own "-" modifiers
        s = src.text();
        Matcher m = GENERATION.matcher(s);
        gone = new boolean[s.length()];
        boolean any = false;
        while (m.find()) {
            any = true;
            for (int k = m.start(); k < m.end(); k++) gone[k] = true;
            if (m.group(2).isEmpty()) for (int k = m.start(1); k < m.end(1); k++) gone[k] = false;
            if (m.group(3).isEmpty()) for (int k = m.start(4); k < m.end(4); k++) gone[k] = false;
        }
        return any ? src.delete(gone) : src;
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
    }

    private final String src;
    private final int[] origin;
    private final int[] lineStarts;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private Lexer(String template) {
        // Python Jinja reads "\r\n" and "\r" as "\n" everywhere (templates saved on Windows render the same)
        if (template.indexOf('\r') >= 0) template = template.replace("\r\n", "\n").replace('\r', '\n');
        Src p = preprocess(template);
        this.src = p.text();
        this.origin = p.origin();
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < template.length(); i++) if (template.charAt(i) == '\n') starts.add(i + 1);
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<Token> tokenize(String template) {
        Lexer lx = new Lexer(template);
        lx.run();
        return lx.tokens;
    }

    /** 1-based line in the original template of preprocessed offset {@code p}. */
    private int lineAt(int p) {
        int o = p < origin.length ? origin[p] : (origin.length == 0 ? 0 : origin[origin.length - 1] + 1);
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= o) lo = mid;
            else hi = mid - 1;
        }
        return lo + 1;
    }

    private JinjaException error(String message) {
        return new JinjaException(JinjaException.Kind.SYNTAX, message, lineAt(pos));
    }

    private char at(int i) {
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private void push(Type t, String v, int start) {
        tokens.add(new Token(t, v, lineAt(start)));
    }

    private Token last() {
        return tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
    }

    private void stripTrailingWhitespace() {
        Token t = last();
        if (t != null && t.type() == Type.TEXT) {
            String v = t.value();
            int e = v.length();
            while (e > 0 && isSpace(v.charAt(e - 1))) e--;
            tokens.remove(tokens.size() - 1);
            if (e > 0) tokens.add(new Token(Type.TEXT, v.substring(0, e), t.line()));
        }
    }

    private void skipLeadingWhitespace() {
        while (pos < src.length() && isSpace(src.charAt(pos))) pos++;
    }

    private String consumeDigits() {
        int s = pos;
        while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
        return src.substring(s, pos);
    }

    private void run() {
        int curlyDepth = 0;
        main:
        while (pos < src.length()) {
            Token lt = last();
            if (lt == null || lt.type() == Type.CLOSE_STATEMENT || lt.type() == Type.CLOSE_EXPRESSION
                    || lt.type() == Type.COMMENT) {
                int s = pos;
                while (pos < src.length() && !(src.charAt(pos) == '{' && "%{#".indexOf(at(pos + 1)) >= 0)) pos++;
                if (pos > s) {
                    push(Type.TEXT, src.substring(s, pos), s);
                    continue;
                }
            }
            if (at(pos) == '{' && at(pos + 1) == '#') {
                int start = pos;
                pos += 2;
                boolean stripBefore = at(pos) == '-';
                if (stripBefore) pos++;
                int cs = pos;
                while (at(pos) != '#' || at(pos + 1) != '}') {
                    if (pos + 2 >= src.length()) throw error("missing end of comment tag");
                    pos++;
                }
                String comment = src.substring(cs, pos);
                boolean stripAfter = comment.endsWith("-");
                if (stripAfter) comment = comment.substring(0, comment.length() - 1);
                if (stripBefore) stripTrailingWhitespace();
                push(Type.COMMENT, comment, start);
                pos += 2;
                if (stripAfter) skipLeadingWhitespace();
                continue;
            }
            if (src.startsWith("{%-", pos)) {
                stripTrailingWhitespace();
                push(Type.OPEN_STATEMENT, "{%", pos);
                pos += 3;
                continue;
            }
            if (src.startsWith("{{-", pos)) {
                stripTrailingWhitespace();
                push(Type.OPEN_EXPRESSION, "{{", pos);
                curlyDepth = 0;
                pos += 3;
                continue;
            }
            skipLeadingWhitespace();
            if (pos >= src.length()) throw error("unexpected end of template inside a tag");
            if (src.startsWith("-%}", pos)) {
                push(Type.CLOSE_STATEMENT, "%}", pos);
                pos += 3;
                skipLeadingWhitespace();
                continue;
            }
            if (src.startsWith("-}}", pos)) {
                push(Type.CLOSE_EXPRESSION, "}}", pos);
                pos += 3;
                skipLeadingWhitespace();
                continue;
            }
            char c = src.charAt(pos);
            if (c == '-' || c == '+') {
                Type lastType = lt == null ? null : last().type();
                if (lastType == null || lastType == Type.TEXT) throw error("unexpected character '" + c + "'");
                switch (lastType) {
                    case IDENT, NUMBER, STRING, CLOSE_PAREN, CLOSE_SQUARE -> {}
                    default -> {
                        int start = pos++;
                        String num = consumeDigits();
                        if (!num.isEmpty() && at(pos) == '.' && isDigit(at(pos + 1))) {
                            pos++;
                            num = num + "." + consumeDigits();
                        }
                        push(num.isEmpty() ? Type.UNARY : Type.NUMBER, c + num, start);
                        continue main;
                    }
                }
            }
            for (String[] e : TABLE) {
                if (e[0].equals("}}") && curlyDepth > 0) continue;
                if (src.startsWith(e[0], pos)) {
                    Type t = Type.valueOf(e[1]);
                    push(t, e[0], pos);
                    if (t == Type.OPEN_EXPRESSION) curlyDepth = 0;
                    else if (t == Type.OPEN_CURLY) curlyDepth++;
                    else if (t == Type.CLOSE_CURLY) curlyDepth--;
                    pos += e[0].length();
                    continue main;
                }
            }
            if (c == '\'' || c == '"') {
                int start = pos++;
                push(Type.STRING, stringBody(c), start);
                pos++;
                continue;
            }
            if (isDigit(c)) {
                int start = pos;
                String num = consumeDigits();
                if ((last() == null || last().type() != Type.DOT) && at(pos) == '.' && isDigit(at(pos + 1))) {
                    pos++;
                    num = num + "." + consumeDigits();
                }
                push(Type.NUMBER, num, start);
                continue;
            }
            if (isWord(c)) {
                int start = pos;
                while (pos < src.length() && isWord(src.charAt(pos))) pos++;
                push(Type.IDENT, src.substring(start, pos), start);
                continue;
            }
            throw error("unexpected character '" + c + "'");
        }
    }

    /**
     * The body of a string literal up to (not including) the closing {@code quote}, escapes resolved: the reference's
     * escapes (backslash followed by n t r b f v ' " backslash, xHH or uHHHH), plus what Python Jinja does where the
     * reference gives up: backslash-a is BEL, a backslash before a line break continues the string, and any other
     * escape is kept as written (Mistral Small 3.1's template relies on the continuation).
     */
    private String stringBody(char quote) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw error("unterminated string literal");
            char c = src.charAt(pos);
            if (c == quote) return sb.toString();
            if (c == '\\') {
                pos++;
                if (pos >= src.length()) throw error("unterminated string literal");
                char e = src.charAt(pos++);
                if (e == 'x' || e == 'u') {
                    int len = e == 'x' ? 2 : 4;
                    String hex = pos + len <= src.length() ? src.substring(pos, pos + len) : "";
                    if (hex.length() != len || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0))
                        throw error("invalid escape \\" + e + hex);
                    sb.append((char) Integer.parseInt(hex, 16));
                    pos += len;
                    continue;
                }
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'v' -> sb.append('\u000b');
                    case '\'' -> sb.append('\'');
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case 'a' -> sb.append('\u0007');
                    case '\n' -> {} // Python: a backslash before a line break continues the string
                    default -> sb.append('\\').append(e); // Python keeps unknown escapes as written
                }
                continue;
            }
            sb.append(c);
            pos++;
        }
    }
}
