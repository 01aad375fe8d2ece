package dev.seedling.model;

import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits: greedy at temperature 0, otherwise softmax(logits / temperature)
 * restricted to the {@code topK} largest logits (0 = the whole vocabulary), sampled with a seeded generator so that
 * the same seed gives the same text.
 */
public final class Sampler {
    private final float temperature;
    private final int topK;
    private final SplittableRandom rng;
    private int[] order = new int[0];
    private float[] probs = new float[0];

    public Sampler(float temperature, int topK, long seed) {
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        this.temperature = temperature;
        this.topK = topK;
        this.rng = new SplittableRandom(seed);
    }

    /** The next token given logits {@code [off, off+vocab)}. */
    public int sample(float[] logits, int off, int vocab) {
        if (temperature == 0f) return argmax(logits, off, vocab);
        int k = topK == 0 || topK > vocab ? vocab : topK;
        if (order.length < vocab) {
            order = new int[vocab];
            probs = new float[vocab];
        }
        // partial selection of the k largest logits (k is small in practice; k == vocab keeps all)
        int n;
        if (k == vocab) {
            for (int i = 0; i < vocab; i++) order[i] = i;
            n = vocab;
        } else {
            n = 0;
            for (int i = 0; i < vocab; i++) {
                float v = logits[off + i];
                if (n < k) {
                    int j = n++;
                    while (j > 0 && logits[off + order[j - 1]] < v) { order[j] = order[j - 1]; j--; }
                    order[j] = i;
                } else if (v > logits[off + order[k - 1]]) {
                    int j = k - 1;
                    while (j > 0 && logits[off + order[j - 1]] < v) { order[j] = order[j - 1]; j--; }
                    order[j] = i;
                }
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, logits[off + order[j]]);
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float p = (float) Math.exp((logits[off + order[j]] - max) / temperature);
            probs[j] = p;
            sum += p;
        }
        double u = rng.nextDouble() * sum, acc = 0;
        for (int j = 0; j < n; j++) {
            acc += probs[j];
            if (u < acc) return order[j];
        }
        return order[n - 1];
    }

    public static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }
}
