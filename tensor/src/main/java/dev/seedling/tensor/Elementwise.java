package dev.seedling.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise kernels over flat ranges of n elements (residual adds, products, and the gradient accumulations of
 * {@link AddOp} and {@link MulOp}). Output ranges may alias an input range exactly (in place).
 */
public final class Elementwise {
    private Elementwise() {}

    private static final VectorSpecies<Float> S = Simd.F;
    static final int PARALLEL_MIN = 1 << 16;

    /** out = a + b. */
    public static void add(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
        run(0, Simd.ENABLED, out, outOff, a, aOff, b, bOff, n);
    }

    /** out = a · b. */
    public static void mul(float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
        run(1, Simd.ENABLED, out, outOff, a, aOff, b, bOff, n);
    }

    /** dst += src. */
    public static void addTo(float[] dst, int dstOff, float[] src, int srcOff, int n) {
        run(0, Simd.ENABLED, dst, dstOff, dst, dstOff, src, srcOff, n);
    }

    /** dst += a · b. */
    public static void addProductTo(float[] dst, int dstOff, float[] a, int aOff, float[] b, int bOff, int n) {
        run(2, Simd.ENABLED, dst, dstOff, a, aOff, b, bOff, n);
    }

    /** kind 0: out = a + b, 1: out = a·b, 2: out += a·b; the SIMD or scalar twin, parallel for large n. */
    static void run(int kind, boolean simd, float[] out, int outOff, float[] a, int aOff, float[] b, int bOff, int n) {
        if (n < PARALLEL_MIN) range(kind, simd, out, outOff, a, aOff, b, bOff, 0, n);
        else Parallel.forRange(n, (w, lo, hi) -> range(kind, simd, out, outOff, a, aOff, b, bOff, lo, hi));
    }

    private static void range(int kind, boolean simd, float[] out, int o, float[] a, int ao, float[] b, int bo, int lo, int hi) {
        int i = lo;
        if (simd) {
            i = switch (kind) {
                case 0 -> addSimd(out, o, a, ao, b, bo, lo, hi);
                case 1 -> mulSimd(out, o, a, ao, b, bo, lo, hi);
                default -> fmaSimd(out, o, a, ao, b, bo, lo, hi);
            };
        }
        switch (kind) {
            case 0 -> { for (; i < hi; i++) out[o + i] = a[ao + i] + b[bo + i]; }
            case 1 -> { for (; i < hi; i++) out[o + i] = a[ao + i] * b[bo + i]; }
            default -> { for (; i < hi; i++) out[o + i] = Math.fma(a[ao + i], b[bo + i], out[o + i]); }
        }
    }

    // the SIMD bodies return the index where the scalar tail starts
    private static int addSimd(float[] out, int o, float[] a, int ao, float[] b, int bo, int lo, int hi) {
        int L = S.length(), i = lo;
        for (; i <= hi - L; i += L) FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(out, o + i);
        return i;
    }

    private static int mulSimd(float[] out, int o, float[] a, int ao, float[] b, int bo, int lo, int hi) {
        int L = S.length(), i = lo;
        for (; i <= hi - L; i += L) FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(out, o + i);
        return i;
    }

    private static int fmaSimd(float[] out, int o, float[] a, int ao, float[] b, int bo, int lo, int hi) {
        int L = S.length(), i = lo;
        for (; i <= hi - L; i += L)
            FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), FloatVector.fromArray(S, out, o + i)).intoArray(out, o + i);
        return i;
    }
}
