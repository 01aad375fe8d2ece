package dev.seedling.tokenizer.internal.hf;

/**
 * Hand-written scanners for the pre-tokenizer regexes of GPT-2, Llama 3 and Qwen 2, several times faster than
 * {@link java.util.regex} on them. Each gives exactly the regex's matches (leftmost-first alternation with
 * backtracking); {@code PatternScannersTest} checks that against the regex on many random strings. Character classes:
 * {@code \p{L}} = {@link Character#isLetter}, {@code \p{N}} = Nd/Nl/No, {@code \s} = White_Space, as the regex runs
 * with {@link java.util.regex.Pattern#UNICODE_CHARACTER_CLASS}.
 *
 * <p>The patterns (alternatives tried in order at each position):
 * <pre>
 * GPT-2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * Llama 3: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * Qwen 2:  as Llama 3 with \p{N} for \p{N}{1,3}
 * </pre>
 * Every character is a letter, a number, White_Space or "other", and some alternative matches each of those, so the
 * matches of these patterns tile the text with no gaps.
 */
final class PatternScanners {
    private PatternScanners() {}

    /** Finds the matches of one fixed regex in a non-empty string, appending matches and gaps to {@code out}. */
    interface Scanner {
        void scan(String text, Spans out);
    }

    static final String GPT2 = PreTokenizers.GPT2_PATTERN;
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** The scanner equivalent to {@code onigPattern}, or null when there is none. */
    static Scanner forPattern(String onigPattern) {
        if (onigPattern.equals(GPT2)) return new Gpt2Scanner();
        if (onigPattern.equals(LLAMA3)) return new Llama3Scanner(3);
        if (onigPattern.equals(QWEN2)) return new Llama3Scanner(1);
        return null;
    }

    // character kinds
    private static final byte LETTER = 1, NUMBER = 2, SPACE = 3, OTHER = 4;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) ASCII[c] = slowKind(c);
    }

    private static byte slowKind(int cp) {
        if (Character.isLetter(cp)) return LETTER;
        if (CharClasses.isNumeric(cp)) return NUMBER;
        if (CharClasses.isWhiteSpace(cp)) return SPACE;
        return OTHER;
    }

    private static byte kind(int cp) {
        return cp < 128 ? ASCII[cp] : slowKind(cp);
    }

    private static boolean isCrLf(int cp) {
        return cp == '\r' || cp == '\n';
    }

    /**
     * Whether {@code cp} matches ASCII letter {@code lower} case-insensitively, by java.util.regex's Unicode rule
     * ({@code toLowerCase(toUpperCase(cp))}; so U+017F long s matches s, as in Oniguruma's case folding).
     */
    private static boolean foldsTo(int cp, char lower) {
        return cp == lower || Character.toLowerCase(Character.toUpperCase(cp)) == lower;
    }

    /** Length (in chars) of a contraction {@code 's|'t|'re|'ve|'m|'ll|'d} at {@code i} (which holds '), or 0. */
    private static int contraction(String t, int i, boolean ignoreCase) {
        int n = t.length();
        if (i + 1 >= n) return 0;
        int c1 = t.codePointAt(i + 1);
        int l1 = Character.charCount(c1);
        int c2 = i + 1 + l1 < n ? t.codePointAt(i + 1 + l1) : -1;
        int l2 = c2 < 0 ? 0 : Character.charCount(c2);
        // alternatives in pattern order: s, t, re, ve, m, ll, d
        if (is(c1, 's', ignoreCase)) return 1 + l1;
        if (is(c1, 't', ignoreCase)) return 1 + l1;
        if (is(c1, 'r', ignoreCase) && c2 >= 0 && is(c2, 'e', ignoreCase)) return 1 + l1 + l2;
        if (is(c1, 'v', ignoreCase) && c2 >= 0 && is(c2, 'e', ignoreCase)) return 1 + l1 + l2;
        if (is(c1, 'm', ignoreCase)) return 1 + l1;
        if (is(c1, 'l', ignoreCase) && c2 >= 0 && is(c2, 'l', ignoreCase)) return 1 + l1 + l2;
        if (is(c1, 'd', ignoreCase)) return 1 + l1;
        return 0;
    }

    private static boolean is(int cp, char lower, boolean ignoreCase) {
        return ignoreCase ? foldsTo(cp, lower) : cp == lower;
    }

    /** End of the run of code points of kind {@code k} starting at {@code i}. */
    private static int run(String t, int i, byte k) {
        int n = t.length();
        while (i < n) {
            char c = t.charAt(i);
            if (c < 128) {
                if (ASCII[c] != k) break;
                i++;
            } else {
                int cp = t.codePointAt(i);
                if (kind(cp) != k) break;
                i += Character.charCount(cp);
            }
        }
        return i;
    }

    /** End of the whitespace-run alternatives {@code \s+(?!\S)|\s+} for a run [i, j) (j = end of the run). */
    private static int spaceRun(String t, int i, int j) {
        if (j == t.length()) return j;
        // \s+(?!\S): give back the last white-space char so that the next char (white) is not \S, if any remains
        int last = j - Character.charCount(t.codePointBefore(j));
        return last > i ? last : j;
    }

    /** GPT-2's pattern. */
    static final class Gpt2Scanner implements Scanner {
        @Override
        public void scan(String t, Spans out) {
            int n = t.length();
            int i = 0;
            while (i < n) {
                int cp = t.codePointAt(i);
                int len = Character.charCount(cp);
                byte k = kind(cp);
                int end;
                int c = cp == '\'' ? contraction(t, i, false) : 0;
                if (c > 0) {
                    end = i + c;
                } else if (k == LETTER || k == NUMBER || k == OTHER) {
                    end = run(t, i + len, k);
                } else if (cp == ' ' && i + 1 < n && kind(t.codePointAt(i + 1)) != SPACE) {
                    // ' ?X+' with X the kind of the next char (letters, numbers or other)
                    end = run(t, i + 1, kind(t.codePointAt(i + 1)));
                } else {
                    end = spaceRun(t, i, run(t, i, SPACE));
                }
                out.add(i, end, true);
                i = end;
            }
        }
    }

    /** Llama 3's pattern ({@code maxDigits} 3) and Qwen 2's ({@code maxDigits} 1). */
    static final class Llama3Scanner implements Scanner {
        private final int maxDigits;

        Llama3Scanner(int maxDigits) {
            this.maxDigits = maxDigits;
        }

        @Override
        public void scan(String t, Spans out) {
            int n = t.length();
            int i = 0;
            while (i < n) {
                int cp = t.codePointAt(i);
                int len = Character.charCount(cp);
                byte k = kind(cp);
                int end = -1;
                if (cp == '\'') {
                    int c = contraction(t, i, true);
                    if (c > 0) end = i + c;
                }
                if (end < 0) {
                    if (k == LETTER) {
                        end = run(t, i + len, LETTER);
                    } else if (k == NUMBER) {
                        end = i + len;
                        for (int d = 1; d < maxDigits && end < n; d++) {
                            int next = t.codePointAt(end);
                            if (kind(next) != NUMBER) break;
                            end += Character.charCount(next);
                        }
                    } else {
                        int next = i + len < n ? t.codePointAt(i + len) : -1;
                        byte nk = next < 0 ? 0 : kind(next);
                        if (!isCrLf(cp) && nk == LETTER) {
                            end = run(t, i + len, LETTER); // [^\r\n\p{L}\p{N}]?\p{L}+
                        } else if (k == OTHER || (cp == ' ' && nk == OTHER)) {
                            int s = k == OTHER ? i : i + 1; // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
                            end = run(t, s, OTHER);
                            while (end < n && isCrLf(t.charAt(end))) end++;
                        } else {
                            // white space: \s*[\r\n]+ | \s+(?!\S) | \s+
                            int j = run(t, i, SPACE);
                            int lastCrLf = -1;
                            for (int p = j - 1; p >= i; p--) {
                                if (isCrLf(t.charAt(p))) {
                                    lastCrLf = p;
                                    break;
                                }
                            }
                            end = lastCrLf >= 0 ? lastCrLf + 1 : spaceRun(t, i, j);
                        }
                    }
                }
                out.add(i, end, true);
                i = end;
            }
        }
    }
}
