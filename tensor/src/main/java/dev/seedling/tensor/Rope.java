package dev.seedling.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embeddings applied to the fused q/k/v projection (HF Llama rotate-half layout, see
 * {@link RopeTable}).
 *
 * <p>Legend: B batch, T sequence, H query heads, KV key/value heads, D head dim, W = (H + 2·KV)·D.
 * {@code qkv: (B·T, W)}, each row {@code [q heads (H·D) | k heads (KV·D) | v heads (KV·D)]}. The first
 * {@code (H+KV)·D} floats of a row (the q and k heads) are rotated; the v part is passed through.
 *
 * <p>The kernels allocate nothing; {@code out} may be the same array and offset as {@code qkv} (in place). Each
 * has a Vector API path and a scalar twin that give bit-identical results (both round {@code x1·c − x2·s} the same
 * way, without FMA).
 */
public final class Rope {
    private Rope() {}

    private static final VectorSpecies<Float> F = Simd.F;
    /** Below this many floats a call runs on the calling thread only. */
    private static final int PARALLEL_MIN = 1 << 15;

    /**
     * Training forward: row {@code r} of {@code qkv} is at position {@code r mod seq} (each sequence starts at 0).
     * out, qkv: (rows, W).
     */
    public static void forward(float[] out, int outOff, float[] qkv, int qkvOff, RopeTable table,
                               int rows, int seq, int numHeads, int numKvHeads, int headDim) {
        check(table, rows, seq, seq, numHeads, numKvHeads, headDim);
        run(out, outOff, qkv, qkvOff, table, 0, rows, seq, numHeads, numKvHeads, headDim, false, Simd.ENABLED);
    }

    /**
     * Decoding forward: {@code rows} consecutive tokens of one sequence at positions {@code [start, start+rows)}.
     * out, qkv: (rows, W).
     */
    public static void forwardAt(float[] out, int outOff, float[] qkv, int qkvOff, RopeTable table,
                                 int start, int rows, int numHeads, int numKvHeads, int headDim) {
        if (start < 0) throw new IllegalArgumentException("rope start position must be >= 0, got " + start);
        check(table, rows, Math.max(rows, 1), start + rows, numHeads, numKvHeads, headDim);
        run(out, outOff, qkv, qkvOff, table, start, rows, Integer.MAX_VALUE, numHeads, numKvHeads, headDim, false,
                Simd.ENABLED);
    }

    /**
     * Training backward (transpose rotation, by −angle): {@code dqkv += Rᵀ · dout}, the v part
     * {@code += dout}. dqkv, dout: (rows, W), row {@code r} at position {@code r mod seq}.
     */
    public static void backward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, RopeTable table,
                                int rows, int seq, int numHeads, int numKvHeads, int headDim) {
        check(table, rows, seq, seq, numHeads, numKvHeads, headDim);
        run(dqkv, dqkvOff, dout, doutOff, table, 0, rows, seq, numHeads, numKvHeads, headDim, true, Simd.ENABLED);
    }

    /** {@link #forward} on the chosen path (parity tests and benchmarks). */
    public static void forward(float[] out, int outOff, float[] qkv, int qkvOff, RopeTable table,
                               int rows, int seq, int numHeads, int numKvHeads, int headDim, boolean simd) {
        check(table, rows, seq, seq, numHeads, numKvHeads, headDim);
        run(out, outOff, qkv, qkvOff, table, 0, rows, seq, numHeads, numKvHeads, headDim, false, simd);
    }

    /** {@link #backward} on the chosen path (parity tests and benchmarks). */
    public static void backward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, RopeTable table,
                                int rows, int seq, int numHeads, int numKvHeads, int headDim, boolean simd) {
        check(table, rows, seq, seq, numHeads, numKvHeads, headDim);
        run(dqkv, dqkvOff, dout, doutOff, table, 0, rows, seq, numHeads, numKvHeads, headDim, true, simd);
    }

    private static void check(RopeTable table, int rows, int seq, int maxPos, int numHeads, int numKvHeads,
                              int headDim) {
        if (rows < 0 || seq <= 0 || numHeads <= 0 || numKvHeads <= 0)
            throw new IllegalArgumentException("rope: bad sizes rows=" + rows + " seq=" + seq + " heads=" + numHeads
                    + " kvHeads=" + numKvHeads);
        if (table.headDim() != headDim)
            throw new IllegalArgumentException("rope table is for head dim " + table.headDim() + ", not " + headDim);
        if (maxPos > table.maxPositions())
            throw new IllegalArgumentException("rope table covers " + table.maxPositions() + " positions, "
                    + maxPos + " needed");
    }

    private static void run(float[] out, int outOff, float[] in, int inOff, RopeTable table, int start, int rows,
                            int seq, int numHeads, int numKvHeads, int headDim, boolean backward, boolean simd) {
        int width = (numHeads + 2 * numKvHeads) * headDim;
        long n = (long) rows * width;
        if (outOff < 0 || inOff < 0 || outOff + n > out.length || inOff + n > in.length)
            throw new IllegalArgumentException("rope: " + rows + " rows of " + width + " floats do not fit the arrays");
        if (n < PARALLEL_MIN) {
            rows(out, outOff, in, inOff, table, start, 0, rows, seq, numHeads, numKvHeads, headDim, backward, simd);
            return;
        }
        Parallel.forRange(rows, (w, lo, hi) ->
                rows(out, outOff, in, inOff, table, start, lo, hi, seq, numHeads, numKvHeads, headDim, backward, simd));
    }

    private static void rows(float[] out, int outOff, float[] in, int inOff, RopeTable table, int start, int lo,
                             int hi, int seq, int numHeads, int numKvHeads, int headDim, boolean backward,
                             boolean simd) {
        int width = (numHeads + 2 * numKvHeads) * headDim, rotated = (numHeads + numKvHeads) * headDim;
        int half = headDim / 2, heads = numHeads + numKvHeads;
        float[] cos = table.cos(), sin = table.sin();
        for (int r = lo; r < hi; r++) {
            int pos = start + r % seq;
            int o = outOff + r * width, x = inOff + r * width, tab = pos * half;
            for (int h = 0; h < heads; h++) {
                int ho = o + h * headDim, hx = x + h * headDim;
                if (backward) {
                    if (simd) rotateAddTransposedVector(out, ho, in, hx, cos, sin, tab, half);
                    else rotateAddTransposedScalar(out, ho, in, hx, cos, sin, tab, half);
                } else {
                    if (simd) rotateVector(out, ho, in, hx, cos, sin, tab, half);
                    else rotateScalar(out, ho, in, hx, cos, sin, tab, half);
                }
            }
            int n = width - rotated;
            if (backward) {
                if (simd) addVector(out, o + rotated, in, x + rotated, n);
                else for (int i = 0; i < n; i++) out[o + rotated + i] += in[x + rotated + i];
            } else if (out != in || o != x) {
                System.arraycopy(in, x + rotated, out, o + rotated, n);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // one head: x = [x1 | x2], halves of `half`; c, s at tab.

    private static void rotateScalar(float[] out, int o, float[] x, int xo, float[] cos, float[] sin, int tab,
                                     int half) {
        for (int i = 0; i < half; i++) {
            float x1 = x[xo + i], x2 = x[xo + half + i], c = cos[tab + i], s = sin[tab + i];
            out[o + i] = x1 * c - x2 * s;
            out[o + half + i] = x2 * c + x1 * s;
        }
    }

    private static void rotateVector(float[] out, int o, float[] x, int xo, float[] cos, float[] sin, int tab,
                                     int half) {
        int i = 0, bound = F.loopBound(half);
        for (; i < bound; i += F.length()) {
            FloatVector x1 = FloatVector.fromArray(F, x, xo + i), x2 = FloatVector.fromArray(F, x, xo + half + i);
            FloatVector c = FloatVector.fromArray(F, cos, tab + i), s = FloatVector.fromArray(F, sin, tab + i);
            x1.mul(c).sub(x2.mul(s)).intoArray(out, o + i);
            x2.mul(c).add(x1.mul(s)).intoArray(out, o + half + i);
        }
        for (; i < half; i++) {
            float x1 = x[xo + i], x2 = x[xo + half + i], c = cos[tab + i], s = sin[tab + i];
            out[o + i] = x1 * c - x2 * s;
            out[o + half + i] = x2 * c + x1 * s;
        }
    }

    /** out += Rᵀ·g: {@code [g1·c + g2·s | g2·c − g1·s]}. */
    private static void rotateAddTransposedScalar(float[] out, int o, float[] g, int go, float[] cos, float[] sin,
                                                  int tab, int half) {
        for (int i = 0; i < half; i++) {
            float g1 = g[go + i], g2 = g[go + half + i], c = cos[tab + i], s = sin[tab + i];
            out[o + i] += g1 * c + g2 * s;
            out[o + half + i] += g2 * c - g1 * s;
        }
    }

    private static void rotateAddTransposedVector(float[] out, int o, float[] g, int go, float[] cos, float[] sin,
                                                  int tab, int half) {
        int i = 0, bound = F.loopBound(half);
        for (; i < bound; i += F.length()) {
            FloatVector g1 = FloatVector.fromArray(F, g, go + i), g2 = FloatVector.fromArray(F, g, go + half + i);
            FloatVector c = FloatVector.fromArray(F, cos, tab + i), s = FloatVector.fromArray(F, sin, tab + i);
            FloatVector.fromArray(F, out, o + i).add(g1.mul(c).add(g2.mul(s))).intoArray(out, o + i);
            FloatVector.fromArray(F, out, o + half + i).add(g2.mul(c).sub(g1.mul(s))).intoArray(out, o + half + i);
        }
        for (; i < half; i++) {
            float g1 = g[go + i], g2 = g[go + half + i], c = cos[tab + i], s = sin[tab + i];
            out[o + i] += g1 * c + g2 * s;
            out[o + half + i] += g2 * c - g1 * s;
        }
    }

    private static void addVector(float[] out, int o, float[] g, int go, int n) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            FloatVector.fromArray(F, out, o + i).add(FloatVector.fromArray(F, g, go + i)).intoArray(out, o + i);
        for (; i < n; i++) out[o + i] += g[go + i];
    }
}
