package dev.seedling.tensor.infer;

import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.Simd;
import dev.seedling.tensor.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention of single query rows against a key/value cache: the decoding step of a batch of sequences, each row
 * from a different sequence at its own position. Row {@code r} attends to keys/values {@code [0, keys[r])} of its
 * sequence (its own, already written, included), grouped-query style: query head {@code h} uses kv head
 * {@code h / (H/KV)}.
 *
 * <p>Legend: R rows, H query heads, KV key/value heads, D head dim, W row stride of {@code q}.
 * <ul>
 *   <li>{@code q: (R, W)}, head h of row r at {@code qOff + r·W + h·D};</li>
 *   <li>{@code k, v}: key j of row r's sequence, kv head g, at {@code kvBase[r] + j·kvStride + g·D};</li>
 *   <li>{@code out: (R, H·D)} at {@code outOff}.</li>
 * </ul>
 * Parallel over (row, kv head) tasks; per task the group's query heads walk the same keys. Scores are exact
 * softmax (max-subtracted, {@link VecMath#exp}), with lanes added in a fixed order, so a row's result depends only
 * on its own inputs: the same bits whatever the batch it is in and the thread count. An instance holds per-thread
 * score scratch (grown on demand, never shrunk) and the current call's arguments, so steady-state calls allocate
 * nothing; one instance serves one caller at a time. The scalar twin ({@code simd = false}) is the plain loop.
 */
public final class DecodeAttention {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private final float[][] scores = new float[Parallel.threads()][0];
    private final Parallel.TaskBody body = this::task; // made once: calls allocate nothing
    // the current call
    private float[] out, q, k, v;
    private int[] keys, kvBase;
    private int outOff, qOff, qStride, kvStride, numHeads, numKvHeads, headDim;
    private boolean simd;

    /** Runs the rows {@code [0, rows)} (see the class comment for the layouts). */
    public void forward(float[] out, int outOff, float[] q, int qOff, int qStride, float[] k, float[] v, int[] kvBase,
                        int kvStride, int[] keys, int rows, int numHeads, int numKvHeads, int headDim) {
        forward(out, outOff, q, qOff, qStride, k, v, kvBase, kvStride, keys, rows, numHeads, numKvHeads, headDim, Simd.ENABLED);
    }

    /** {@link #forward} on the chosen path (parity tests). */
    public void forward(float[] out, int outOff, float[] q, int qOff, int qStride, float[] k, float[] v, int[] kvBase,
                        int kvStride, int[] keys, int rows, int numHeads, int numKvHeads, int headDim, boolean simd) {
        if (rows <= 0) return;
        if (numHeads <= 0 || numKvHeads <= 0 || numHeads % numKvHeads != 0 || headDim <= 0)
            throw new IllegalArgumentException("attention: bad heads " + numHeads + "/" + numKvHeads + " x " + headDim);
        for (int r = 0; r < rows; r++) {
            int n = keys[r];
            if (n <= 0) throw new IllegalArgumentException("attention: row " + r + " has no keys");
            long last = (long) kvBase[r] + (long) (n - 1) * kvStride + (long) numKvHeads * headDim;
            if (kvBase[r] < 0 || last > k.length || last > v.length)
                throw new IllegalArgumentException("attention: row " + r + "'s " + n + " keys do not fit the cache");
        }
        if ((long) qOff + (long) (rows - 1) * qStride + (long) numHeads * headDim > q.length
                || (long) outOff + (long) rows * numHeads * headDim > out.length)
            throw new IllegalArgumentException("attention: q or out too small for " + rows + " rows");
        this.out = out; this.outOff = outOff; this.q = q; this.qOff = qOff; this.qStride = qStride;
        this.k = k; this.v = v; this.kvBase = kvBase; this.kvStride = kvStride; this.keys = keys;
        this.numHeads = numHeads; this.numKvHeads = numKvHeads; this.headDim = headDim; this.simd = simd;
        try {
            int tasks = rows * numKvHeads;
            long work = 0;
            for (int r = 0; r < rows; r++) work += keys[r];
            if (work * numHeads * headDim < (1 << 15)) for (int t = 0; t < tasks; t++) task(0, t);
            else Parallel.forEach(tasks, body);
        } finally {
            this.out = null; this.q = null; this.k = null; this.v = null; this.keys = null; this.kvBase = null;
        }
    }

    /** One (row, kv head) pair: the group's query heads of that row. */
    private void task(int worker, int task) {
        int r = task / numKvHeads, g = task % numKvHeads, n = keys[r], group = numHeads / numKvHeads;
        float[] s = scores[worker];
        if (s.length < n) s = scores[worker] = new float[Math.max(n, s.length + (s.length >> 1))];
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int kb = kvBase[r] + g * headDim;
        for (int h = g * group; h < (g + 1) * group; h++) {
            int qo = qOff + r * qStride + h * headDim, oo = outOff + r * numHeads * headDim + h * headDim;
            if (simd) head(out, oo, q, qo, k, v, kb, kvStride, n, headDim, scale, s);
            else headScalar(out, oo, q, qo, k, v, kb, kvStride, n, headDim, scale, s);
        }
    }

    private static void head(float[] out, int oo, float[] q, int qo, float[] k, float[] v, int kb, int kvStride, int n,
                             int headDim, float scale, float[] s) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float d = dot(q, qo, k, kb + j * kvStride, headDim) * scale;
            s[j] = d;
            max = Math.max(max, d);
        }
        float sum = expInPlace(s, n, max);
        float inv = 1f / sum;
        int ub = F.loopBound(headDim), d = 0;
        for (; d < ub; d += L) weightedSum(out, oo + d, v, kb + d, kvStride, s, n, inv);
        for (; d < headDim; d++) {
            float acc = 0f;
            for (int j = 0; j < n; j++) acc += s[j] * v[kb + j * kvStride + d];
            out[oo + d] = acc * inv;
        }
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int ub = F.loopBound(n), i = 0;
        for (; i < ub; i += L) acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        float t = VecMath.sum(acc);
        for (; i < n; i++) t += a[ao + i] * b[bo + i];
        return t;
    }

    /** s[j] ← exp(s[j] − max) for j &lt; n; returns their sum (vector partial sums added in a fixed order). */
    private static float expInPlace(float[] s, int n, float max) {
        FloatVector mv = FloatVector.broadcast(F, max), acc = FloatVector.zero(F);
        int ub = F.loopBound(n), j = 0;
        for (; j < ub; j += L) {
            FloatVector e = VecMath.exp(FloatVector.fromArray(F, s, j).sub(mv));
            e.intoArray(s, j);
            acc = acc.add(e);
        }
        float sum = VecMath.sum(acc);
        for (; j < n; j++) {
            float e = VecMath.exp(s[j] - max);
            s[j] = e;
            sum += e;
        }
        return sum;
    }

    /** out[oo .. oo+L) ← inv · Σ_j s[j] · v[vo + j·stride .. +L). */
    private static void weightedSum(float[] out, int oo, float[] v, int vo, int stride, float[] s, int n, float inv) {
        FloatVector acc = FloatVector.zero(F);
        for (int j = 0; j < n; j++) acc = FloatVector.fromArray(F, v, vo + j * stride).fma(FloatVector.broadcast(F, s[j]), acc);
        acc.mul(inv).intoArray(out, oo);
    }

    private static void headScalar(float[] out, int oo, float[] q, int qo, float[] k, float[] v, int kb, int kvStride,
                                   int n, int headDim, float scale, float[] s) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float d = 0f;
            for (int i = 0; i < headDim; i++) d += q[qo + i] * k[kb + j * kvStride + i];
            s[j] = d * scale;
            max = Math.max(max, s[j]);
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) sum += s[j] = (float) StrictMath.exp(s[j] - max);
        float inv = 1f / sum;
        for (int i = 0; i < headDim; i++) {
            float acc = 0f;
            for (int j = 0; j < n; j++) acc += s[j] * v[kb + j * kvStride + i];
            out[oo + i] = acc * inv;
        }
    }
}
