package dev.seedling.tokenizer.train;

import dev.seedling.tokenizer.internal.Utf8;
import java.util.Arrays;

/**
 * Word → count, keyed by text, for one worker: an open-addressing table that looks a word up by its char range
 * without allocating (a {@code String} is made only when a word is new). Not thread-safe: one per worker, merged
 * with {@link #addAll}.
 */
final class WordCounts {
    private String[] keys = new String[1 << 12];
    private int[] hashes = new int[1 << 12];
    private long[] counts = new long[1 << 12];
    private int size;

    int size() {
        return size;
    }

    /** Adds {@code count} to the word {@code text[start, end)}. */
    void add(String text, int start, int end, long count) {
        int h = hash(text, start, end);
        int mask = keys.length - 1;
        int i = h & mask;
        int len = end - start;
        while (true) {
            String k = keys[i];
            if (k == null) break;
            if (hashes[i] == h && k.length() == len && k.regionMatches(0, text, start, len)) {
                counts[i] += count;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = text.substring(start, end);
        hashes[i] = h;
        counts[i] = count;
        if (++size * 2 > keys.length) grow();
    }

    /** Adds every count of {@code other} into this table. */
    void addAll(WordCounts other) {
        for (int i = 0; i < other.keys.length; i++) {
            String k = other.keys[i];
            if (k != null) add(k, 0, k.length(), other.counts[i]);
        }
    }

    private static int hash(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + s.charAt(i);
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldHashes = hashes;
        long[] oldCounts = counts;
        keys = new String[oldKeys.length * 2];
        hashes = new int[keys.length];
        counts = new long[keys.length];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] == null) continue;
            int i = oldHashes[j] & mask;
            while (keys[i] != null) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            hashes[i] = oldHashes[j];
            counts[i] = oldCounts[j];
        }
    }

    /** The words as UTF-8 byte strings with their counts. */
    record Sorted(byte[][] words, long[] counts) {}

    /**
     * The words as UTF-8 (unpaired surrogates become U+FFFD, as HF does), sorted by unsigned bytes, words with the
     * same bytes merged. The order depends on the words alone, never on how they were counted, so training is
     * deterministic for any thread count.
     */
    Sorted sortedUtf8() {
        byte[][] words = new byte[size][];
        long[] c = new long[size];
        int n = 0;
        byte[] buf = new byte[64];
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i];
            if (k == null) continue;
            buf = Utf8.grow(buf, 3 * k.length());
            int len = Utf8.encode(k, 0, k.length(), buf, 0);
            words[n] = Arrays.copyOf(buf, len);
            c[n++] = counts[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Arrays.compareUnsigned(words[x], words[y]));
        byte[][] outWords = new byte[n][];
        long[] outCounts = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int w = order[i];
            if (m > 0 && Arrays.equals(outWords[m - 1], words[w])) outCounts[m - 1] += c[w];
            else {
                outWords[m] = words[w];
                outCounts[m++] = c[w];
            }
        }
        return new Sorted(Arrays.copyOf(outWords, m), Arrays.copyOf(outCounts, m));
    }
}
