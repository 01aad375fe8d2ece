package dev.seedling.data.curate.internal.lang;

import java.util.List;
import java.util.Map;

/**
 * The stop words of {@link StopWords} in an open-addressing table that is looked up straight from a span of text
 * (lower-cased on the fly, no substring), giving a bit mask of the languages that use the word. Immutable after
 * construction, so thread-safe.
 */
public final class WordTable {
    public static final WordTable INSTANCE = new WordTable(StopWords.LANGUAGES, StopWords.WORDS);

    private final char[][] keys;
    private final int[] masks;
    private final int mask;
    private final float[] hintWeights; // per char below U+0250 (Latin blocks)
    private final int[] hintMasks;

    private WordTable(List<String> languages, Map<String, String> words) {
        int cap = 1024;
        keys = new char[cap][];
        masks = new int[cap];
        mask = cap - 1;
        for (int l = 0; l < languages.size(); l++) {
            for (String w : words.get(languages.get(l)).split(" ")) {
                if (w.isEmpty()) continue;
                char[] k = w.toCharArray();
                int i = hash(k, 0, k.length) & mask;
                while (keys[i] != null && !java.util.Arrays.equals(keys[i], k)) i = (i + 1) & mask;
                keys[i] = k;
                masks[i] |= 1 << l;
            }
        }
        hintWeights = new float[0x250];
        hintMasks = new int[0x250];
        StopWords.LETTER_HINTS.forEach((c, langs) -> {
            int m = 0;
            for (String code : langs.split(" ")) m |= 1 << languages.indexOf(code);
            hintMasks[c] = m;
            hintWeights[c] = 1f / Integer.bitCount(m);
        });
    }

    private static int hash(char[] k, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + k[i];
        return h ^ (h >>> 16);
    }

    /**
     * The language mask of the word {@code s[from, to)} compared lower-case, 0 when it is no stop word. Words over
     * 12 chars are never stop words.
     */
    public int lookup(CharSequence s, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 12) return 0;
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + lower(s.charAt(i));
        int i = (h ^ (h >>> 16)) & mask;
        while (keys[i] != null) {
            char[] k = keys[i];
            if (k.length == len) {
                boolean eq = true;
                for (int j = 0; j < len && eq; j++) eq = k[j] == lower(s.charAt(from + j));
                if (eq) return masks[i];
            }
            i = (i + 1) & mask;
        }
        return 0;
    }

    /** {@link Character#toLowerCase(char)}, with ASCII (most words) done inline. */
    private static char lower(char c) {
        if (c < 128) return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        return Character.toLowerCase(c);
    }

    /** Language mask hinted by a lower-case letter (0 when none). */
    public int hintMask(char c) {
        return c < hintMasks.length ? hintMasks[c] : 0;
    }

    /** Weight of one occurrence of a hint letter for each of its languages. */
    public float hintWeight(char c) {
        return c < hintWeights.length ? hintWeights[c] : 0f;
    }
}
