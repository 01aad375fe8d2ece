package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;
import java.util.List;
import java.util.function.Function;

/**
 * The C4 cleaning heuristics (Raffel et al. 2020, section 2.2), line rules first, then document rules.
 *
 * <p>Lines removed (counted as {@code lines:<rule>}): without terminal punctuation ({@code . ! ? "} and their
 * full-width and closing-quote forms), with fewer than {@code minWordsPerLine} words, containing "javascript", or
 * containing a policy/cookie phrase ("privacy policy", "terms of use", "cookie policy", "uses cookies", "use of
 * cookies", "use cookies", "accept cookies"). Citation markers like {@code [1]}, {@code [edit]},
 * {@code [citation needed]} are cut out of lines. Documents dropped: containing "lorem ipsum"
 * ({@code c4_lorem_ipsum}), containing a curly brace ({@code c4_curly_brace}, off for technical text), a word longer
 * than {@code maxWordLength} ({@code c4_long_word}), fewer than {@code minSentences} sentences after line removal
 * ({@code c4_too_few_sentences}), or nothing left ({@code c4_empty}).
 *
 * <p>Case-insensitive substring tests are done in place (no lower-cased copies, no regex). Unordered stage,
 * thread-safe.
 */
public final class C4Filter implements DocStage {
    /**
     * @param terminalPunctuation remove lines not ending in terminal punctuation
     * @param minWordsPerLine     remove lines with fewer words (0 = off)
     * @param javascriptLines     remove lines mentioning "javascript"
     * @param policyLines         remove cookie/privacy/terms lines
     * @param removeCitations     cut {@code [1]}-style citation markers
     * @param loremIpsum          drop documents containing "lorem ipsum"
     * @param curlyBrace          drop documents containing '{' or '}'
     * @param maxWordLength       drop documents with a longer whitespace token (0 = off)
     * @param minSentences        drop documents with fewer sentences after line removal (0 = off)
     */
    public record Config(boolean terminalPunctuation, int minWordsPerLine, boolean javascriptLines, boolean policyLines,
                         boolean removeCitations, boolean loremIpsum, boolean curlyBrace, int maxWordLength,
                         int minSentences) {
        public Config {
            if (minWordsPerLine < 0 || maxWordLength < 0 || minSentences < 0) {
                throw new SeedlingException("c4 minWordsPerLine, maxWordLength and minSentences must be >= 0");
            }
        }

        /** The paper's rules (web text): 3 words per line, 5 sentences, braces and lorem ipsum dropped. */
        public static Config web() {
            return new Config(true, 3, true, true, true, true, true, 1000, 5);
        }

        /**
         * Technical text: headings, table rows, list items and log lines rarely end in a period and may hold
         * braces, so only the boilerplate rules stay: policy and javascript lines, lorem ipsum, absurd tokens.
         */
        public static Config technical() {
            return new Config(false, 0, true, true, false, true, false, 1000, 0);
        }

        /** Source code and data: only lorem ipsum. */
        public static Config code() {
            return new Config(false, 0, false, false, false, true, false, 0, 0);
        }
    }

    private static final List<String> POLICY = List.of("privacy policy", "terms of use", "cookie policy",
            "uses cookies", "use of cookies", "use cookies", "accept cookies", "terms of service");

    private final Function<CurDoc, Config> configFor;

    public C4Filter(Config config) {
        this(d -> config);
    }

    public C4Filter(Function<CurDoc, Config> configFor) {
        this.configFor = configFor;
    }

    @Override
    public String name() {
        return "c4";
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        Config c = configFor.apply(doc);
        String t = doc.text();
        long scanned = scan(t);
        int found = (int) scanned, longest = (int) (scanned >>> 32);
        if (c.loremIpsum() && (found & LOREM) != 0) return drop("c4_lorem_ipsum", doc, report);
        if (c.curlyBrace() && (found & BRACE) != 0) return drop("c4_curly_brace", doc, report);
        if (c.maxWordLength() > 0 && longest > c.maxWordLength()) return drop("c4_long_word", doc, report);
        // line rules run only when one can fire: the substring rules need their trigger word somewhere in the text
        boolean lineRules = c.terminalPunctuation() || c.minWordsPerLine() > 0
                || (c.javascriptLines() && (found & JAVASCRIPT) != 0) || (c.policyLines() && (found & POLICY_WORD) != 0)
                || (c.removeCitations() && (found & BRACKET) != 0);
        String out = t;
        if (lineRules) {
            StringBuilder sb = null;
            int n = t.length(), start = 0;
            int noPunct = 0, fewWords = 0, js = 0, policy = 0, citations = 0;
            while (start <= n) {
                int end = t.indexOf('\n', start);
                if (end < 0) end = n;
                String reason = null;
                String line = null;
                int a = start, b = end;
                while (a < b && Character.isWhitespace(t.charAt(a))) a++;
                while (b > a && Character.isWhitespace(t.charAt(b - 1))) b--;
                if (a < b) {
                    if (c.removeCitations() && t.indexOf('[', a) >= 0 && t.indexOf('[', a) < b) {
                        String cut = removeCitations(t, a, b);
                        if (cut.length() != b - a) {
                            citations++;
                            line = cut;
                        }
                    }
                    CharSequence ls = line != null ? line : t;
                    int la = line != null ? 0 : a, lb = line != null ? line.length() : b;
                    if (c.javascriptLines() && containsIgnoreCase(ls, la, lb, "javascript")) {
                        reason = "javascript";
                        js++;
                    } else if (c.policyLines() && policyLine(ls, la, lb)) {
                        reason = "policy";
                        policy++;
                    } else if (c.terminalPunctuation() && !endsWithTerminal(ls, la, lb)) {
                        reason = "no_terminal_punct";
                        noPunct++;
                    } else if (c.minWordsPerLine() > 0 && words(ls, la, lb) < c.minWordsPerLine()) {
                        reason = "few_words";
                        fewWords++;
                    }
                } else if (c.terminalPunctuation()) {
                    reason = "blank"; // C4 keeps only qualifying lines; blank lines go with them
                }
                if (reason != null || line != null) {
                    if (sb == null) {
                        sb = new StringBuilder(n);
                        sb.append(t, 0, start);
                    }
                    if (reason == null) {
                        sb.append(t, start, a).append(line).append(t, b, end);
                        if (end < n) sb.append('\n');
                    }
                } else if (sb != null) {
                    sb.append(t, start, end);
                    if (end < n) sb.append('\n');
                }
                if (end == n) break;
                start = end + 1;
            }
            if (sb != null) {
                out = sb.toString().strip();
                count(report, "lines:no_terminal_punct", noPunct);
                count(report, "lines:few_words", fewWords);
                count(report, "lines:javascript", js);
                count(report, "lines:policy", policy);
                count(report, "lines:citations", citations);
            }
        }
        if (out.isEmpty()) return drop("c4_empty", doc, report);
        if (c.minSentences() > 0 && sentences(out) < c.minSentences()) return drop("c4_too_few_sentences", doc, report);
        return out == t ? doc : doc.withText(out);
    }

    private static final int LOREM = 1, BRACE = 2, JAVASCRIPT = 4, POLICY_WORD = 8, BRACKET = 16;

    /**
     * One pass over the text: which trigger words and characters occur (case-insensitive), in the low 32 bits, and
     * the length of the longest run of chars between ' ', '\n', '\t' and '\r', in the high 32 bits. A trigger word
     * is compared in full only when its second char matches too (every trigger's second char is an ASCII letter that
     * no non-ASCII char equals ignoring case).
     */
    static long scan(String t) {
        int found = 0, n = t.length(), best = 0, run = 0;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                run = 0;
                continue;
            }
            if (++run > best) best = run;
            if (c >= 'a' || (c >= 'A' && c <= 'Z') || c == '{' || c == '}' || c == '[') {
                char next = i + 1 < n ? (char) (t.charAt(i + 1) | 0x20) : 0;
                switch (c) {
                    case '{', '}' -> found |= BRACE;
                    case '[' -> found |= BRACKET;
                    case 'l', 'L' -> {
                        if (next == 'o' && t.regionMatches(true, i, "lorem ipsum", 0, 11)) found |= LOREM;
                    }
                    case 'j', 'J' -> {
                        if (next == 'a' && t.regionMatches(true, i, "javascript", 0, 10)) found |= JAVASCRIPT;
                    }
                    case 'c', 'C' -> {
                        if (next == 'o' && t.regionMatches(true, i, "cookie", 0, 6)) found |= POLICY_WORD;
                    }
                    case 'p', 'P' -> {
                        if (next == 'r' && t.regionMatches(true, i, "privacy", 0, 7)) found |= POLICY_WORD;
                    }
                    case 't', 'T' -> {
                        if (next == 'e' && t.regionMatches(true, i, "terms of", 0, 8)) found |= POLICY_WORD;
                    }
                    default -> { }
                }
            }
        }
        return (long) best << 32 | (found & 0xFFFFFFFFL);
    }

    private static CurDoc drop(String reason, CurDoc doc, StageReport report) {
        report.drop(reason, doc);
        return null;
    }

    private static void count(StageReport report, String key, int n) {
        if (n > 0) report.count(key, n);
    }

    static boolean containsIgnoreCase(CharSequence s, int from, int to, String needle) {
        int m = needle.length();
        char first = needle.charAt(0), firstUpper = Character.toUpperCase(first);
        for (int i = from; i + m <= to; i++) {
            char c = s.charAt(i);
            if (c != first && c != firstUpper) continue;
            int k = 1;
            while (k < m && Character.toLowerCase(s.charAt(i + k)) == needle.charAt(k)) k++;
            if (k == m) return true;
        }
        return false;
    }

    private static boolean policyLine(CharSequence s, int from, int to) {
        if (!containsIgnoreCase(s, from, to, "cookie") && !containsIgnoreCase(s, from, to, "privacy")
                && !containsIgnoreCase(s, from, to, "terms of")) return false;
        for (String p : POLICY) if (containsIgnoreCase(s, from, to, p)) return true;
        return false;
    }

    private static boolean endsWithTerminal(CharSequence s, int from, int to) {
        char c = s.charAt(to - 1);
        return c == '.' || c == '!' || c == '?' || c == '"' || c == '”' || c == '’' || c == '\'' || c == '。'
                || c == '！' || c == '？';
    }

    private static int words(CharSequence s, int from, int to) {
        int w = 0;
        boolean in = false;
        for (int i = from; i < to; i++) {
            boolean space = Character.isWhitespace(s.charAt(i));
            if (!space && !in) w++;
            in = !space;
        }
        return w;
    }

    /** Cuts {@code [12]}, {@code [edit]}, {@code [citation needed]} markers out of {@code t[a, b)}. */
    private static String removeCitations(String t, int a, int b) {
        StringBuilder sb = new StringBuilder(b - a);
        int i = a;
        while (i < b) {
            char c = t.charAt(i);
            if (c == '[') {
                int close = t.indexOf(']', i);
                if (close > i && close < b && citation(t, i + 1, close)) {
                    i = close + 1;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private static boolean citation(String t, int from, int to) {
        if (to - from >= 1 && to - from <= 4) {
            boolean digits = true;
            for (int i = from; i < to; i++) digits &= t.charAt(i) >= '0' && t.charAt(i) <= '9';
            if (digits) return true;
        }
        return t.regionMatches(true, from, "edit", 0, 4) && to - from == 4
                || t.regionMatches(true, from, "citation needed", 0, 15) && to - from == 15;
    }

    /** Sentences: terminal marks followed by whitespace or the end, plus a final unterminated run of text. */
    static int sentences(String t) {
        int n = t.length(), count = 0;
        boolean pending = false;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if ((c == '.' || c == '!' || c == '?' || c == '。' || c == '！' || c == '？')
                    && (i + 1 == n || Character.isWhitespace(t.charAt(i + 1)) || t.charAt(i + 1) == '"')) {
                if (pending) count++;
                pending = false;
            } else if (Character.isLetterOrDigit(c)) {
                pending = true;
            }
        }
        return pending ? count + 1 : count;
    }
}
