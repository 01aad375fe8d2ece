package dev.seedling.tensor;

import dev.seedling.tensor.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused RMSNorm (Llama): {@code out[r] = x[r] · rstd[r] · w} with {@code rstd[r] = 1/sqrt(mean(x[r]²) + eps)}.
 * Legend: R rows (tokens), C channels. x, out, dx, dout: (R, C) contiguous rows; w, dw: (C); rstd: (R).
 *
 * <p>Forward and backward are parallel over rows; the weight gradient, a sum over rows, is split over columns so
 * every element of dw is summed over rows 0..R-1 in order: the result does not depend on the thread count.
 */
public final class RmsNorm {
    private RmsNorm() {}

    private static final VectorSpecies<Float> S = Simd.F;
    /** Below this many elements a call runs on the calling thread. */
    static final int PARALLEL_MIN = 1 << 15;

    /** Forward: writes out (R, C) and the saved rstd (R). */
    public static void forward(float[] out, int outOff, float[] rstd, int rstdOff, float[] x, int xOff,
                               float[] w, int wOff, int rows, int cols, float eps) {
        if (Simd.ENABLED) forwardSimd(out, outOff, rstd, rstdOff, x, xOff, w, wOff, rows, cols, eps);
        else forwardScalar(out, outOff, rstd, rstdOff, x, xOff, w, wOff, rows, cols, eps);
    }

    /**
     * Backward: ADDS into dx (R, C) and dw (C); either may be null to skip it. dout: (R, C); x, w, rstd as saved by
     * the forward.
     */
    public static void backward(float[] dx, int dxOff, float[] dw, int dwOff, float[] dout, int doutOff,
                                float[] x, int xOff, float[] w, int wOff, float[] rstd, int rstdOff, int rows, int cols) {
        if (Simd.ENABLED) backwardSimd(dx, dxOff, dw, dwOff, dout, doutOff, x, xOff, w, wOff, rstd, rstdOff, rows, cols);
        else backwardScalar(dx, dxOff, dw, dwOff, dout, doutOff, x, xOff, w, wOff, rstd, rstdOff, rows, cols);
    }

    // ---------------------------------------------------------------------------------------------------------------

    static void forwardSimd(float[] out, int outOff, float[] rstd, int rstdOff, float[] x, int xOff,
                            float[] w, int wOff, int rows, int cols, float eps) {
        if ((long) rows * cols < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rstd[rstdOff + r] = rowForwardSimd(out, outOff + r * cols, x, xOff + r * cols, w, wOff, cols, eps);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rstd[rstdOff + r] = rowForwardSimd(out, outOff + r * cols, x, xOff + r * cols, w, wOff, cols, eps);
        });
    }

    static void forwardScalar(float[] out, int outOff, float[] rstd, int rstdOff, float[] x, int xOff,
                              float[] w, int wOff, int rows, int cols, float eps) {
        if ((long) rows * cols < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rstd[rstdOff + r] = rowForwardScalar(out, outOff + r * cols, x, xOff + r * cols, w, wOff, cols, eps);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rstd[rstdOff + r] = rowForwardScalar(out, outOff + r * cols, x, xOff + r * cols, w, wOff, cols, eps);
        });
    }

    static void backwardSimd(float[] dx, int dxOff, float[] dw, int dwOff, float[] dout, int doutOff,
                             float[] x, int xOff, float[] w, int wOff, float[] rstd, int rstdOff, int rows, int cols) {
        boolean par = (long) rows * cols >= PARALLEL_MIN;
        if (dx != null) {
            if (!par) for (int r = 0; r < rows; r++) rowBackwardSimd(dx, dxOff + r * cols, dout, doutOff + r * cols, x, xOff + r * cols, w, wOff, rstd[rstdOff + r], cols);
            else Parallel.forRange(rows, (p, lo, hi) -> {
                for (int r = lo; r < hi; r++) rowBackwardSimd(dx, dxOff + r * cols, dout, doutOff + r * cols, x, xOff + r * cols, w, wOff, rstd[rstdOff + r], cols);
            });
        }
        if (dw != null) {
            if (!par) dwColumnsSimd(dw, dwOff, dout, doutOff, x, xOff, rstd, rstdOff, rows, cols, 0, cols);
            else Parallel.forRange(cols, (p, lo, hi) -> dwColumnsSimd(dw, dwOff, dout, doutOff, x, xOff, rstd, rstdOff, rows, cols, lo, hi));
        }
    }

    static void backwardScalar(float[] dx, int dxOff, float[] dw, int dwOff, float[] dout, int doutOff,
                               float[] x, int xOff, float[] w, int wOff, float[] rstd, int rstdOff, int rows, int cols) {
        boolean par = (long) rows * cols >= PARALLEL_MIN;
        if (dx != null) {
            if (!par) for (int r = 0; r < rows; r++) rowBackwardScalar(dx, dxOff + r * cols, dout, doutOff + r * cols, x, xOff + r * cols, w, wOff, rstd[rstdOff + r], cols);
            else Parallel.forRange(rows, (p, lo, hi) -> {
                for (int r = lo; r < hi; r++) rowBackwardScalar(dx, dxOff + r * cols, dout, doutOff + r * cols, x, xOff + r * cols, w, wOff, rstd[rstdOff + r], cols);
            });
        }
        if (dw != null) {
            if (!par) dwColumnsScalar(dw, dwOff, dout, doutOff, x, xOff, rstd, rstdOff, rows, cols, 0, cols);
            else Parallel.forRange(cols, (p, lo, hi) -> dwColumnsScalar(dw, dwOff, dout, doutOff, x, xOff, rstd, rstdOff, rows, cols, lo, hi));
        }
    }

    // ---- per-row micro-kernels (small, so they inline) ---------------------------------------------------------------

    private static float rowForwardSimd(float[] out, int o, float[] x, int xo, float[] w, int wo, int n, float eps) {
        int L = S.length(), i = 0;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (; i <= n - 2 * L; i += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, xo + i), v1 = FloatVector.fromArray(S, x, xo + i + L);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
        }
        float ss = VecMath.sum(a0.add(a1));
        for (; i < n; i++) ss += x[xo + i] * x[xo + i];
        float rs = (float) (1.0 / Math.sqrt(ss / n + eps));
        i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i).mul(rs).mul(FloatVector.fromArray(S, w, wo + i));
            v.intoArray(out, o + i);
        }
        for (; i < n; i++) out[o + i] = x[xo + i] * rs * w[wo + i];
        return rs;
    }

    private static float rowForwardScalar(float[] out, int o, float[] x, int xo, float[] w, int wo, int n, float eps) {
        float ss = 0;
        for (int i = 0; i < n; i++) ss += x[xo + i] * x[xo + i];
        float rs = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[o + i] = x[xo + i] * rs * w[wo + i];
        return rs;
    }

    // dx += rs·(w·dy − x·rs²·mean(dy·w·x))
    private static void rowBackwardSimd(float[] dx, int d, float[] dy, int g, float[] x, int xo, float[] w, int wo, float rs, int n) {
        int L = S.length(), i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= n - L; i += L)
            acc = FloatVector.fromArray(S, dy, g + i).mul(FloatVector.fromArray(S, w, wo + i)).fma(FloatVector.fromArray(S, x, xo + i), acc);
        float dot = VecMath.sum(acc);
        for (; i < n; i++) dot += dy[g + i] * w[wo + i] * x[xo + i];
        float c = -rs * rs * rs * dot / n;
        FloatVector cv = FloatVector.broadcast(S, c);
        i = 0;
        for (; i <= n - L; i += L) {
            FloatVector t = FloatVector.fromArray(S, dy, g + i).mul(FloatVector.fromArray(S, w, wo + i)).mul(rs);
            t = FloatVector.fromArray(S, x, xo + i).fma(cv, t).add(FloatVector.fromArray(S, dx, d + i));
            t.intoArray(dx, d + i);
        }
        for (; i < n; i++) dx[d + i] += dy[g + i] * w[wo + i] * rs + x[xo + i] * c;
    }

    private static void rowBackwardScalar(float[] dx, int d, float[] dy, int g, float[] x, int xo, float[] w, int wo, float rs, int n) {
        float dot = 0;
        for (int i = 0; i < n; i++) dot += dy[g + i] * w[wo + i] * x[xo + i];
        float c = -rs * rs * rs * dot / n;
        for (int i = 0; i < n; i++) dx[d + i] += dy[g + i] * w[wo + i] * rs + x[xo + i] * c;
    }

    // dw[j] += sum over rows r (in order) of dy[r,j]·rstd[r]·x[r,j], for columns [lo, hi): row-major sweep, the
    // dw strip stays in L1
    private static void dwColumnsSimd(float[] dw, int dwOff, float[] dy, int g, float[] x, int xo, float[] rstd, int ro,
                                      int rows, int cols, int lo, int hi) {
        int L = S.length();
        for (int r = 0; r < rows; r++) {
            float rs = rstd[ro + r];
            int yr = g + r * cols, xr = xo + r * cols, j = lo;
            for (; j <= hi - L; j += L)
                FloatVector.fromArray(S, dy, yr + j).mul(rs).fma(FloatVector.fromArray(S, x, xr + j),
                        FloatVector.fromArray(S, dw, dwOff + j)).intoArray(dw, dwOff + j);
            for (; j < hi; j++) dw[dwOff + j] = Math.fma(dy[yr + j] * rs, x[xr + j], dw[dwOff + j]);
        }
    }

    private static void dwColumnsScalar(float[] dw, int dwOff, float[] dy, int g, float[] x, int xo, float[] rstd, int ro,
                                        int rows, int cols, int lo, int hi) {
        for (int r = 0; r < rows; r++) {
            float rs = rstd[ro + r];
            int yr = g + r * cols, xr = xo + r * cols;
            for (int j = lo; j < hi; j++) dw[dwOff + j] = Math.fma(dy[yr + j] * rs, x[xr + j], dw[dwOff + j]);
        }
    }
}
