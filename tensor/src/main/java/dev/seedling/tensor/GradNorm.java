package dev.seedling.tensor;

import dev.seedling.tensor.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Global gradient norm and clipping over a flat gradient array (the model keeps all gradients in one).
 * The sum of squares is cut into fixed blocks of {@value #BLOCK} elements whatever the thread count; each block's
 * partial is a double, and the partials are summed in block order, so the result is the same on every run and for
 * every thread count.
 */
public final class GradNorm {
    private GradNorm() {}

    /** Elements per block of the sum of squares. */
    public static final int BLOCK = 1 << 14;
    private static final int SUB = 1024; // float accumulation span before widening to double
    private static final VectorSpecies<Float> S = Simd.F;

    /** Sum of the squares of g[off, off+n), as a double. */
    public static double sumOfSquares(float[] g, int off, int n) {
        return Simd.ENABLED ? sumOfSquaresSimd(g, off, n) : sumOfSquaresScalar(g, off, n);
    }

    /** a[off, off+n) *= s. */
    public static void scale(float[] a, int off, int n, float s) {
        if (Simd.ENABLED) scaleSimd(a, off, n, s);
        else scaleScalar(a, off, n, s);
    }

    /**
     * Clips the global norm as {@code torch.nn.utils.clip_grad_norm_}: with {@code norm = sqrt(sumOfSquares)},
     * multiplies by {@code maxNorm / (norm + 1e-6)} when that factor is below 1. Returns the pre-clip norm.
     */
    public static double clip(float[] g, int off, int n, double maxNorm) {
        double norm = Math.sqrt(sumOfSquares(g, off, n));
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1.0) scale(g, off, n, (float) coef);
        return norm;
    }

    // ---------------------------------------------------------------------------------------------------------------

    static double sumOfSquaresSimd(float[] g, int off, int n) {
        return blocked(g, off, n, true);
    }

    static double sumOfSquaresScalar(float[] g, int off, int n) {
        return blocked(g, off, n, false);
    }

    /** Fixed blocks of {@link #BLOCK}, one double partial each, summed in block order: independent of threads. */
    private static double blocked(float[] g, int off, int n, boolean simd) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        if (n <= 0) return 0;
        if (blocks == 1) return simd ? blockSimd(g, off, n) : blockScalar(g, off, n);
        double[] partial = new double[blocks];
        Parallel.forEach(blocks, (w, b) -> {
            int o = off + b * BLOCK, len = Math.min(BLOCK, n - b * BLOCK);
            partial[b] = simd ? blockSimd(g, o, len) : blockScalar(g, o, len);
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    private static double blockSimd(float[] g, int off, int n) {
        int L = S.length();
        double s = 0;
        for (int lo = 0; lo < n; lo += SUB) {
            int hi = Math.min(n, lo + SUB), i = lo;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            for (; i <= hi - 2 * L; i += 2 * L) {
                FloatVector v0 = FloatVector.fromArray(S, g, off + i), v1 = FloatVector.fromArray(S, g, off + i + L);
                a0 = v0.fma(v0, a0);
                a1 = v1.fma(v1, a1);
            }
            float f = VecMath.sum(a0.add(a1));
            for (; i < hi; i++) f += g[off + i] * g[off + i];
            s += f;
        }
        return s;
    }

    private static double blockScalar(float[] g, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) g[off + i] * g[off + i];
        return s;
    }

    static void scaleSimd(float[] a, int off, int n, float s) {
        if (n < 1 << 16) scaleRangeSimd(a, off, off + n, s);
        else Parallel.forRange(n, (w, lo, hi) -> scaleRangeSimd(a, off + lo, off + hi, s));
    }

    static void scaleScalar(float[] a, int off, int n, float s) {
        for (int i = off; i < off + n; i++) a[i] *= s;
    }

    private static void scaleRangeSimd(float[] a, int lo, int hi, float s) {
        int L = S.length(), i = lo;
        for (; i <= hi - L; i += L) FloatVector.fromArray(S, a, i).mul(s).intoArray(a, i);
        for (; i < hi; i++) a[i] *= s;
    }
}
