package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;
import java.text.Normalizer;

/**
 * Cleans a document's text in one linear pass: Unicode normalisation (NFC by default, NFKC on request), removal of
 * control and invisible characters (keeping {@code \n} and {@code \t}), and whitespace normalisation: CRLF and CR
 * to LF, Unicode line/paragraph separators to LF, non-breaking and other Unicode spaces to a plain space, trailing
 * spaces removed, runs of blank lines cut to {@link Config#maxBlankLines()}, leading and trailing blank lines
 * removed. Indentation and spaces inside a line are kept (code and aligned tables depend on them) unless
 * {@link Config#collapseSpaces()} is set.
 *
 * <p>Counters: {@code normalized}, {@code control_chars}, {@code whitespace} (documents changed by each step);
 * drop reason {@code empty_after_cleaning}. Unordered stage, thread-safe (no mutable state).
 */
public final class TextCleaner implements DocStage {
    /**
     * @param form           {@code NFC}, {@code NFKC} or {@code null} for none (NFD/NFKD are refused: they split
     *                       letters into base + mark, which hurts every later word-based step)
     * @param removeControls remove C0/C1 controls (except LF, TAB), zero-width spaces, soft hyphens, BOMs,
     *                       noncharacters and unpaired surrogates
     * @param maxBlankLines  consecutive blank lines kept at most (0 = none)
     * @param collapseSpaces collapse runs of spaces and tabs inside a line (not the indentation) to one space
     */
    public record Config(Normalizer.Form form, boolean removeControls, int maxBlankLines, boolean collapseSpaces) {
        public Config {
            if (form == Normalizer.Form.NFD || form == Normalizer.Form.NFKD) {
                throw new SeedlingException("clean.normalization must be NFC, NFKC or none, got " + form);
            }
            if (maxBlankLines < 0) throw new SeedlingException("clean.maxBlankLines must be >= 0, got " + maxBlankLines);
        }

        /** NFC, controls removed, at most 2 blank lines in a row, spaces inside lines kept. */
        public static Config defaults() {
            return new Config(Normalizer.Form.NFC, true, 2, false);
        }
    }

    private final Config config;

    public TextCleaner(Config config) {
        this.config = config;
    }

    public TextCleaner() {
        this(Config.defaults());
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "clean";
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        String in = doc.text();
        String normalized = normalize(in, config.form());
        if (normalized != in) report.count("normalized", 1);
        int[] flags = new int[1];
        String out = clean(normalized, flags);
        if ((flags[0] & CONTROL) != 0) report.count("control_chars", 1);
        if ((flags[0] & WHITESPACE) != 0) report.count("whitespace", 1);
        if (out.isEmpty()) {
            report.drop("empty_after_cleaning", doc);
            return null;
        }
        return out.equals(in) ? doc : doc.withText(out);
    }

    /**
     * {@code text} in the given normalisation form; the same instance when it already is. Fast path: a text made
     * only of chars that are stable under the form on their own and never combine with a neighbour (a table built
     * once from the JDK's normaliser) needs no work.
     */
    static String normalize(String text, Normalizer.Form form) {
        if (form == null) return text;
        boolean[] unsafe = form == Normalizer.Form.NFC ? Unsafe.NFC : Unsafe.NFKC;
        int n = text.length(), i = 0;
        while (i < n && !unsafe[text.charAt(i)]) i++;
        if (i == n) return text;
        if (Normalizer.isNormalized(text, form)) return text;
        return Normalizer.normalize(text, form);
    }

    /** Per BMP char: whether it may change under NFC/NFKC alone or combine with a neighbour. Built lazily. */
    private static final class Unsafe {
        static final boolean[] NFC = table(Normalizer.Form.NFC);
        static final boolean[] NFKC = table(Normalizer.Form.NFKC);

        private static boolean[] table(Normalizer.Form form) {
            boolean[] t = new boolean[0x10000];
            char[] one = new char[1];
            for (int c = 0xA0; c < 0x10000; c++) {
                int type = Character.getType(c);
                if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                        || type == Character.ENCLOSING_MARK || type == Character.SURROGATE
                        || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F)) {
                    t[c] = true;
                    continue;
                }
                one[0] = (char) c;
                t[c] = !Normalizer.isNormalized(new String(one), form);
            }
            return t;
        }
    }

    static final int CONTROL = 1, WHITESPACE = 2;

    /** The cleaning pass without normalisation; sets {@link #CONTROL}/{@link #WHITESPACE} in {@code flags[0]}. */
    String clean(String s, int[] flags) {
        String fast = cleanFast(s);
        if (fast != null) {
            if (fast.length() != s.length()) flags[0] |= WHITESPACE;
            return fast;
        }
        return cleanFull(s, flags);
    }

    /**
     * The common case: nothing to fix except leading blank lines and trailing whitespace; returns the trimmed text
     * (the same instance when nothing changes), or null when the full pass is needed.
     */
    private String cleanFast(String s) {
        int n = s.length(), maxNewlines = config.maxBlankLines() + 1, newlineRun = 0;
        boolean prevSpace = false, collapse = config.collapseSpaces(), removeControls = config.removeControls();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > ' ' && c < 0x7F) {
                prevSpace = false;
                newlineRun = 0;
            } else if (c == ' ' || c == '\t') {
                if (collapse && (prevSpace || c == '\t')) return null;
                prevSpace = true;
            } else if (c == '\n') {
                if (prevSpace || ++newlineRun > maxNewlines) return null;
            } else if (c >= 0xA0 && !special(c)) {
                prevSpace = false;
                newlineRun = 0;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                prevSpace = false;
                newlineRun = 0;
            } else if (c >= 0xA0 && !removeControls && !spaceOrBreak(c)) {
                prevSpace = false;
                newlineRun = 0;
            } else {
                return null;
            }
        }
        int start = 0;
        while (start < n && s.charAt(start) == '\n') start++;
        int end = n;
        while (end > start && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) end--;
        // a first line made only of spaces is a blank line: leave it to the full pass
        if (start > 0 && start < n && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) return null;
        return start == 0 && end == n ? s : s.substring(start, end);
    }

    /** Chars at or above U+00A0 that the full pass changes: Unicode spaces and breaks, invisibles, surrogates. */
    private static boolean special(char c) {
        return spaceOrBreak(c) || c == '\u00AD' || c == '\u200B' || c == '\u2060' || c == '\uFEFF' || c == '\uFFFE'
                || c == '\uFFFF' || Character.isSurrogate(c);
    }

    private static boolean spaceOrBreak(char c) {
        return c == '\u00A0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029'
                || c == '\u202F' || c == '\u205F' || c == '\u3000';
    }

    /** The full pass (also the reference the fast path is tested against). */
    String cleanFull(String s, int[] flags) {
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        boolean removeControls = config.removeControls(), collapse = config.collapseSpaces();
        int maxNewlines = config.maxBlankLines() + 1;
        int newlines = 0;          // newlines pending (not yet written)
        int spaces = 0;            // spaces/tabs pending inside the current line
        int spaceStart = 0;        // where the pending run starts in s (to copy it verbatim)
        boolean lineHasText = false;
        int f = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u000B' || c == '\u000C' || c == '\u0085') {
                if (c == '\r') {
                    if (i + 1 < n && s.charAt(i + 1) == '\n') i++;
                    f |= WHITESPACE;
                } else if (c != '\n') {
                    f |= WHITESPACE;
                }
                if (spaces > 0) f |= WHITESPACE; // trailing spaces dropped
                spaces = 0;
                newlines++;
                lineHasText = false;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\u00A0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200A')
                    || c == '\u202F' || c == '\u205F' || c == '\u3000') {
                if (c != ' ' && c != '\t') f |= WHITESPACE;
                if (spaces == 0) spaceStart = i;
                spaces++;
                continue;
            }
            if (removeControls && invisible(s, i, c)) {
                f |= CONTROL;
                continue;
            }
            // a visible character: flush pending newlines and spaces
            if (newlines > 0) {
                if (!out.isEmpty()) {
                    int keep = Math.min(newlines, maxNewlines);
                    if (keep != newlines) f |= WHITESPACE;
                    for (int k = 0; k < keep; k++) out.append('\n');
                } else {
                    f |= WHITESPACE; // leading blank lines
                }
                newlines = 0;
            }
            if (spaces > 0) {
                if (collapse && lineHasText) {
                    out.append(' ');
                    if (spaces > 1 || s.charAt(spaceStart) != ' ') f |= WHITESPACE;
                } else {
                    for (int k = spaceStart; k < spaceStart + spaces; k++) out.append(s.charAt(k) == '\t' ? '\t' : ' ');
                }
                spaces = 0;
            }
            out.append(c);
            lineHasText = true;
        }
        if (newlines > 0 || spaces > 0) f |= WHITESPACE; // trailing blank lines and spaces
        flags[0] |= f;
        return out.toString();
    }

    /** Characters that carry no visible text: controls, zero-width spaces, soft hyphen, BOM, noncharacters, lone surrogates. */
    private static boolean invisible(String s, int i, char c) {
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true; // C0 (LF, TAB handled before) and DEL + C1
        if (c < 0xAD) return false;
        if (c == '\u00AD' || c == '\u200B' || c == '\u2060' || c == '\uFEFF' || c == '\uFFFE' || c == '\uFFFF') return true;
        if (Character.isHighSurrogate(c)) return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (Character.isLowSurrogate(c)) return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        return false;
    }
}
