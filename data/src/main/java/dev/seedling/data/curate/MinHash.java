package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.hash.MinHashKernel;
import dev.seedling.data.curate.internal.hash.Murmur3;
import dev.seedling.data.curate.internal.text.LongList;
import dev.seedling.data.curate.internal.text.Words;
import java.util.SplittableRandom;

/**
 * MinHash signatures over word shingles ({@link MinHashConfig#shingleWords()} consecutive normalised words, see the
 * word rules of the dedup stages: letters and digits, lower-cased, punctuation ignored). Value {@code i} of a
 * signature is {@code min over shingles x of (a_i·x + b_i) >>> 32}, with {@code a_i, b_i} drawn from the seed; two
 * signatures agree at {@code i} with probability ≈ the Jaccard similarity of the shingle sets.
 *
 * <p>Thread-safe and pure: the expensive part of near-dedup, meant to run on every worker thread (scratch buffers
 * are per thread).
 */
public final class MinHash {
    private final MinHashConfig config;
    private final long[] a, b; // (K) hash function parameters, a odd
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final LongList words = new LongList(1024), shingles = new LongList(1024);
    }

    public MinHash(MinHashConfig config) {
        this.config = config;
        int k = config.numHashes();
        a = new long[k];
        b = new long[k];
        SplittableRandom r = new SplittableRandom(config.seed());
        for (int i = 0; i < k; i++) {
            a[i] = r.nextLong() | 1L;
            b[i] = r.nextLong();
        }
    }

    public MinHashConfig config() {
        return config;
    }

    /**
     * The signature of {@code text}: {@code numHashes()} values in {@code [0, 2^32)} stored as ints, or {@code null}
     * when the text has no words (such a document takes no part in near-dedup).
     */
    public int[] signature(String text) {
        Scratch s = scratch.get();
        int words = Words.hashes(text, s.words);
        if (words == 0) return null;
        int n = Math.min(config.shingleWords(), words);
        int count = Words.ngrams(s.words.a, words, n, s.shingles);
        return signatureOfShingles(s.shingles.a, count);
    }

    /** The signature of a set of shingle hashes {@code shingles[0, count)} (count ≥ 1; duplicates do not matter). */
    public int[] signatureOfShingles(long[] shingles, int count) {
        int k = config.numHashes();
        long[] mins = new long[k];
        java.util.Arrays.fill(mins, Long.MAX_VALUE);
        MinHashKernel.min(mins, shingles, count, a, b, k);
        int[] sig = new int[k];
        for (int i = 0; i < k; i++) sig[i] = (int) mins[i];
        return sig;
    }

    /** The estimated Jaccard similarity: the fraction of positions where the two signatures agree. */
    public static double estimateJaccard(int[] x, int[] y) {
        int eq = 0;
        for (int i = 0; i < x.length; i++) if (x[i] == y[i]) eq++;
        return (double) eq / x.length;
    }

    /** One 64-bit key per band: a hash of the band number and its {@code rows} values. Shape {@code (bands)}. */
    public long[] bandKeys(int[] sig) {
        int bands = config.bands(), rows = config.rows();
        long[] keys = new long[bands];
        for (int bnd = 0; bnd < bands; bnd++) {
            long h = (bnd + 1) * 0xC2B2AE3D27D4EB4FL;
            for (int r = 0; r < rows; r++) h = (h ^ (sig[bnd * rows + r] & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L;
            keys[bnd] = Murmur3.fmix64(h);
        }
        return keys;
    }
}
