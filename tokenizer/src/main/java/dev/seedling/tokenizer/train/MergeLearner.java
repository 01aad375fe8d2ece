package dev.seedling.tokenizer.train;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The merge loop of byte-level BPE training, as HF {@code tokenizers}' {@code BpeTrainer} runs it: count every
 * adjacent symbol pair over the distinct words (weighted by word count), then repeatedly take the most frequent
 * pair (ties: the smaller (left id, right id) first), make it a token, rewrite the words that hold it and update
 * the pair counts incrementally. A max-heap holds (count, pair) entries that may be stale; a popped entry whose
 * count no longer matches is pushed back with the current count (HF's lazy update).
 *
 * <p>Symbols: ids 0–255 are the bytes, 256… the merged tokens in creation order. A merged token whose bytes already
 * exist (reached by another pair) reuses that id, as HF does; such a merge is still recorded. Single-threaded;
 * the result depends only on the words and counts given.
 */
final class MergeLearner {
    /** Learned merges and the token bytes of every symbol id. */
    record Learned(int[] mergeLeft, int[] mergeRight, byte[][] tokens) {}

    /** Told after each merge. */
    interface Listener {
        void merged(int tokens, int target);
    }

    // words: symbols of word w are sym[wordStart[w], wordStart[w] + wordLen[w])
    private final int[] sym;
    private final int[] wordStart;
    private final int[] wordLen;
    private final long[] wordCount;
    private final int[] wordStamp;

    // pairs: index p ↔ key (left << 32 | right); counts weighted by word counts; word lists may hold stale entries
    private long[] pairKey = new long[1 << 16];
    private long[] pairCount = new long[1 << 16];
    private int[][] pairWords = new int[1 << 16][];
    private int[] pairWordsSize = new int[1 << 16];
    private int[] pairStamp = new int[1 << 16];
    private int pairs;
    private long[] tableKeys = new long[1 << 17];
    private int[] tableIdx = new int[1 << 17];

    // heap of (count, pair index), max count first, then smaller key
    private long[] heapCount = new long[1 << 16];
    private int[] heapPair = new int[1 << 16];
    private int heapSize;

    private int round; // stamps words and pairs visited by the current merge
    private int[] touched = new int[64];
    private int touchedSize;

    MergeLearner(byte[][] words, long[] counts) {
        long total = 0;
        for (byte[] w : words) total += w.length;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalStateException("too many distinct word bytes: " + total);
        sym = new int[(int) total];
        wordStart = new int[words.length];
        wordLen = new int[words.length];
        wordCount = counts.clone();
        wordStamp = new int[words.length];
        int at = 0;
        for (int w = 0; w < words.length; w++) {
            wordStart[w] = at;
            wordLen[w] = words[w].length;
            for (byte b : words[w]) sym[at++] = b & 0xFF;
        }
        Arrays.fill(tableKeys, -1L);
        Arrays.fill(pairStamp, -1);
    }

    /**
     * Learns merges until there are {@code targetTokens} distinct tokens (the 256 bytes included), no pair is left,
     * or the best pair occurs fewer than {@code minFrequency} times. {@code maxTokenLength} &gt; 0 skips merges that
     * would make a longer token (in bytes); a merge whose bytes (as an ISO-8859-1 string) are in {@code forbidden}
     * is skipped too (the vocabulary cannot hold a special token's text twice).
     */
    Learned learn(int targetTokens, long minFrequency, int maxTokenLength, java.util.Set<String> forbidden, Listener listener) {
        for (int w = 0; w < wordLen.length; w++) {
            int s = wordStart[w], e = s + wordLen[w];
            for (int i = s; i + 1 < e; i++) {
                int p = pairIndex(key(sym[i], sym[i + 1]), true);
                pairCount[p] += wordCount[w];
                addWord(p, w);
            }
        }
        for (int p = 0; p < pairs; p++) push(p, pairCount[p]);

        byte[][] tokens = new byte[Math.max(256, targetTokens)][];
        for (int b = 0; b < 256; b++) tokens[b] = new byte[] {(byte) b};
        int numTokens = 256;
        Map<String, Integer> tokenIds = new HashMap<>();
        for (int b = 0; b < 256; b++) tokenIds.put(latin1(tokens[b]), b);
        int[] left = new int[Math.max(16, targetTokens - 256)], right = new int[left.length];
        int merges = 0;
        boolean[] mergedBefore = new boolean[0];

        while (numTokens < targetTokens && heapSize > 0) {
            long count = heapCount[0];
            int p = heapPair[0];
            pop();
            if (count != pairCount[p]) {
                if (pairCount[p] > 0) push(p, pairCount[p]);
                continue;
            }
            if (count < minFrequency) break;
            int a = (int) (pairKey[p] >>> 32), b = (int) pairKey[p];
            byte[] merged = concat(tokens[a], tokens[b]);
            if (maxTokenLength > 0 && merged.length > maxTokenLength) continue;
            if (forbidden.contains(latin1(merged))) continue; // the text of a special token: never a learned token
            if (p >= mergedBefore.length) mergedBefore = Arrays.copyOf(mergedBefore, Math.max(p + 1, mergedBefore.length * 2));
            Integer existing = tokenIds.get(latin1(merged));
            int id;
            if (existing != null) {
                id = existing;
            } else {
                id = numTokens++;
                tokens[id] = merged;
                tokenIds.put(latin1(merged), id);
            }
            if (!mergedBefore[p]) {
                if (merges == left.length) {
                    left = Arrays.copyOf(left, merges * 2);
                    right = Arrays.copyOf(right, merges * 2);
                }
                left[merges] = a;
                right[merges] = b;
                merges++;
                mergedBefore[p] = true;
            }
            apply(p, a, b, id, ++round);
            if (listener != null) listener.merged(numTokens, targetTokens);
        }
        return new Learned(Arrays.copyOf(left, merges), Arrays.copyOf(right, merges), Arrays.copyOf(tokens, numTokens));
    }

    /** Rewrites every word holding pair {@code p = (a, b)} with {@code id}, updating pair counts and the heap. */
    private void apply(int p, int a, int b, int id, int stamp) {
        int[] list = pairWords[p];
        int n = pairWordsSize[p];
        pairWords[p] = null;
        pairWordsSize[p] = 0;
        touchedSize = 0;
        for (int k = 0; k < n; k++) {
            int w = list[k];
            if (wordStamp[w] == stamp) continue;
            wordStamp[w] = stamp;
            mergeWord(w, p, a, b, id, stamp);
        }
        for (int t = 0; t < touchedSize; t++) {
            int q = touched[t];
            if (pairCount[q] > 0) push(q, pairCount[q]);
        }
    }

    /** Merges {@code (a, b)} → {@code id} left to right in word {@code w} (HF {@code Word::merge}). */
    private void mergeWord(int w, int p, int a, int b, int id, int stamp) {
        int s = wordStart[w], n = wordLen[w];
        long c = wordCount[w];
        int i = 0, j = 0;
        while (i < n) {
            int x = sym[s + i];
            if (x == a && i + 1 < n && sym[s + i + 1] == b) {
                pairCount[p] -= c;
                if (j > 0) {
                    int prev = sym[s + j - 1];
                    pairCount[pairIndex(key(prev, a), false)] -= c;
                    gain(key(prev, id), c, w, stamp);
                }
                if (i + 2 < n) {
                    int next = sym[s + i + 2];
                    pairCount[pairIndex(key(b, next), false)] -= c;
                    gain(key(id, next), c, w, stamp);
                }
                sym[s + j++] = id;
                i += 2;
            } else {
                sym[s + j++] = x;
                i++;
            }
        }
        wordLen[w] = j;
    }

    private void gain(long key, long c, int w, int stamp) {
        int q = pairIndex(key, true);
        pairCount[q] += c;
        addWord(q, w);
        if (pairStamp[q] != stamp) {
            pairStamp[q] = stamp;
            if (touchedSize == touched.length) touched = Arrays.copyOf(touched, touchedSize * 2);
            touched[touchedSize++] = q;
        }
    }

    private void addWord(int p, int w) {
        int[] list = pairWords[p];
        int n = pairWordsSize[p];
        if (list == null) {
            list = pairWords[p] = new int[2];
        } else if (list[n - 1] == w) {
            return;
        } else if (n == list.length) {
            list = pairWords[p] = Arrays.copyOf(list, n + (n >> 1) + 1);
        }
        list[n] = w;
        pairWordsSize[p] = n + 1;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /** The index of pair {@code key}; a new pair (count 0) when absent and {@code create}, else -1. */
    private int pairIndex(long key, boolean create) {
        int mask = tableKeys.length - 1;
        int i = (int) mix(key) & mask;
        while (true) {
            long k = tableKeys[i];
            if (k == key) return tableIdx[i];
            if (k == -1L) break;
            i = (i + 1) & mask;
        }
        if (!create) throw new IllegalStateException("pair " + (key >>> 32) + "," + (int) key + " missing");
        int p = pairs++;
        if (p == pairKey.length) {
            int cap = p * 2;
            pairKey = Arrays.copyOf(pairKey, cap);
            pairCount = Arrays.copyOf(pairCount, cap);
            pairWords = Arrays.copyOf(pairWords, cap);
            pairWordsSize = Arrays.copyOf(pairWordsSize, cap);
            int old = pairStamp.length;
            pairStamp = Arrays.copyOf(pairStamp, cap);
            Arrays.fill(pairStamp, old, cap, -1);
        }
        pairKey[p] = key;
        tableKeys[i] = key;
        tableIdx[i] = p;
        if (pairs * 2 > tableKeys.length) growTable();
        return p;
    }

    private void growTable() {
        long[] keys = new long[tableKeys.length * 2];
        int[] idx = new int[keys.length];
        Arrays.fill(keys, -1L);
        int mask = keys.length - 1;
        for (int p = 0; p < pairs; p++) {
            int i = (int) mix(pairKey[p]) & mask;
            while (keys[i] != -1L) i = (i + 1) & mask;
            keys[i] = pairKey[p];
            idx[i] = p;
        }
        tableKeys = keys;
        tableIdx = idx;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    // ---- heap -----------------------------------------------------------------------------------------------------

    /** True when entry (c1, p1) comes out before (c2, p2): higher count, then smaller (left, right). */
    private boolean before(long c1, int p1, long c2, int p2) {
        return c1 != c2 ? c1 > c2 : pairKey[p1] < pairKey[p2];
    }

    private void push(int p, long count) {
        if (heapSize == heapPair.length) {
            heapPair = Arrays.copyOf(heapPair, heapSize * 2);
            heapCount = Arrays.copyOf(heapCount, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(count, p, heapCount[parent], heapPair[parent])) break;
            heapCount[i] = heapCount[parent];
            heapPair[i] = heapPair[parent];
            i = parent;
        }
        heapCount[i] = count;
        heapPair[i] = p;
    }

    private void pop() {
        long c = heapCount[--heapSize];
        int p = heapPair[heapSize];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= heapSize) break;
            int r = l + 1;
            int m = r < heapSize && before(heapCount[r], heapPair[r], heapCount[l], heapPair[l]) ? r : l;
            if (!before(heapCount[m], heapPair[m], c, p)) break;
            heapCount[i] = heapCount[m];
            heapPair[i] = heapPair[m];
            i = m;
        }
        if (heapSize > 0) {
            heapCount[i] = c;
            heapPair[i] = p;
        }
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    private static String latin1(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
