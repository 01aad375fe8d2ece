package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The quality and repetition rules of Gopher (Rae et al. 2021, appendix A), as datatrove implements them, with
 * per-document thresholds chosen through {@link Config} (usually via {@link QualityFilter} presets).
 *
 * <p>Words are whitespace-separated tokens; a token without a letter or digit ({@code |}, {@code -}, {@code →}) is a
 * symbol token and is left out of the word count, the mean word length and the alphabetic share. Rules, each with
 * its drop reason, checked in this order (the first failure drops the document):
 * <ul>
 *   <li>{@code gopher_too_few_words} / {@code gopher_too_many_words}: words outside [minWords, maxWords];</li>
 *   <li>{@code gopher_mean_word_length}: mean word length (leading/trailing punctuation stripped) outside the range;</li>
 *   <li>{@code gopher_hash_ratio}, {@code gopher_ellipsis_ratio}: '#' chars (optionally not counting Markdown heading
 *       markers) or ellipses ({@code ...}, {@code …}) per word above the maximum;</li>
 *   <li>{@code gopher_bullet_lines}: share of non-blank lines starting with a bullet (•, ‣, ◦, ▪, ●, or {@code -}/{@code *}
 *       followed by a space) above the maximum;</li>
 *   <li>{@code gopher_ellipsis_lines}: share of non-blank lines ending in an ellipsis above the maximum;</li>
 *   <li>{@code gopher_alpha_words}: share of words holding a letter below the minimum;</li>
 *   <li>{@code gopher_stop_words}: fewer than {@code minStopWords} of "the be to of and that have with"; for a text
 *       {@link LanguageId} finds to be another language with a stop-word list, that language's list is used, and for
 *       other languages (or "und", unless {@code undeterminedFailsStopWords}) the rule is skipped;</li>
 *   <li>{@code gopher_dup_lines}, {@code gopher_dup_line_chars}, {@code gopher_dup_paragraphs},
 *       {@code gopher_dup_paragraph_chars}: share of non-blank lines (paragraphs) that repeat an earlier one, by
 *       count and by chars;</li>
 *   <li>{@code gopher_top_2gram} … {@code gopher_top_4gram}: chars covered by the most frequent word n-gram;</li>
 *   <li>{@code gopher_dup_5gram} … {@code gopher_dup_10gram}: chars in repeated word n-grams (datatrove's
 *       greedy count, skipping past each repeat).</li>
 * </ul>
 * A threshold of {@code Double.NaN} (or a count ≤ 0 where noted) disables a rule. Linear time (hash tables, no
 * regex); per-thread scratch buffers are reused. Unordered stage, thread-safe.
 */
public final class GopherFilter implements DocStage {
    /**
     * @param topNgramMaxFraction index 0..2 for n = 2..4
     * @param dupNgramMaxFraction index 0..5 for n = 5..10
     */
    public record Config(int minWords, int maxWords, double minMeanWordLength, double maxMeanWordLength,
                         double maxHashRatio, boolean ignoreHeadingHashes, double maxEllipsisRatio,
                         double maxBulletLineRatio, double maxEllipsisLineRatio, double minAlphaWordRatio,
                         int minStopWords, boolean undeterminedFailsStopWords,
                         double maxDupLineFraction, double maxDupLineCharFraction,
                         double maxDupParagraphFraction, double maxDupParagraphCharFraction,
                         double[] topNgramMaxFraction, double[] dupNgramMaxFraction) {
        public Config {
            if (minWords < 0 || maxWords < minWords) {
                throw new SeedlingException("gopher word range must satisfy 0 <= minWords <= maxWords, got " + minWords + ".." + maxWords);
            }
            if (topNgramMaxFraction.length != 3) throw new SeedlingException("gopher topNgramMaxFraction needs 3 values (n = 2, 3, 4)");
            if (dupNgramMaxFraction.length != 6) throw new SeedlingException("gopher dupNgramMaxFraction needs 6 values (n = 5..10)");
            topNgramMaxFraction = topNgramMaxFraction.clone();
            dupNgramMaxFraction = dupNgramMaxFraction.clone();
        }

        @Override
        public double[] topNgramMaxFraction() {
            return topNgramMaxFraction.clone();
        }

        @Override
        public double[] dupNgramMaxFraction() {
            return dupNgramMaxFraction.clone();
        }

        /** The paper's thresholds (web text). */
        public static Config web() {
            return new Config(50, 100_000, 3, 10, 0.1, false, 0.1, 0.9, 0.3, 0.8, 2, true,
                    0.3, 0.2, 0.3, 0.2,
                    new double[] {0.20, 0.18, 0.16}, new double[] {0.15, 0.14, 0.13, 0.12, 0.11, 0.10});
        }

        /**
         * Technical prose: manuals, specifications, fault tables, logs, reports. Markdown heading markers do not
         * count as '#', numbers and codes may make up half the words, part numbers and units stretch the mean
         * word length, templated records (logs, forms) may repeat lines and short phrases more, a text in no
         * identifiable language is not failed for lacking stop words.
         */
        public static Config technical() {
            return new Config(20, 200_000, 2.5, 12, 0.1, true, 0.1, 0.95, 0.3, 0.5, 2, false,
                    0.5, 0.35, 0.5, 0.35,
                    new double[] {0.25, 0.22, 0.20}, new double[] {0.35, 0.33, 0.31, 0.29, 0.27, 0.25});
        }

        /**
         * Source code and data files: only the word range and gross repetition (a generated or copy-pasted file);
         * the prose rules are off.
         */
        public static Config code() {
            double off = Double.NaN;
            return new Config(5, 500_000, off, off, off, true, off, off, off, off, 0, false,
                    0.7, 0.6, 0.7, 0.6,
                    new double[] {off, off, off}, new double[] {0.6, 0.6, 0.6, 0.6, 0.6, 0.6});
        }
    }

    private final Function<CurDoc, Config> configFor;

    /** One configuration for every document. */
    public GopherFilter(Config config) {
        this(d -> config);
    }

    /** A configuration chosen per document (e.g. by source or file type, see {@link QualityFilter}). */
    public GopherFilter(Function<CurDoc, Config> configFor) {
        this.configFor = configFor;
    }

    @Override
    public String name() {
        return "gopher";
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        String why = check(doc.text(), configFor.apply(doc));
        if (why == null) return doc;
        report.drop(why, doc);
        return null;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The drop reason for {@code text} under {@code c}, or null when it passes every rule. */
    public static String check(String text, Config c) {
        Scratch s = SCRATCH.get();
        s.scan(text);
        String why = quality(text, c, s);
        if (why == null) why = repetition(text, c, s);
        s.release();
        return why;
    }

    private static boolean on(double threshold) {
        return !Double.isNaN(threshold);
    }

    private static String quality(String text, Config c, Scratch s) {
        if (s.words < c.minWords()) return "gopher_too_few_words";
        if (s.words > c.maxWords()) return "gopher_too_many_words";
        double words = Math.max(1, s.words);
        if (on(c.minMeanWordLength()) || on(c.maxMeanWordLength())) {
            double mean = s.wordChars / words;
            if ((on(c.minMeanWordLength()) && mean < c.minMeanWordLength())
                    || (on(c.maxMeanWordLength()) && mean > c.maxMeanWordLength())) return "gopher_mean_word_length";
        }
        if (on(c.maxHashRatio())) {
            long hashes = c.ignoreHeadingHashes() ? s.hashes - s.headingHashes : s.hashes;
            if (hashes / words > c.maxHashRatio()) return "gopher_hash_ratio";
        }
        if (on(c.maxEllipsisRatio()) && s.ellipses / words > c.maxEllipsisRatio()) return "gopher_ellipsis_ratio";
        double lines = Math.max(1, s.lines);
        if (on(c.maxBulletLineRatio()) && s.bulletLines / lines > c.maxBulletLineRatio()) return "gopher_bullet_lines";
        if (on(c.maxEllipsisLineRatio()) && s.ellipsisLines / lines > c.maxEllipsisLineRatio()) return "gopher_ellipsis_lines";
        if (on(c.minAlphaWordRatio()) && s.alphaWords / words < c.minAlphaWordRatio()) return "gopher_alpha_words";
        if (c.minStopWords() > 0 && s.gopherStopWords < c.minStopWords()) {
            LanguageId.Result lang = LanguageId.detect(text);
            if (lang.language().equals(LanguageId.UNDETERMINED)) {
                if (c.undeterminedFailsStopWords()) return "gopher_stop_words";
            } else if (!lang.language().equals("en")) {
                int n = LanguageId.stopWordCount(lang.language(), text, 0, text.length());
                if (n >= 0 && n < c.minStopWords()) return "gopher_stop_words";
            } else {
                return "gopher_stop_words";
            }
        }
        return null;
    }

    private static String repetition(String text, Config c, Scratch s) {
        double chars = Math.max(1, text.length());
        if (on(c.maxDupLineFraction()) || on(c.maxDupLineCharFraction())) {
            s.duplicates(text, false);
            if (on(c.maxDupLineFraction()) && s.dupUnits / (double) Math.max(1, s.units) > c.maxDupLineFraction()) return "gopher_dup_lines";
            if (on(c.maxDupLineCharFraction()) && s.dupChars / chars > c.maxDupLineCharFraction()) return "gopher_dup_line_chars";
        }
        if (on(c.maxDupParagraphFraction()) || on(c.maxDupParagraphCharFraction())) {
            s.duplicates(text, true);
            if (on(c.maxDupParagraphFraction()) && s.dupUnits / (double) Math.max(1, s.units) > c.maxDupParagraphFraction()) return "gopher_dup_paragraphs";
            if (on(c.maxDupParagraphCharFraction()) && s.dupChars / chars > c.maxDupParagraphCharFraction()) return "gopher_dup_paragraph_chars";
        }
        double[] top = c.topNgramMaxFraction;
        // An n-gram occurs at most as often as its (n-1)-gram prefix, so the top count found for a smaller n bounds
        // the top count of every larger n: with the longest n-token window, that bounds the rule's figure, and when
        // the bound is within the threshold the rule cannot fire and its counting pass is skipped.
        int topCountBound = Integer.MAX_VALUE;
        for (int n = 2; n <= 4; n++) {
            if (!on(top[n - 2])) continue;
            if (topCountBound != Integer.MAX_VALUE && (double) topCountBound * s.longestWindow(n) / chars <= top[n - 2]) continue;
            if (s.topNgramChars(n) / chars > top[n - 2]) return "gopher_top_" + n + "gram";
            topCountBound = s.topCount;
        }
        double[] dup = c.dupNgramMaxFraction;
        double lowest = Double.POSITIVE_INFINITY;
        for (double d : dup) if (on(d)) lowest = Math.min(lowest, d);
        if (lowest == Double.POSITIVE_INFINITY) return null;
        // Every word the greedy count of any n >= 5 can add lies in a 5-gram seen earlier in the text, so when the
        // chars of those words are within every threshold, no dup rule can fail: one pass instead of six.
        if (s.repeatedFiveGramCover() / chars <= lowest) return null;
        for (int n = 5; n <= 10; n++) {
            if (on(dup[n - 5]) && s.dupNgramChars(n) / chars > dup[n - 5]) return "gopher_dup_" + n + "gram";
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Per-thread buffers and the one-pass statistics of a text. */
    static final class Scratch {
        // per token (all whitespace-separated tokens, symbols included): hash and length
        long[] tokenHash = new long[1024];
        int[] tokenLen = new int[1024];
        int tokens;
        // per non-blank line: hash of its tokens, trimmed length, whether a blank line precedes it
        long[] lineHash = new long[256];
        int[] lineLen = new int[256];
        boolean[] paragraphStart = new boolean[256];
        long curLineHash;
        boolean blankBefore;
        // counts
        int words, alphaWords, gopherStopWords, lines, bulletLines, ellipsisLines;
        long wordChars, hashes, headingHashes, ellipses;
        // duplicates result
        int units, dupUnits;
        long dupChars;
        final LongCounter counter = new LongCounter();

        void release() {
            if (tokenHash.length > (1 << 20)) {
                tokenHash = new long[1024];
                tokenLen = new int[1024];
            }
            counter.shrink();
        }

        /** One pass: tokens, word statistics, line statistics. */
        void scan(String t) {
            tokens = words = alphaWords = gopherStopWords = lines = bulletLines = ellipsisLines = 0;
            wordChars = hashes = headingHashes = ellipses = 0;
            int n = t.length();
            int i = 0;
            curLineHash = 0;
            blankBefore = true;
            boolean lineStart = true, lineHasText = false;
            int lineFirst = -1;        // first non-blank char index of the current line
            int lastNonBlank = -1;     // last non-blank char index of the current line
            while (i <= n) {
                char c = i < n ? t.charAt(i) : '\n';
                if (c == '\n') {
                    if (lineHasText) endLine(t, lineFirst, lastNonBlank);
                    else blankBefore = true;
                    lineHasText = false;
                    lineStart = true;
                    i++;
                    continue;
                }
                if (c == ' ' || c == '\t' || c == '\r' || c == '\u00A0' || c == '\f' || c == '\u000B') {
                    i++;
                    continue;
                }
                // a token starts at i
                int start = i;
                if (!lineHasText) {
                    lineFirst = start;
                    lineHasText = true;
                }
                long h = 0xCBF29CE484222325L;
                boolean alnum = false, letter = false;
                int firstAlnum = -1, lastAlnum = -1;
                while (i < n) {
                    c = t.charAt(i);
                    if ((char) ((c | 0x20) - 'a') < 26) { // an ASCII letter, the common case: what the general path does for it
                        h = (h ^ c) * 0x100000001B3L;
                        alnum = letter = true;
                        if (firstAlnum < 0) firstAlnum = i;
                        lastAlnum = i++;
                        lineStart = false;
                        continue;
                    }
                    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u00A0' || c == '\f' || c == '\u000B') break;
                    h = (h ^ c) * 0x100000001B3L;
                    if (c == '#') {
                        hashes++;
                        if (lineStart) headingHashes++;
                    } else if (c == '…') {
                        ellipses++;
                    } else if (c == '.' && i + 2 < n && t.charAt(i + 1) == '.' && t.charAt(i + 2) == '.') {
                        ellipses++;
                        h = (h ^ '.') * 0x100000001B3L;
                        h = (h ^ '.') * 0x100000001B3L;
                        i += 2;
                    }
                    boolean isLetter = c < 0x80 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') : Character.isLetter(c);
                    boolean isDigit = c >= '0' && c <= '9';
                    if (isLetter || isDigit || (c >= 0x80 && Character.isLetterOrDigit(c))) {
                        alnum = true;
                        if (firstAlnum < 0) firstAlnum = i;
                        lastAlnum = i;
                    }
                    if (isLetter) letter = true;
                    if (c != '#') lineStart = false;
                    i++;
                }
                lineStart = false;
                lastNonBlank = i - 1;
                if (tokens == tokenHash.length) {
                    tokenHash = Arrays.copyOf(tokenHash, tokens * 2);
                    tokenLen = Arrays.copyOf(tokenLen, tokens * 2);
                }
                long th = RepeatedLines.mix(h);
                tokenHash[tokens] = th;
                tokenLen[tokens++] = i - start;
                curLineHash = curLineHash * 0x100000001B3L + th;
                if (alnum) {
                    words++;
                    wordChars += lastAlnum - firstAlnum + 1;
                    if (letter) alphaWords++;
                    if (stopWord(t, firstAlnum, lastAlnum + 1)) gopherStopWords++;
                }
            }
        }

        private void endLine(String t, int first, int last) {
            if (lines == lineHash.length) {
                lineHash = Arrays.copyOf(lineHash, 2 * lines);
                lineLen = Arrays.copyOf(lineLen, 2 * lines);
                paragraphStart = Arrays.copyOf(paragraphStart, 2 * lines);
            }
            lineHash[lines] = curLineHash;
            lineLen[lines] = last - first + 1;
            paragraphStart[lines] = blankBefore;
            curLineHash = 0;
            blankBefore = false;
            lines++;
            char c = t.charAt(first);
            if (c == '•' || c == '‣' || c == '◦' || c == '▪' || c == '●') {
                bulletLines++;
            } else if ((c == '-' || c == '*') && first + 1 <= last && (t.charAt(first + 1) == ' ' || t.charAt(first + 1) == '\t')) {
                bulletLines++; // a Markdown list item, not "**bold**" or "-5 °C"
            }
            if (t.charAt(last) == '…' || (last >= first + 2 && t.charAt(last) == '.' && t.charAt(last - 1) == '.' && t.charAt(last - 2) == '.')) {
                ellipsisLines++;
            }
        }

        /** Gopher's eight English stop words. */
        static boolean stopWord(String t, int from, int to) {
            int len = to - from;
            if (len < 2 || len > 4) return false;
            char a = (char) (t.charAt(from) | 0x20), b = (char) (t.charAt(from + 1) | 0x20);
            return switch (len) {
                case 2 -> (a == 'b' && b == 'e') || (a == 't' && b == 'o') || (a == 'o' && b == 'f');
                case 3 -> (a == 't' && b == 'h' && (t.charAt(from + 2) | 0x20) == 'e')
                        || (a == 'a' && b == 'n' && (t.charAt(from + 2) | 0x20) == 'd');
                default -> {
                    char c = (char) (t.charAt(from + 2) | 0x20), d = (char) (t.charAt(from + 3) | 0x20);
                    yield (a == 't' && b == 'h' && c == 'a' && d == 't') || (a == 'h' && b == 'a' && c == 'v' && d == 'e')
                            || (a == 'w' && b == 'i' && c == 't' && d == 'h');
                }
            };
        }

        /**
         * Duplicate lines or paragraphs (runs of lines between blank lines): counts and chars. Lines are compared by
         * their token sequence (so runs of spaces do not matter) and measured trimmed.
         */
        void duplicates(String t, boolean paragraphs) {
            units = dupUnits = 0;
            dupChars = 0;
            counter.clear();
            int k = 0;
            while (k < lines) {
                long h = lineHash[k];
                long len = lineLen[k];
                int next = k + 1;
                if (paragraphs) {
                    while (next < lines && !paragraphStart[next]) {
                        h = RepeatedLines.mix(h + 0x9E3779B97F4A7C15L) ^ lineHash[next];
                        len += 1 + lineLen[next];
                        next++;
                    }
                }
                units++;
                if (counter.increment(RepeatedLines.mix(h ^ (len << 1))) > 1) {
                    dupUnits++;
                    dupChars += len;
                }
                k = next;
            }
        }

        /** The longest run of {@code n} consecutive tokens, in chars with one space between tokens (0 if fewer tokens). */
        long longestWindow(int n) {
            if (tokens < n) return 0;
            long len = n - 1;
            for (int k = 0; k < n; k++) len += tokenLen[k];
            long best = len;
            for (int k = n; k < tokens; k++) {
                len += tokenLen[k] - tokenLen[k - n];
                if (len > best) best = len;
            }
            return best;
        }

        /** The count of the most frequent n-gram in the last {@link #topNgramChars} call (0 when it had no n-gram). */
        int topCount;

        /** Chars covered by the most frequent token n-gram: its length (tokens joined by spaces) times its count. */
        long topNgramChars(int n) {
            topCount = 0;
            if (tokens < n) return 0;
            counter.clear();
            long pow = 1;
            for (int k = 1; k < n; k++) pow *= 0x100000001B3L;
            long h = 0;
            for (int k = 0; k < n; k++) h = h * 0x100000001B3L + tokenHash[k];
            int best = 0, bestAt = 0;
            for (int i = 0; ; i++) {
                int count = counter.increment(h);
                if (count > best) {
                    best = count;
                    bestAt = i;
                }
                if (i + n >= tokens) break;
                h = (h - tokenHash[i] * pow) * 0x100000001B3L + tokenHash[i + n];
            }
            topCount = best;
            if (best < 2) return 0;
            long len = n - 1;
            for (int k = 0; k < n; k++) len += tokenLen[bestAt + k];
            return len * best;
        }

        /** Chars in repeated token n-grams, datatrove's greedy count: after a repeat, jump past it. */
        long dupNgramChars(int n) {
            if (tokens < n) return 0;
            counter.clear();
            long pow = 1;
            for (int k = 1; k < n; k++) pow *= 0x100000001B3L;
            // rolling hashes of all n-grams, then a greedy walk
            long repeated = 0;
            int i = 0;
            long h = ngramHash(0, n);
            int hashAt = 0;
            while (i + n <= tokens) {
                if (hashAt != i) {
                    h = i == hashAt + 1 ? (h - tokenHash[hashAt] * pow) * 0x100000001B3L + tokenHash[i + n - 1] : ngramHash(i, n);
                    hashAt = i;
                }
                if (counter.increment(h) > 1) {
                    for (int k = 0; k < n; k++) repeated += tokenLen[i + k];
                    i += n;
                } else {
                    i++;
                }
            }
            return repeated;
        }

        /** Chars of the tokens covered by some 5-gram window that already occurred earlier (each token once). */
        long repeatedFiveGramCover() {
            final int n = 5;
            if (tokens < n) return 0;
            counter.clear();
            long pow = 1;
            for (int k = 1; k < n; k++) pow *= 0x100000001B3L;
            long h = ngramHash(0, n), covered = 0;
            int coveredUpTo = 0; // tokens before this index are already counted
            for (int i = 0; ; i++) {
                if (counter.increment(h) > 1) {
                    for (int k = Math.max(i, coveredUpTo); k < i + n; k++) covered += tokenLen[k];
                    coveredUpTo = i + n;
                }
                if (i + n >= tokens) break;
                h = (h - tokenHash[i] * pow) * 0x100000001B3L + tokenHash[i + n];
            }
            return covered;
        }

        private long ngramHash(int from, int n) {
            long h = 0;
            for (int k = 0; k < n; k++) h = h * 0x100000001B3L + tokenHash[from + k];
            return h;
        }
    }

    /**
     * Open-addressing long → count table, cleared in O(1) by a generation stamp. Key and (stamp, count) of a slot
     * sit side by side in one array, so a probe touches one cache line. Not thread-safe.
     */
    static final class LongCounter {
        private static final int INITIAL = 1 << 12;
        private long[] slots = new long[2 * INITIAL]; // [2i] key, [2i+1] stamp << 32 | count
        private long stamp = 1;
        private int size;

        void clear() {
            size = 0;
            if (++stamp == Integer.MAX_VALUE) {
                Arrays.fill(slots, 0);
                stamp = 1;
            }
        }

        void shrink() {
            if (slots.length > (1 << 21)) {
                slots = new long[2 * INITIAL];
                stamp = 1;
                size = 0;
            }
        }

        /** Adds one to {@code key}'s count and returns the new count. */
        int increment(long key) {
            if (2 * (size + 1) > slots.length / 2) grow();
            int mask = slots.length / 2 - 1;
            int i = (int) (key ^ (key >>> 32)) & mask;
            long live = stamp << 32;
            while (true) {
                long meta = slots[2 * i + 1];
                if ((meta & 0xFFFFFFFF00000000L) != live) break;
                if (slots[2 * i] == key) {
                    slots[2 * i + 1] = meta + 1;
                    return (int) (meta + 1);
                }
                i = (i + 1) & mask;
            }
            slots[2 * i] = key;
            slots[2 * i + 1] = live | 1;
            size++;
            return 1;
        }

        private void grow() {
            long[] old = slots;
            long live = stamp << 32;
            slots = new long[old.length * 2];
            int mask = slots.length / 2 - 1;
            for (int j = 0; j < old.length; j += 2) {
                if ((old[j + 1] & 0xFFFFFFFF00000000L) != live) continue;
                long key = old[j];
                int i = (int) (key ^ (key >>> 32)) & mask;
                while ((slots[2 * i + 1] & 0xFFFFFFFF00000000L) == live) i = (i + 1) & mask;
                slots[2 * i] = key;
                slots[2 * i + 1] = old[j + 1];
            }
        }
    }
}
