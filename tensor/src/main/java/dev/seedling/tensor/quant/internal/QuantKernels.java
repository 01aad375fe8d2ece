package dev.seedling.tensor.quant.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The block-quantised kernels: quantising rows into ggml's Q8_0 and Q4_0 blocks, dequantising them, and the integer
 * dot products of a weight row with activation rows quantised to Q8 blocks (as llama.cpp's q8_0·q8_0 and q4_0·q8_0).
 *
 * <p>Block layouts (little-endian, exactly as ggml and GGUF store them; QK = 32 weights per block):
 * <ul>
 *   <li>Q8_0, 34 bytes: f16 scale d, then 32 int8 q; x = d·q.</li>
 *   <li>Q4_0, 18 bytes: f16 scale d, then 16 bytes; byte j holds element j in its low nibble and element j + 16
 *       in its high nibble; x = d·(q − 8).</li>
 * </ul>
 * Activations are quantised per block of 32 to int8 values q (kept widened in a {@code short[] xq}, so the hot loop
 * loads them without converting) with an f32 scale ({@code xs}).
 *
 * <p>The dot products have one fixed arithmetic order, shared by the SIMD kernels and their scalar twins, so the
 * two agree bit for bit: for each block, lane l (0..15) holds the exact integer {@code w[l]·x[l] + w[l+16]·x[l+16]},
 * then {@code acc[l] = fma(float(lane l), dw·dx, acc[l])}; after the last block the 16 lanes are summed pairwise in
 * the order of {@link dev.seedling.tensor.internal.VecMath#sum} (lane i with lane i+8, then i+4, i+2, i+1). The
 * SIMD kernels need 512-bit float vectors ({@link #SIMD}); elsewhere the scalar twins run.
 *
 * <p>Kernels follow the engine's convention: outputs first, then inputs, then sizes; they allocate nothing
 * (the scalar twins use a per-thread 16-float scratch).
 */
public final class QuantKernels {
    private QuantKernels() {}

    public static final int QK = 32;
    public static final int Q8_0_BYTES = 34;
    public static final int Q4_0_BYTES = 18;
    private static final int LANES = 16;

    private static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I512 = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512;

    /** Whether the SIMD kernels may run: the Vector API switch is on and the CPU has 512-bit float vectors. */
    public static final boolean SIMD = dev.seedling.tensor.Simd.ENABLED
            && FloatVector.SPECIES_PREFERRED.length() == LANES;

    /** Lane i takes lane (i + 2^k) mod 16: the pairings of {@link #sum16}, each its own constant (C2 folds them). */
    private static final VectorShuffle<Float> ROT8 = VectorShuffle.iota(F512, 8, 1, true),
            ROT4 = VectorShuffle.iota(F512, 4, 1, true), ROT2 = VectorShuffle.iota(F512, 2, 1, true),
            ROT1 = VectorShuffle.iota(F512, 1, 1, true);
    private static final ThreadLocal<float[]> LANES_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    // ---------------------------------------------------------------------------------------------------------------
    // f16 scales inside the byte blocks

    /** The f16 value stored little-endian at {@code b[o], b[o+1]}, widened to f32. */
    public static float f16At(byte[] b, int o) {
        return Float.float16ToFloat((short) F16_LE.get(b, o)); // one 16-bit load (measured faster than two bytes)
    }

    private static final java.lang.invoke.VarHandle F16_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private static void putF16(byte[] b, int o, short bits) {
        b[o] = (byte) bits;
        b[o + 1] = (byte) (bits >> 8);
    }

    /** C's {@code roundf}: to nearest, halves away from zero (as ggml rounds quantised weights). */
    static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // quantisation of weights (ggml's reference quantize_row_q8_0 / quantize_row_q4_0)

    /**
     * Quantises {@code n} floats (a multiple of 32) of {@code src} into {@code n/32} Q8_0 blocks at {@code dst[dstOff]}:
     * d = max|x|/127, q = roundf(x/d) (with 1/d taken in f32 before d is rounded to f16, as ggml does).
     */
    public static void quantizeQ8_0(byte[] dst, int dstOff, float[] src, int srcOff, int n) {
        for (int b = 0; b < n / QK; b++) {
            int s = srcOff + b * QK, o = dstOff + b * Q8_0_BYTES;
            float amax = 0;
            for (int j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(src[s + j]));
            float d = amax / 127f, id = d != 0 ? 1f / d : 0f;
            putF16(dst, o, Float.floatToFloat16(d));
            for (int j = 0; j < QK; j++) dst[o + 2 + j] = (byte) roundHalfAway(src[s + j] * id);
        }
    }

    /**
     * Quantises {@code n} floats (a multiple of 32) into {@code n/32} Q4_0 blocks: max = the element of largest
     * magnitude (with its sign), d = max/−8, q = min(15, (int8)(x/d + 8.5)), packed low nibble = element j, high
     * nibble = element j + 16 (ggml's reference).
     */
    public static void quantizeQ4_0(byte[] dst, int dstOff, float[] src, int srcOff, int n) {
        for (int b = 0; b < n / QK; b++) {
            int s = srcOff + b * QK, o = dstOff + b * Q4_0_BYTES;
            float amax = 0, max = 0;
            for (int j = 0; j < QK; j++) {
                float v = src[s + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f, id = d != 0 ? 1f / d : 0f;
            putF16(dst, o, Float.floatToFloat16(d));
            for (int j = 0; j < QK / 2; j++) {
                int q0 = Math.min(15, (byte) (int) (src[s + j] * id + 8.5f));
                int q1 = Math.min(15, (byte) (int) (src[s + j + 16] * id + 8.5f));
                dst[o + 2 + j] = (byte) (q0 | (q1 << 4));
            }
        }
    }

    /** Dequantises {@code n} weights (a multiple of 32) from Q8_0 blocks at {@code src[srcOff]}. */
    public static void dequantizeQ8_0(float[] dst, int dstOff, byte[] src, int srcOff, int n) {
        for (int b = 0; b < n / QK; b++) {
            int o = srcOff + b * Q8_0_BYTES, t = dstOff + b * QK;
            float d = f16At(src, o);
            for (int j = 0; j < QK; j++) dst[t + j] = d * src[o + 2 + j];
        }
    }

    /** Dequantises {@code n} weights (a multiple of 32) from Q4_0 blocks at {@code src[srcOff]}. */
    public static void dequantizeQ4_0(float[] dst, int dstOff, byte[] src, int srcOff, int n) {
        for (int b = 0; b < n / QK; b++) {
            int o = srcOff + b * Q4_0_BYTES, t = dstOff + b * QK;
            float d = f16At(src, o);
            for (int j = 0; j < QK / 2; j++) {
                int v = src[o + 2 + j] & 0xFF;
                dst[t + j] = d * ((v & 0x0F) - 8);
                dst[t + j + 16] = d * ((v >>> 4) - 8);
            }
        }
    }

    /**
     * Quantises an activation row of {@code n} floats (a multiple of 32) to int8 blocks: per block d = max|x|/127
     * kept in f32 ({@code xs[xsOff + b]}), q = roundf(x/d) ({@code xq[xqOff + b·32 + j]}).
     */
    public static void quantizeActivations(short[] xq, int xqOff, float[] xs, int xsOff, float[] x, int xOff, int n) {
        for (int b = 0; b < n / QK; b++) {
            int s = xOff + b * QK, o = xqOff + b * QK;
            float amax = 0;
            for (int j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[s + j]));
            float d = amax / 127f, id = d != 0 ? 1f / d : 0f;
            xs[xsOff + b] = d;
            for (int j = 0; j < QK; j++) xq[o + j] = (short) roundHalfAway(x[s + j] * id);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // dot products, SIMD

    /** Σ over {@code blocks} Q8_0 blocks of weight row {@code w[wOff…]} · activation row ({@code xq}, {@code xs}). */
    public static float dotQ8_0(byte[] w, int wOff, short[] xq, int xqOff, float[] xs, int xsOff, int blocks) {
        FloatVector acc = FloatVector.zero(F512);
        for (int b = 0; b < blocks; b++) {
            int o = wOff + b * Q8_0_BYTES;
            ShortVector w0 = (ShortVector) ByteVector.fromArray(B128, w, o + 2).convertShape(VectorOperators.B2S, S256, 0);
            ShortVector w1 = (ShortVector) ByteVector.fromArray(B128, w, o + 18).convertShape(VectorOperators.B2S, S256, 0);
            acc = step(acc, w0, w1, xq, xqOff + b * QK, f16At(w, o) * xs[xsOff + b]);
        }
        return sum16(acc);
    }

    /** As {@link #dotQ8_0} for Q4_0 weight blocks. */
    public static float dotQ4_0(byte[] w, int wOff, short[] xq, int xqOff, float[] xs, int xsOff, int blocks) {
        FloatVector acc = FloatVector.zero(F512);
        for (int b = 0; b < blocks; b++) {
            int o = wOff + b * Q4_0_BYTES, q = xqOff + b * QK;
            ShortVector packed = (ShortVector) ByteVector.fromArray(B128, w, o + 2).convertShape(VectorOperators.B2S, S256, 0);
            ShortVector w0 = packed.and((short) 0x0F).sub((short) 8);
            ShortVector w1 = packed.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F).sub((short) 8);
            ShortVector x0 = ShortVector.fromArray(S256, xq, q);
            ShortVector x1 = ShortVector.fromArray(S256, xq, q + 16);
            ShortVector p = w0.mul(x0).add(w1.mul(x1));
            FloatVector pf = (FloatVector) p.convertShape(VectorOperators.S2I, I512, 0)
                    .convertShape(VectorOperators.I2F, F512, 0);
            acc = pf.fma(FloatVector.broadcast(F512, f16At(w, o) * xs[xsOff + b]), acc);
        }
        return sum16(acc);
    }

    /**
     * Four activation rows at once against one Q8_0 weight row (the weight blocks are loaded once):
     * {@code y[yOff + i·yStride] = dotQ8_0(w, x row i)} for i &lt; 4, bit-identical to four {@link #dotQ8_0} calls.
     */
    public static void dotQ8_0x4(float[] y, int yOff, int yStride, byte[] w, int wOff, short[] xq, int xqOff,
                                 int xqStride, float[] xs, int xsOff, int xsStride, int blocks) {
        FloatVector a0 = FloatVector.zero(F512), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < blocks; b++) {
            int o = wOff + b * Q8_0_BYTES, q = xqOff + b * QK, s = xsOff + b;
            ShortVector w0 = (ShortVector) ByteVector.fromArray(B128, w, o + 2).convertShape(VectorOperators.B2S, S256, 0);
            ShortVector w1 = (ShortVector) ByteVector.fromArray(B128, w, o + 18).convertShape(VectorOperators.B2S, S256, 0);
            float dw = f16At(w, o);
            a0 = step(a0, w0, w1, xq, q, dw * xs[s]);
            a1 = step(a1, w0, w1, xq, q + xqStride, dw * xs[s + xsStride]);
            a2 = step(a2, w0, w1, xq, q + 2 * xqStride, dw * xs[s + 2 * xsStride]);
            a3 = step(a3, w0, w1, xq, q + 3 * xqStride, dw * xs[s + 3 * xsStride]);
        }
        y[yOff] = sum16(a0);
        y[yOff + yStride] = sum16(a1);
        y[yOff + 2 * yStride] = sum16(a2);
        y[yOff + 3 * yStride] = sum16(a3);
    }

    /** As {@link #dotQ8_0x4} for Q4_0 weight blocks. */
    public static void dotQ4_0x4(float[] y, int yOff, int yStride, byte[] w, int wOff, short[] xq, int xqOff,
                                 int xqStride, float[] xs, int xsOff, int xsStride, int blocks) {
        FloatVector a0 = FloatVector.zero(F512), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < blocks; b++) {
            int o = wOff + b * Q4_0_BYTES, q = xqOff + b * QK, s = xsOff + b;
            ShortVector packed = (ShortVector) ByteVector.fromArray(B128, w, o + 2).convertShape(VectorOperators.B2S, S256, 0);
            ShortVector w0 = packed.and((short) 0x0F).sub((short) 8);
            ShortVector w1 = packed.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F).sub((short) 8);
            float dw = f16At(w, o);
            a0 = step(a0, w0, w1, xq, q, dw * xs[s]);
            a1 = step(a1, w0, w1, xq, q + xqStride, dw * xs[s + xsStride]);
            a2 = step(a2, w0, w1, xq, q + 2 * xqStride, dw * xs[s + 2 * xsStride]);
            a3 = step(a3, w0, w1, xq, q + 3 * xqStride, dw * xs[s + 3 * xsStride]);
        }
        y[yOff] = sum16(a0);
        y[yOff + yStride] = sum16(a1);
        y[yOff + 2 * yStride] = sum16(a2);
        y[yOff + 3 * yStride] = sum16(a3);
    }

    /**
     * The Q4_0 offset terms of an activation row for {@link #dotQ4_0Pairs}: for each of {@code blocks} blocks,
     * {@code xc[xcOff + b·16 + l] = 8·(xq[b·32 + l] + xq[b·32 + 16 + l])} (|value| ≤ 2032), the part of
     * {@code (lo − 8)·x[l] + (hi − 8)·x[l+16]} that does not depend on the weights.
     */
    public static void q4Offsets(short[] xc, int xcOff, short[] xq, int xqOff, int blocks) {
        for (int b = 0; b < blocks; b++)
            for (int l = 0; l < LANES; l++)
                xc[xcOff + b * LANES + l] = (short) (8 * (xq[xqOff + b * QK + l] + xq[xqOff + b * QK + 16 + l]));
    }

    /**
     * One activation row against {@code 2·pairs} consecutive Q4_0 weight rows (row j at {@code wOff + j·rowBytes}),
     * two rows per pass: {@code y[yOff + j] = dotQ4_0(w, row j, x)}, bit-identical to one {@link #dotQ4_0} call per
     * row (and so to the scalar twin). Per block, lane l's integer is formed as {@code lo·x[l] + hi·x[l+16] − xc[l]}
     * with the nibbles zero-extended and the weight-independent offset {@code xc} from {@link #q4Offsets}: the same
     * exact integer in two fewer vector operations. The activation block is loaded once for both rows and the
     * two accumulator chains overlap (the m = 1 decoding product). Measured on the SmolLM2-135M shape (2 threads):
     * decode 114-128 → 151-171 tok/s against the one-row kernel.
     *
     * <p>Two rows, not three or four: C2 stops inlining the Vector API calls of a four-row kernel (measured 2.5×
     * slower; three rows were no faster than two). The loop over the pairs lives here, not in the caller, so that
     * this method is compiled on its own from its loop and the caller holds no hot vector code that C2 could inline
     * past its budget.
     */
    public static void dotQ4_0Pairs(float[] y, int yOff, byte[] w, int wOff, int rowBytes, int pairs, short[] xq,
                                    int xqOff, short[] xc, int xcOff, float[] xs, int xsOff, int blocks) {
        for (int r = 0; r < pairs; r++) {
            int o0 = wOff + 2 * r * rowBytes, o1 = o0 + rowBytes;
            FloatVector a0 = FloatVector.zero(F512), a1 = a0;
            for (int b = 0; b < blocks; b++) {
                int q = xqOff + b * QK, ob = b * Q4_0_BYTES;
                ShortVector x0 = ShortVector.fromArray(S256, xq, q);
                ShortVector x1 = ShortVector.fromArray(S256, xq, q + 16);
                ShortVector c = ShortVector.fromArray(S256, xc, xcOff + b * LANES);
                float dx = xs[xsOff + b];
                a0 = stepQ4(a0, w, o0 + ob, x0, x1, c, dx);
                a1 = stepQ4(a1, w, o1 + ob, x0, x1, c, dx);
            }
            y[yOff + 2 * r] = sum16(a0);
            y[yOff + 2 * r + 1] = sum16(a1);
        }
    }

    /** One Q4_0 block at {@code w[o]} times the activation block (x0, x1, offsets c; scale dx), added to acc. */
    private static FloatVector stepQ4(FloatVector acc, byte[] w, int o, ShortVector x0, ShortVector x1, ShortVector c,
                                      float dx) {
        ShortVector packed = (ShortVector) ByteVector.fromArray(B128, w, o + 2)
                .convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
        ShortVector p = packed.and((short) 0x0F).mul(x0).add(packed.lanewise(VectorOperators.LSHR, 4).mul(x1)).sub(c);
        FloatVector pf = (FloatVector) p.convertShape(VectorOperators.S2I, I512, 0).convertShape(VectorOperators.I2F, F512, 0);
        return pf.fma(FloatVector.broadcast(F512, f16At(w, o) * dx), acc);
    }

    private static FloatVector step(FloatVector acc, ShortVector w0, ShortVector w1, short[] xq, int q, float scale) {
        ShortVector x0 = ShortVector.fromArray(S256, xq, q);
        ShortVector x1 = ShortVector.fromArray(S256, xq, q + 16);
        ShortVector p = w0.mul(x0).add(w1.mul(x1));
        FloatVector pf = (FloatVector) p.convertShape(VectorOperators.S2I, I512, 0).convertShape(VectorOperators.I2F, F512, 0);
        return pf.fma(FloatVector.broadcast(F512, scale), acc);
    }

    /** The 16 lanes summed in VecMath.sum's fixed order (lane i + lane i+8, then +4, +2, +1). */
    private static float sum16(FloatVector v) {
        v = v.add(v.rearrange(ROT8));
        v = v.add(v.rearrange(ROT4));
        v = v.add(v.rearrange(ROT2));
        v = v.add(v.rearrange(ROT1));
        return v.lane(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // dot products, scalar twins (same arithmetic order, bit-identical results)

    /** Scalar twin of {@link #dotQ8_0}. */
    public static float dotQ8_0Scalar(byte[] w, int wOff, short[] xq, int xqOff, float[] xs, int xsOff, int blocks) {
        float[] acc = LANES_SCRATCH.get();
        java.util.Arrays.fill(acc, 0f);
        for (int b = 0; b < blocks; b++) {
            int o = wOff + b * Q8_0_BYTES, q = xqOff + b * QK;
            float scale = f16At(w, o) * xs[xsOff + b];
            for (int l = 0; l < LANES; l++) {
                int p = w[o + 2 + l] * xq[q + l] + w[o + 18 + l] * xq[q + 16 + l];
                acc[l] = Math.fma((float) p, scale, acc[l]);
            }
        }
        return sum16Scalar(acc);
    }

    /** Scalar twin of {@link #dotQ4_0}. */
    public static float dotQ4_0Scalar(byte[] w, int wOff, short[] xq, int xqOff, float[] xs, int xsOff, int blocks) {
        float[] acc = LANES_SCRATCH.get();
        java.util.Arrays.fill(acc, 0f);
        for (int b = 0; b < blocks; b++) {
            int o = wOff + b * Q4_0_BYTES, q = xqOff + b * QK;
            float scale = f16At(w, o) * xs[xsOff + b];
            for (int l = 0; l < LANES; l++) {
                int v = w[o + 2 + l] & 0xFF;
                int p = ((v & 0x0F) - 8) * xq[q + l] + ((v >>> 4) - 8) * xq[q + 16 + l];
                acc[l] = Math.fma((float) p, scale, acc[l]);
            }
        }
        return sum16Scalar(acc);
    }

    /**
     * Lane 0 of {@link #sum16}: at each level (shift 8, 4, 2, 1) only the lanes below the shift still feed lane 0,
     * and they read lanes above it, which that level leaves alone, so the sums can be made in place. Overwrites v.
     */
    private static float sum16Scalar(float[] v) {
        for (int shift = LANES / 2; shift >= 1; shift >>= 1)
            for (int i = 0; i < shift; i++) v[i] = v[i] + v[i + shift];
        return v[0];
    }
}
