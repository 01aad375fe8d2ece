package dev.seedling.data.curate.internal.text;

import dev.seedling.data.curate.internal.hash.Murmur3;

/**
 * The one word normalisation of the dedup, decontamination and domain-scoring stages: a word is a maximal run of
 * letters, digits and combining marks; it is lower-cased (per code point) and hashed to 64 bits. Punctuation,
 * symbols and whitespace only separate words, so "Pump-3 failed." and "pump 3 FAILED" give the same words.
 *
 * <p>{@link #ngrams} turns a word-hash sequence into hashes of consecutive word n-grams. All methods are static
 * and thread-safe; they write into caller-owned scratch.
 */
public final class Words {
    private Words() {}

    private static final long K = 0x9E3779B97F4A7C15L;
    /** ASCII: lower-cased letter or digit, or 0 when the char separates words. */
    private static final char[] ASCII = new char[128];

    static {
        for (char c = '0'; c <= '9'; c++) ASCII[c] = c;
        for (char c = 'a'; c <= 'z'; c++) ASCII[c] = c;
        for (char c = 'A'; c <= 'Z'; c++) ASCII[c] = (char) (c + 32);
    }

    /** Hash of one (already normalised) word given as a string, equal to what {@link #hashes} produces for it. */
    public static long hashWord(String normalisedWord) {
        long h = 0;
        for (int i = 0; i < normalisedWord.length(); i++) h = (h + normalisedWord.charAt(i)) * K;
        return Murmur3.fmix64(h ^ normalisedWord.length());
    }

    /** Clears {@code out} and appends the hash of every word of {@code text}; returns the number of words. */
    public static int hashes(CharSequence text, LongList out) {
        out.clear();
        int len = text.length();
        long h = 0;
        int wordLen = 0;
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (c < 128) {
                char l = ASCII[c];
                if (l != 0) {
                    h = (h + l) * K;
                    wordLen++;
                    continue;
                }
            } else {
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, text.charAt(i + 1));
                }
                if (isWordCodePoint(cp)) {
                    int lower = Character.toLowerCase(cp);
                    if (lower >= 0x10000) {
                        h = (h + Character.highSurrogate(lower)) * K;
                        h = (h + Character.lowSurrogate(lower)) * K;
                        wordLen += 2;
                    } else {
                        h = (h + lower) * K;
                        wordLen++;
                    }
                    if (cp >= 0x10000) i++;
                    continue;
                }
                if (cp >= 0x10000) i++;
            }
            if (wordLen > 0) {
                out.add(Murmur3.fmix64(h ^ wordLen));
                h = 0;
                wordLen = 0;
            }
        }
        if (wordLen > 0) out.add(Murmur3.fmix64(h ^ wordLen));
        return out.n;
    }

    /** True for letters, digits and combining marks (the chars a word is made of). */
    public static boolean isWordCodePoint(int cp) {
        if (cp < 128) return cp < ASCII.length && ASCII[cp] != 0;
        if (Character.isLetterOrDigit(cp)) return true;
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK;
    }

    /**
     * Hashes of the word n-grams {@code words[i, i+n)} for {@code i = 0 .. count-n} into {@code out} (cleared
     * first); none when {@code count < n}. The hash depends on the words, their order and {@code n}.
     */
    public static int ngrams(long[] words, int count, int n, LongList out) {
        out.clear();
        if (count < n || n <= 0) return 0;
        out.resize(count - n + 1);
        long[] o = out.a;
        // polynomial rolling hash mod 2^64: H_i = sum_j words[i+j] * K^(n-1-j); finalised by fmix64 (so the weak
        // low bits of the products do not matter)
        long top = 1; // K^(n-1)
        for (int j = 1; j < n; j++) top *= K;
        long hash = 0;
        for (int j = 0; j < n; j++) hash = hash * K + words[j];
        long salt = (long) n * 0xD6E8FEB86659FD93L;
        o[0] = Murmur3.fmix64(hash ^ salt);
        for (int i = 1; i + n <= count; i++) {
            hash = (hash - words[i - 1] * top) * K + words[i + n - 1];
            o[i] = Murmur3.fmix64(hash ^ salt);
        }
        return out.n;
    }
}
