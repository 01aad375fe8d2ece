package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.hash.LongIntHashMap;
import dev.seedling.data.curate.internal.text.LongList;
import dev.seedling.data.curate.internal.text.Words;
import dev.seedling.tensor.SeedlingException;
import java.util.Arrays;
import java.util.List;

/**
 * Domain relevance as BM25/TF-IDF centroid similarity: document frequencies come from the general pool; each seed
 * document becomes an L2-normalised BM25-weighted word vector (words as in the dedup stages: lower-cased letters and
 * digits); their mean, normalised, is the domain centroid; a document's score is the cosine between its own vector
 * and the centroid, in [0, 1].
 *
 * <p>Memory: the pool's document-frequency table (about 26–52 bytes per distinct word of the pool; fit on a sample
 * of a very large pool) and the centroid (one entry per distinct seed word). Immutable after {@link #fit}; thread-safe.
 */
public final class Bm25Scorer implements DomainScorer {
    private final Bm25Config config;
    private final LongIntHashMap df; // word hash → documents of the pool containing it
    private final int poolDocs;
    private final double avgLength;
    private final LongIntHashMap centroidIndex; // word hash → position in centroid
    private final float[] centroid;
    private final ThreadLocal<LongList> scratch = ThreadLocal.withInitial(() -> new LongList(1024));

    private Bm25Scorer(Bm25Config config, LongIntHashMap df, int poolDocs, double avgLength, LongIntHashMap centroidIndex, float[] centroid) {
        this.config = config;
        this.df = df;
        this.poolDocs = poolDocs;
        this.avgLength = avgLength;
        this.centroidIndex = centroidIndex;
        this.centroid = centroid;
    }

    /**
     * Learns document frequencies from {@code pool} and the centroid from {@code seeds}.
     *
     * @throws SeedlingException when there are no seed documents with words
     */
    public static Bm25Scorer fit(Iterable<String> pool, List<String> seeds, Bm25Config config) {
        LongIntHashMap df = new LongIntHashMap(1 << 16, 0);
        LongList words = new LongList(1024);
        long totalWords = 0;
        int docs = 0;
        for (String text : pool) {
            int w = Words.hashes(text, words);
            long[] sorted = Arrays.copyOf(words.a, w);
            Arrays.sort(sorted);
            for (int i = 0; i < w; i++) if (i == 0 || sorted[i] != sorted[i - 1]) df.addTo(sorted[i], 1);
            totalWords += w;
            docs++;
        }
        double avg = docs == 0 ? 1 : Math.max(1, (double) totalWords / docs);
        Bm25Scorer partial = new Bm25Scorer(config, df, docs, avg, null, null);
        LongIntHashMap index = new LongIntHashMap(1 << 12, -1);
        float[] sum = new float[1 << 12];
        int used = 0, seedDocs = 0;
        Vec v = new Vec();
        for (String seed : seeds) {
            if (!partial.vector(seed, words, v)) continue;
            seedDocs++;
            for (int i = 0; i < v.n; i++) {
                int slot = index.putIfAbsent(v.terms[i], used);
                if (slot == used) {
                    used++;
                    if (used > sum.length) sum = Arrays.copyOf(sum, sum.length * 2);
                }
                sum[slot] += (float) v.weights[i];
            }
        }
        if (seedDocs == 0) throw new SeedlingException("domain scoring needs at least one seed document with words");
        double norm = 0;
        for (int i = 0; i < used; i++) norm += (double) sum[i] * sum[i];
        float inv = (float) (1 / Math.sqrt(norm));
        float[] c = Arrays.copyOf(sum, used);
        for (int i = 0; i < used; i++) c[i] *= inv;
        return new Bm25Scorer(config, df, docs, avg, index, c);
    }

    @Override
    public double score(String text) {
        Vec v = new Vec();
        if (!vector(text, scratch.get(), v)) return 0;
        double dot = 0;
        for (int i = 0; i < v.n; i++) {
            int slot = centroidIndex.get(v.terms[i]);
            if (slot >= 0) dot += v.weights[i] * centroid[slot];
        }
        return Math.max(0, Math.min(1, dot));
    }

    /** Pool documents seen by {@link #fit}. */
    public int poolDocuments() {
        return poolDocs;
    }

    /** Distinct seed words in the centroid. */
    public int centroidTerms() {
        return centroid.length;
    }

    private static final class Vec {
        long[] terms = new long[0];
        double[] weights = new double[0];
        int n;
    }

    /** The L2-normalised BM25 vector of {@code text} into {@code out}; false when it has no words. */
    private boolean vector(String text, LongList words, Vec out) {
        int w = Words.hashes(text, words);
        if (w == 0) return false;
        long[] sorted = words.a;
        Arrays.sort(sorted, 0, w);
        if (out.terms.length < w) {
            out.terms = new long[w];
            out.weights = new double[w];
        }
        int n = 0;
        double lengthNorm = config.k1() * (1 - config.b() + config.b() * w / avgLength);
        double norm = 0;
        for (int i = 0; i < w; ) {
            int j = i;
            while (j < w && sorted[j] == sorted[i]) j++;
            int tf = j - i;
            int d = df.get(sorted[i]);
            double idf = Math.log(1 + (poolDocs - d + 0.5) / (d + 0.5));
            double weight = idf * tf * (config.k1() + 1) / (tf + lengthNorm);
            out.terms[n] = sorted[i];
            out.weights[n++] = weight;
            norm += weight * weight;
            i = j;
        }
        if (norm == 0) return false;
        double inv = 1 / Math.sqrt(norm);
        for (int i = 0; i < n; i++) out.weights[i] *= inv;
        out.n = n;
        return true;
    }
}
