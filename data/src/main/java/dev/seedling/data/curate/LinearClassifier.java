package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.hash.Murmur3;
import dev.seedling.data.curate.internal.text.LongList;
import dev.seedling.data.curate.internal.text.Words;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fastText-style linear domain classifier: a document's features (hashed word unigrams and, optionally, bigrams,
 * into {@code B} buckets) look up rows of an embedding table {@code E: (B, D)}; their mean {@code h: (D)} feeds a
 * logistic output {@code p = σ(w·h + b)}, the probability that the document is in-domain.
 *
 * <p>Training ({@link #train}): the seed documents are positives; negatives are a seeded random sample of the general
 * pool ({@code negativeRatio} per positive); the loss is class-balanced binary cross-entropy; plain SGD, one example
 * at a time in a seeded order, learning rate decayed linearly to 0. {@code E} starts at zero (so rows of features
 * never seen stay zero and are not saved) and {@code w} small and random. Single-threaded, so the same inputs and
 * seed give the same model bit for bit.
 *
 * <p>File format ({@link #save}, {@link #load}), little-endian: magic {@code "SDLC"}, version 1, buckets, dim,
 * bigrams (0/1), bias, {@code w[dim]}, the number of non-zero rows, then each as (row index, {@code dim} floats).
 * Immutable once trained or loaded; {@link #score} is thread-safe (hand the instance to other threads through the
 * usual safe publication: a final field, an executor, a concurrent collection).
 */
public final class LinearClassifier implements DomainScorer {
    private static final int MAGIC = 0x43_4C_44_53; // "SDLC" little-endian
    private static final int VERSION = 1;

    private final int buckets, dim;
    private final boolean bigrams;
    private final float[] embeddings; // (buckets, dim)
    private final float[] weights; // (dim)
    private float bias;
    private long[] usedRows; // bit b set when row b of the embeddings is non-zero (scoring skips the other rows)
    private final ThreadLocal<LongList> scratch = ThreadLocal.withInitial(() -> new LongList(1024));

    private LinearClassifier(int buckets, int dim, boolean bigrams) {
        this.buckets = buckets;
        this.dim = dim;
        this.bigrams = bigrams;
        this.embeddings = new float[buckets * dim];
        this.weights = new float[dim];
    }

    /**
     * Trains on {@code seeds} (in-domain) against negatives sampled from {@code pool}.
     *
     * @throws SeedlingException when there are no seeds or no pool documents
     */
    public static LinearClassifier train(List<String> seeds, List<String> pool, LinearClassifierConfig config) {
        if (seeds.isEmpty()) throw new SeedlingException("domain classifier needs at least one seed document");
        if (pool.isEmpty()) throw new SeedlingException("domain classifier needs a non-empty pool to sample negatives from");
        int want = (int) Math.min(Math.min(pool.size(), config.maxNegatives()), Math.ceil(config.negativeRatio() * seeds.size()));
        SplittableRandom r = new SplittableRandom(config.seed());
        int[] idx = new int[pool.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        List<String> negatives = new ArrayList<>(want);
        for (int i = 0; i < want; i++) { // partial Fisher-Yates
            int j = i + r.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            negatives.add(pool.get(idx[i]));
        }
        return trainOn(seeds, negatives, config);
    }

    /** Trains on explicit positives and negatives (both non-empty). */
    public static LinearClassifier trainOn(List<String> positives, List<String> negatives, LinearClassifierConfig config) {
        if (positives.isEmpty() || negatives.isEmpty())
            throw new SeedlingException("domain classifier needs positive and negative examples");
        LinearClassifier m = new LinearClassifier(config.buckets(), config.dim(), config.bigrams());
        SplittableRandom r = new SplittableRandom(config.seed() ^ 0x6A09E667F3BCC909L);
        float scale = (float) (1 / Math.sqrt(config.dim()));
        for (int d = 0; d < config.dim(); d++) m.weights[d] = (float) ((r.nextDouble() * 2 - 1) * scale);
        int n = positives.size() + negatives.size();
        int[][] features = new int[n][];
        float[] labels = new float[n], classWeight = new float[n];
        LongList words = new LongList(1024);
        float posWeight = (float) negatives.size() / positives.size();
        for (int i = 0; i < n; i++) {
            boolean pos = i < positives.size();
            features[i] = m.features(pos ? positives.get(i) : negatives.get(i - positives.size()), words);
            labels[i] = pos ? 1 : 0;
            classWeight[i] = pos ? posWeight : 1;
        }
        float norm = (float) n / (2f * negatives.size()); // mean example weight 1
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        long total = (long) config.epochs() * n, step = 0;
        float[] h = new float[config.dim()], dh = new float[config.dim()];
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int e : order) {
                float lr = (float) (config.learningRate() * (1 - (double) step++ / total));
                m.sgdStep(features[e], labels[e], classWeight[e] * norm, lr, h, dh);
            }
        }
        m.markUsedRows();
        return m;
    }

    private void sgdStep(int[] f, float label, float weight, float lr, float[] h, float[] dh) {
        if (f.length == 0) return;
        hidden(f, h);
        double z = bias;
        for (int d = 0; d < dim; d++) z += weights[d] * h[d];
        float p = (float) sigmoid(z);
        float g = weight * (p - label); // dLoss/dz
        for (int d = 0; d < dim; d++) {
            dh[d] = g * weights[d] / f.length;
            weights[d] -= lr * g * h[d];
        }
        bias -= lr * g;
        for (int feature : f) {
            int row = feature * dim;
            for (int d = 0; d < dim; d++) embeddings[row + d] -= lr * dh[d];
        }
    }

    private void hidden(int[] f, float[] h) {
        java.util.Arrays.fill(h, 0);
        long[] used = usedRows;
        for (int feature : f) {
            if (used != null && (used[feature >>> 6] & (1L << feature)) == 0) continue; // a zero row adds nothing
            int row = feature * dim;
            for (int d = 0; d < dim; d++) h[d] += embeddings[row + d];
        }
        float inv = 1f / f.length;
        for (int d = 0; d < dim; d++) h[d] *= inv;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** Bucket numbers of the word unigrams (and bigrams) of {@code text}. */
    private int[] features(String text, LongList words) {
        int w = Words.hashes(text, words);
        int nf = bigrams && w > 1 ? 2 * w - 1 : w;
        int[] f = new int[nf];
        int mask = buckets - 1;
        for (int i = 0; i < w; i++) f[i] = (int) words.a[i] & mask;
        if (nf > w) for (int i = 0; i + 1 < w; i++) f[w + i] = (int) Murmur3.fmix64(words.a[i] * 31 + words.a[i + 1]) & mask;
        return f;
    }

    @Override
    public double score(String text) {
        int[] f = features(text, scratch.get());
        double z = bias;
        if (f.length > 0) {
            float[] h = new float[dim];
            hidden(f, h);
            for (int d = 0; d < dim; d++) z += weights[d] * h[d];
        }
        return sigmoid(z);
    }

    /** Writes the model to {@code path} atomically (see the class comment for the format). */
    public void save(Path path) {
        int rows = 0;
        for (int b = 0; b < buckets; b++) if (nonZeroRow(b)) rows++;
        ByteBuffer buf = ByteBuffer.allocate(4 * (7 + dim + rows * (1 + dim))).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(buckets).putInt(dim).putInt(bigrams ? 1 : 0).putFloat(bias);
        for (float v : weights) buf.putFloat(v);
        buf.putInt(rows);
        for (int b = 0; b < buckets; b++) {
            if (!nonZeroRow(b)) continue;
            buf.putInt(b);
            for (int d = 0; d < dim; d++) buf.putFloat(embeddings[b * dim + d]);
        }
        AtomicFiles.write(path, buf.array());
    }

    private void markUsedRows() {
        long[] used = new long[(buckets + 63) / 64];
        for (int b = 0; b < buckets; b++) if (nonZeroRow(b)) used[b >>> 6] |= 1L << b;
        usedRows = used;
    }

    private boolean nonZeroRow(int b) {
        for (int d = 0; d < dim; d++) if (embeddings[b * dim + d] != 0) return true;
        return false;
    }

    /** Reads a model written by {@link #save}; a file that is not one throws a one-line {@link SeedlingException}. */
    public static LinearClassifier load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new SeedlingException("cannot read domain classifier " + path + ": " + e, e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (buf.getInt() != MAGIC) throw new SeedlingException(path + " is not a Seedling domain classifier (bad magic)");
            int version = buf.getInt();
            if (version != VERSION)
                throw new SeedlingException(path + " is a domain classifier of format version " + version
                        + ", this Seedling reads version " + VERSION + "; retrain it with this version");
            int buckets = buf.getInt(), dim = buf.getInt(), bigrams = buf.getInt();
            new LinearClassifierConfig(buckets, dim, bigrams == 1, 1, 0.1, 1, 1, 0); // validates the sizes
            LinearClassifier m = new LinearClassifier(buckets, dim, bigrams == 1);
            m.bias = buf.getFloat();
            for (int d = 0; d < dim; d++) m.weights[d] = buf.getFloat();
            int rows = buf.getInt();
            if (rows < 0 || rows > buckets) throw new SeedlingException(path + ": bad row count " + rows);
            for (int k = 0; k < rows; k++) {
                int b = buf.getInt();
                if (b < 0 || b >= buckets) throw new SeedlingException(path + ": row " + b + " outside 0.." + (buckets - 1));
                for (int d = 0; d < dim; d++) m.embeddings[b * dim + d] = buf.getFloat();
            }
            if (buf.hasRemaining()) throw new SeedlingException(path + ": " + buf.remaining() + " unexpected trailing bytes");
            m.markUsedRows();
            return m;
        } catch (java.nio.BufferUnderflowException e) {
            throw new SeedlingException(path + " is truncated; retrain or copy the domain classifier again");
        }
    }
}
