package dev.seedling.tensor;

import dev.seedling.tensor.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-wise, numerically stable softmax {@code out[r] = exp(x[r] − max) / sum(exp(x[r] − max))} (used for
 * sampling), and its backward {@code dx += y · (dy − sum(dy · y))}. Legend: R rows, C columns (vocab).
 * x, out, dx, dout: (R, C) contiguous rows. {@code out} may be the same array region as {@code x} (in place).
 */
public final class Softmax {
    private Softmax() {}

    private static final VectorSpecies<Float> S = Simd.F;
    static final int PARALLEL_MIN = 1 << 15;

    /** out (R, C) = softmax of each row of x (R, C); in place allowed. */
    public static void forward(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        if (Simd.ENABLED) forwardSimd(out, outOff, x, xOff, rows, cols);
        else forwardScalar(out, outOff, x, xOff, rows, cols);
    }

    /** Backward: ADDS {@code y · (dy − sum(dy·y))} into dx (R, C), given y = the forward's output (R, C). */
    public static void backward(float[] dx, int dxOff, float[] dout, int doutOff, float[] out, int outOff, int rows, int cols) {
        if (Simd.ENABLED) backwardSimd(dx, dxOff, dout, doutOff, out, outOff, rows, cols);
        else backwardScalar(dx, dxOff, dout, doutOff, out, outOff, rows, cols);
    }

    static void forwardSimd(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        if ((long) rows * cols < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowForwardSimd(out, outOff + r * cols, x, xOff + r * cols, cols);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowForwardSimd(out, outOff + r * cols, x, xOff + r * cols, cols);
        });
    }

    static void forwardScalar(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
        if ((long) rows * cols < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowForwardScalar(out, outOff + r * cols, x, xOff + r * cols, cols);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowForwardScalar(out, outOff + r * cols, x, xOff + r * cols, cols);
        });
    }

    static void backwardSimd(float[] dx, int dxOff, float[] dout, int doutOff, float[] out, int outOff, int rows, int cols) {
        if ((long) rows * cols < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowBackwardSimd(dx, dxOff + r * cols, dout, doutOff + r * cols, out, outOff + r * cols, cols);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowBackwardSimd(dx, dxOff + r * cols, dout, doutOff + r * cols, out, outOff + r * cols, cols);
        });
    }

    static void backwardScalar(float[] dx, int dxOff, float[] dout, int doutOff, float[] out, int outOff, int rows, int cols) {
        if ((long) rows * cols < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowBackwardScalar(dx, dxOff + r * cols, dout, doutOff + r * cols, out, outOff + r * cols, cols);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowBackwardScalar(dx, dxOff + r * cols, dout, doutOff + r * cols, out, outOff + r * cols, cols);
        });
    }

    // ---- per-row micro-kernels ---------------------------------------------------------------------------------------

    /** Maximum of a[o, o+n) (−∞ for n = 0). */
    static float maxSimd(float[] a, int o, int n) {
        int L = S.length(), i = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector m = FloatVector.fromArray(S, a, o);
            for (i = L; i <= n - L; i += L) m = m.max(FloatVector.fromArray(S, a, o + i));
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) max = Math.max(max, a[o + i]);
        return max;
    }

    private static void rowForwardSimd(float[] out, int o, float[] x, int xo, int n) {
        float max = maxSimd(x, xo, n);
        int L = S.length(), i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= n - L; i += L) {
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, x, xo + i).sub(max));
            e.intoArray(out, o + i);
            acc = acc.add(e);
        }
        float sum = VecMath.sum(acc);
        for (; i < n; i++) {
            float e = VecMath.exp(x[xo + i] - max);
            out[o + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, out, o + i).mul(inv).intoArray(out, o + i);
        for (; i < n; i++) out[o + i] *= inv;
    }

    private static void rowForwardScalar(float[] out, int o, float[] x, int xo, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[xo + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[xo + i] - max);
            out[o + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) out[o + i] *= inv;
    }

    private static void rowBackwardSimd(float[] dx, int d, float[] dy, int g, float[] y, int yo, int n) {
        int L = S.length(), i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= n - L; i += L) acc = FloatVector.fromArray(S, dy, g + i).fma(FloatVector.fromArray(S, y, yo + i), acc);
        float dot = VecMath.sum(acc);
        for (; i < n; i++) dot += dy[g + i] * y[yo + i];
        i = 0;
        for (; i <= n - L; i += L)
            FloatVector.fromArray(S, dy, g + i).sub(dot).fma(FloatVector.fromArray(S, y, yo + i), FloatVector.fromArray(S, dx, d + i))
                    .intoArray(dx, d + i);
        for (; i < n; i++) dx[d + i] += (dy[g + i] - dot) * y[yo + i];
    }

    private static void rowBackwardScalar(float[] dx, int d, float[] dy, int g, float[] y, int yo, int n) {
        float dot = 0;
        for (int i = 0; i < n; i++) dot += dy[g + i] * y[yo + i];
        for (int i = 0; i < n; i++) dx[d + i] += (dy[g + i] - dot) * y[yo + i];
    }
}
