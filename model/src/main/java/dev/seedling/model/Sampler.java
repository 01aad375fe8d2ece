package dev.seedling.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token of ONE sequence from a row of logits, following {@link SamplingParams} (see there for the
 * order of the steps: bias, repetition/frequency/presence penalties, greedy or temperature, top-k, top-p, min-p),
 * with a generator seeded by {@code params.seed()}, so that the same seed, prompt and model give the same tokens
 * whatever else runs in the same batch. Penalties need the sequence's history: pass the prompt to
 * {@link #observePrompt}; every sampled token is recorded by {@link #sample} itself.
 *
 * <p>After each {@link #sample}, {@link #lastLogprob()} and {@link #lastTop(int[], float[])} report the sampled
 * token's log-probability and the most likely alternatives under the RAW logits (log-softmax over the candidate
 * ids before any processing), when {@code params.logprobs() >= 0}.
 *
 * <p>Buffers are sized to the vocabulary once, so sampling allocates nothing. Not thread-safe (one per sequence).
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom rng;
    private float[] work = new float[0];
    private float[] prob = new float[0];
    private long[] keys = new long[0];
    private int[] order = new int[0];
    private boolean[] seen;      // prompt + generated (repetition penalty)
    private int[] generated;     // counts of generated tokens (frequency / presence)
    private float lastLogprob = Float.NaN;
    private int[] topIds = new int[0];
    private float[] topLogprobs = new float[0];

    /** A sampler following {@code params}. */
    public Sampler(SamplingParams params) {
        this.params = params;
        this.rng = new SplittableRandom(params.seed());
    }

    /** Temperature and top-k sampling only (0 = greedy; top-k 0 = all), seeded. */
    public Sampler(float temperature, int topK, long seed) {
        this(SamplingParams.defaults().withTemperature(temperature).withTopK(topK).withSeed(seed));
    }

    public SamplingParams params() {
        return params;
    }

    /** Records prompt tokens for the repetition penalty (HF counts the prompt as seen). */
    public void observePrompt(int[] ids, int off, int len) {
        if (params.repetitionPenalty() == 1f) return;
        for (int i = 0; i < len; i++) {
            int t = ids[off + i];
            if (t >= 0) seenArray(t + 1)[t] = true;
        }
    }

    private boolean[] seenArray(int atLeast) {
        if (seen == null || seen.length < atLeast) seen = seen == null ? new boolean[atLeast] : Arrays.copyOf(seen, Math.max(atLeast, seen.length * 2));
        return seen;
    }

    private int[] generatedArray(int atLeast) {
        if (generated == null || generated.length < atLeast) generated = generated == null ? new int[atLeast] : Arrays.copyOf(generated, Math.max(atLeast, generated.length * 2));
        return generated;
    }

    /**
     * The next token given logits {@code [off, off+vocab)} (only ids below {@code params.tokenLimit()} when set), and
     * records it in the history.
     */
    public int sample(float[] logits, int off, int vocab) {
        int n = params.tokenLimit() == 0 ? vocab : Math.min(vocab, params.tokenLimit());
        if (n <= 0) throw new IllegalArgumentException("no candidate tokens (vocab " + vocab + ")");
        if (work.length < n) {
            work = new float[n];
            prob = new float[n];
            keys = new long[n];
            order = new int[n];
        }
        System.arraycopy(logits, off, work, 0, n);
        process(work, n);
        int token;
        if (params.temperature() == 0f) token = argmax(work, 0, n);
        else token = draw(n);
        if (params.logprobs() >= 0) rawLogprobs(logits, off, n, token);
        record(token);
        return token;
    }

    /** Bias and penalties, in place on {@code w[0, n)}. */
    void process(float[] w, int n) {
        if (!params.penalized()) return;
        for (var e : params.logitBias().entrySet()) if (e.getKey() < n) w[e.getKey()] += e.getValue();
        float rp = params.repetitionPenalty();
        if (rp != 1f && seen != null) {
            for (int i = 0, m = Math.min(n, seen.length); i < m; i++)
                if (seen[i]) w[i] = w[i] > 0 ? w[i] / rp : w[i] * rp;
        }
        float fp = params.frequencyPenalty(), pp = params.presencePenalty();
        if ((fp != 0f || pp != 0f) && generated != null) {
            for (int i = 0, m = Math.min(n, generated.length); i < m; i++)
                if (generated[i] > 0) w[i] -= generated[i] * fp + pp;
        }
    }

    void record(int token) {
        if (params.repetitionPenalty() != 1f) seenArray(token + 1)[token] = true;
        if (params.frequencyPenalty() != 0f || params.presencePenalty() != 0f) generatedArray(token + 1)[token]++;
    }

    /** Temperature, top-k, top-p, min-p and the draw, on the processed logits {@code work[0, n)}. */
    private int draw(int n) {
        float invT = 1f / params.temperature();
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, work[i]);
        // e[i] = exp((logit − max) / T): probabilities relative to the best, in id order
        double total = 0;
        for (int i = 0; i < n; i++) total += prob[i] = (float) Math.exp((work[i] - max) * invT);
        int k = params.topK() == 0 ? n : Math.min(params.topK(), n);
        boolean filter = k < n || params.topP() < 1f || params.minP() > 0f;
        if (!filter) {
            // plain softmax sampling over every id, in id order
            double u = rng.nextDouble() * total, acc = 0;
            int last = 0;
            for (int i = 0; i < n; i++) {
                if (prob[i] > 0) last = i;
                acc += prob[i];
                if (u < acc) return i;
            }
            return last;
        }
        int c = sortedCandidates(n, k);
        // top-p over the top-k set (the whole distribution without top-k), then min-p
        double candMass = total;
        if (k < n) {
            candMass = 0;
            for (int j = 0; j < c; j++) candMass += prob[order[j]];
        }
        int keep = c;
        if (params.topP() < 1f) {
            double acc = 0;
            for (int j = 0; j < c; j++) {
                if (acc >= params.topP() * candMass) {
                    keep = j;
                    break;
                }
                acc += prob[order[j]];
            }
        }
        if (params.minP() > 0f) {
            double cut = params.minP() * prob[order[0]];
            int j = 1;
            while (j < keep && prob[order[j]] >= cut) j++;
            keep = j;
        }
        double sum = 0;
        for (int j = 0; j < keep; j++) sum += prob[order[j]];
        double u = rng.nextDouble() * sum, acc = 0;
        for (int j = 0; j < keep; j++) {
            acc += prob[order[j]];
            if (u < acc) return order[j];
        }
        return order[keep - 1];
    }

    /** Relative-probability thresholds tried, largest first, to find a small candidate set that holds the answer. */
    private static final float[] THRESHOLDS = {1e-1f, 1e-2f, 1e-3f, 1e-4f, 1e-6f, 1e-9f, 0f};

    /**
     * Fills {@code order[0, c)} with the candidate ids by decreasing processed logit (ties: lower id first), at most
     * {@code k} of them; returns c. To avoid sorting the whole vocabulary, only ids with relative probability ≥ a
     * threshold are sorted, the largest threshold whose set S provably contains every id the filters can keep and
     * every id before them in the sorted order: with top-k, S holds ≥ k ids (so the whole top-k set); without it,
     * S's mass reaches p·total (the top-p prefix ends inside S) or the threshold is ≤ min-p (min-p keeps only ids
     * of S). The ids of S come first in the sorted order, so prefix sums over it are exact.
     */
    private int sortedCandidates(int n, int k) {
        double total = 0;
        for (int i = 0; i < n; i++) total += prob[i];
        int m = 0;
        for (float thr : THRESHOLDS) {
            m = 0;
            double mass = 0;
            for (int i = 0; i < n; i++) {
                if (prob[i] >= thr) {
                    keys[m++] = key(work[i], i);
                    mass += prob[i];
                }
            }
            boolean holds = k < n ? m >= k
                    : (params.topP() < 1f && mass >= params.topP() * total) || (params.minP() > 0f && thr <= params.minP());
            if (thr == 0f || holds) break;
        }
        Arrays.sort(keys, 0, m);
        int c = Math.min(m, k);
        for (int j = 0; j < c; j++) order[j] = (int) keys[j];
        return c;
    }

    /** A sort key ascending in (−logit, id). */
    private static long key(float logit, int id) {
        int bits = Float.floatToIntBits(-logit);
        bits ^= (bits >> 31) & 0x7fffffff; // order-preserving map of floats to ints
        return ((long) bits << 32) | (id & 0xffffffffL);
    }

    /** Log-softmax of the raw logits over [0, n): the sampled token's value and the top alternatives. */
    private void rawLogprobs(float[] logits, int off, int n, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(logits[off + i] - max);
        double logZ = max + Math.log(sum);
        lastLogprob = (float) (logits[off + token] - logZ);
        int top = Math.min(params.logprobs(), n);
        if (topIds.length < top) {
            topIds = new int[top];
            topLogprobs = new float[top];
        }
        int filled = 0;
        for (int i = 0; i < n && top > 0; i++) {
            float v = logits[off + i];
            if (filled == top && !(v > logits[off + topIds[top - 1]])) continue;
            int j = filled < top ? filled++ : top - 1;
            while (j > 0 && logits[off + topIds[j - 1]] < v) {
                topIds[j] = topIds[j - 1];
                j--;
            }
            topIds[j] = i;
        }
        for (int j = 0; j < top; j++) topLogprobs[j] = (float) (logits[off + topIds[j]] - logZ);
    }

    /** The RAW log-probability of the last sampled token (NaN when log-probs are off). */
    public float lastLogprob() {
        return lastLogprob;
    }

    /**
     * Copies the {@code params.logprobs()} most likely ids of the last step and their raw log-probs into the arrays
     * (most likely first); returns how many.
     */
    public int lastTop(int[] ids, float[] logprobs) {
        int top = Math.max(0, Math.min(params.logprobs(), topIds.length));
        System.arraycopy(topIds, 0, ids, 0, top);
        System.arraycopy(topLogprobs, 0, logprobs, 0, top);
        return top;
    }

    public static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }
}
