package dev.seedling.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Conversions between float32 and the 16-bit float formats used to store weights: bfloat16 (bf16: 1 sign, 8 exponent,
 * 7 mantissa bits, the upper half of a float32) and IEEE 754 half precision (f16: 1 sign, 5 exponent, 10 mantissa
 * bits). A 16-bit value travels as the raw bits in a {@code short}.
 *
 * <p>Narrowing rounds to nearest, ties to even; values beyond the largest finite number become infinity, NaN stays
 * NaN (bf16 NaNs are made quiet, as hardware does), subnormals are kept. Widening is exact.
 *
 * <p>Array kernels follow the kernel convention: outputs first, then inputs, then the element count {@code n}; they
 * allocate nothing. The {@link MemorySegment} versions read or write little-endian values at a byte offset (the
 * byte order of safetensors and GGUF files), with no alignment requirement.
 */
public final class Half {
    private Half() {}

    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The float32 value of the bf16 bits {@code bits} (exact). */
    public static float bf16ToF32(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** {@code x} rounded to the nearest bf16, ties to even; NaN becomes a quiet NaN with the same sign. */
    public static short f32ToBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) return (short) ((bits >>> 16) | 0x0040);
        // Adding 0x7FFF plus the lowest kept bit carries into the kept half exactly when the dropped half is above
        // one half, or equal to one half with an odd kept half. The largest finite values carry into infinity.
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** The float32 value of the f16 bits {@code bits} (exact). */
    public static float f16ToF32(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** {@code x} rounded to the nearest f16, ties to even (values beyond 65504 round to infinity). */
    public static short f32ToF16(float x) {
        return Float.floatToFloat16(x);
    }

    /** {@code out[outOff + i] = bf16ToF32(in[inOff + i])} for {@code i < n}. */
    public static void bf16ToF32(float[] out, int outOff, short[] in, int inOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Float.intBitsToFloat((in[inOff + i] & 0xFFFF) << 16);
    }

    /** {@code out[outOff + i] = f32ToBf16(in[inOff + i])} for {@code i < n}. */
    public static void f32ToBf16(short[] out, int outOff, float[] in, int inOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = f32ToBf16(in[inOff + i]);
    }

    /** {@code out[outOff + i] = f16ToF32(in[inOff + i])} for {@code i < n}. */
    public static void f16ToF32(float[] out, int outOff, short[] in, int inOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Float.float16ToFloat(in[inOff + i]);
    }

    /** {@code out[outOff + i] = f32ToF16(in[inOff + i])} for {@code i < n}. */
    public static void f32ToF16(short[] out, int outOff, float[] in, int inOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Float.floatToFloat16(in[inOff + i]);
    }

    /** Widens {@code n} little-endian bf16 values starting at byte {@code inByteOff} of {@code in}. */
    public static void bf16ToF32(float[] out, int outOff, MemorySegment in, long inByteOff, int n) {
        for (int i = 0; i < n; i++)
            out[outOff + i] = Float.intBitsToFloat((in.get(LE_SHORT, inByteOff + 2L * i) & 0xFFFF) << 16);
    }

    /** Widens {@code n} little-endian f16 values starting at byte {@code inByteOff} of {@code in}. */
    public static void f16ToF32(float[] out, int outOff, MemorySegment in, long inByteOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Float.float16ToFloat(in.get(LE_SHORT, inByteOff + 2L * i));
    }

    /** Narrows {@code n} floats to little-endian bf16 values written from byte {@code outByteOff} of {@code out}. */
    public static void f32ToBf16(MemorySegment out, long outByteOff, float[] in, int inOff, int n) {
        for (int i = 0; i < n; i++) out.set(LE_SHORT, outByteOff + 2L * i, f32ToBf16(in[inOff + i]));
    }

    /** Narrows {@code n} floats to little-endian f16 values written from byte {@code outByteOff} of {@code out}. */
    public static void f32ToF16(MemorySegment out, long outByteOff, float[] in, int inOff, int n) {
        for (int i = 0; i < n; i++) out.set(LE_SHORT, outByteOff + 2L * i, Float.floatToFloat16(in[inOff + i]));
    }
}
