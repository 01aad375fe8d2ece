package dev.seedling.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.AwkwardSizes;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class HalfTest {
    private static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void everyBf16ValueWidensExactlyAndRoundTrips() {
        int nans = 0;
        for (int b = 0; b < 65536; b++) {
            float f = Half.bf16ToF32((short) b);
            assertThat(Float.floatToRawIntBits(f)).as("bf16 %04x", b).isEqualTo(b << 16);
            short back = Half.f32ToBf16(f);
            if (Float.isNaN(f)) {
                nans++;
                assertThat(Float.isNaN(Half.bf16ToF32(back))).as("bf16 NaN %04x stays NaN", b).isTrue();
                assertThat(back & 0x8000).as("sign of NaN %04x", b).isEqualTo(b & 0x8000);
                if ((b & 0x0040) != 0) assertThat(back & 0xFFFF).as("quiet NaN %04x", b).isEqualTo(b);
            } else {
                assertThat(back & 0xFFFF).as("bf16 %04x", b).isEqualTo(b);
            }
        }
        assertThat(nans).isEqualTo(2 * 127);
    }

    @Test
    void everyF16ValueRoundTrips() {
        for (int h = 0; h < 65536; h++) {
            float f = Half.f16ToF32((short) h);
            short back = Half.f32ToF16(f);
            boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x03FF) != 0;
            assertThat(Float.isNaN(f)).as("f16 %04x", h).isEqualTo(nan);
            if (nan) assertThat(Float.isNaN(Half.f16ToF32(back))).as("f16 NaN %04x", h).isTrue();
            else assertThat(back & 0xFFFF).as("f16 %04x", h).isEqualTo(h);
        }
    }

    @Test
    void specialBf16Values() {
        assertThat(Half.f32ToBf16(0f)).isEqualTo((short) 0x0000);
        assertThat(Half.f32ToBf16(-0f)).isEqualTo((short) 0x8000);
        assertThat(Half.f32ToBf16(1f)).isEqualTo((short) 0x3F80);
        assertThat(Half.f32ToBf16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
        assertThat(Half.f32ToBf16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFF80);
        assertThat(Half.f32ToBf16(Float.MAX_VALUE)).as("overflow rounds to inf").isEqualTo((short) 0x7F80);
        assertThat(Half.f32ToBf16(-Float.MAX_VALUE)).isEqualTo((short) 0xFF80);
        // NaNs whose payload sits only in the dropped half must not become infinity.
        short n = Half.f32ToBf16(Float.intBitsToFloat(0x7F800001));
        assertThat(Float.isNaN(Half.bf16ToF32(n))).isTrue();
        assertThat(Float.isNaN(Half.bf16ToF32(Half.f32ToBf16(Float.intBitsToFloat(0xFF800001))))).isTrue();
        assertThat(Half.f32ToBf16(Float.NaN) & 0xFFFF).isEqualTo(0x7FC0);
        // subnormals: the smallest bf16 subnormal, and a float subnormal that rounds up into it
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x00010000))).isEqualTo((short) 0x0001);
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x00008001))).isEqualTo((short) 0x0001);
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x00008000))).as("tie to even 0").isEqualTo((short) 0x0000);
        assertThat(Half.f32ToBf16(Float.MIN_VALUE)).isEqualTo((short) 0x0000);
        // the largest subnormal rounds up to the smallest normal
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x007FFFFF))).isEqualTo((short) 0x0080);
    }

    @Test
    void f32ToBf16RoundsToNearestEven() {
        // ties: 1 + half an ulp goes down to 1 (even), 1 + 3 half-ulps goes up to 1 + 2 ulps (even)
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0x3F807FFF))).isEqualTo((short) 0x3F80);
        assertThat(Half.f32ToBf16(Float.intBitsToFloat(0xBF818000))).isEqualTo((short) 0xBF82);
        // every low half under a few upper halves (even, odd, subnormal, largest finite, negative)
        for (int hi : new int[] {0x3F80, 0x3F81, 0x0000, 0x0001, 0x007F, 0x7F7F, 0x7F7E, 0xC2F7, 0x8000}) {
            for (int lo = 0; lo < 65536; lo++) {
                float x = Float.intBitsToFloat(hi << 16 | lo);
                assertThat(Half.f32ToBf16(x) & 0xFFFF).as("x=%08x", hi << 16 | lo).isEqualTo(referenceBf16(x));
            }
        }
        SplittableRandom r = Seeds.rng("HalfTest.f32ToBf16RoundsToNearestEven");
        for (int i = 0; i < 1_000_000; i++) {
            float x = Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(x)) continue;
            assertThat(Half.f32ToBf16(x) & 0xFFFF).as("x=%08x", Float.floatToRawIntBits(x)).isEqualTo(referenceBf16(x));
        }
    }

    /** Nearest bf16 by exact distance in double arithmetic, ties to the even mantissa; beyond max → infinity. */
    private static int referenceBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int sign = bits & 0x80000000;
        double ax = Math.abs((double) x);
        int down = (bits & 0x7FFF0000);
        int up = down + 0x10000;
        double downValue = Float.intBitsToFloat(down);
        double upValue = up == 0x7F800000 ? Math.scalb(1.0, 128) : Float.intBitsToFloat(up);
        if (Float.isInfinite(x)) return (bits >>> 16);
        double dDown = ax - downValue, dUp = upValue - ax;
        int chosen;
        if (dDown < dUp) chosen = down;
        else if (dUp < dDown) chosen = up;
        else chosen = ((down >>> 16) & 1) == 0 ? down : up;
        return (sign | chosen) >>> 16;
    }

    @Test
    void specialF16Values() {
        assertThat(Half.f32ToF16(65504f)).isEqualTo((short) 0x7BFF);
        assertThat(Half.f32ToF16(65519f)).isEqualTo((short) 0x7BFF);
        assertThat(Half.f32ToF16(65520f)).as("tie at overflow goes to inf").isEqualTo((short) 0x7C00);
        assertThat(Half.f32ToF16(1e6f)).isEqualTo((short) 0x7C00);
        assertThat(Half.f32ToF16(-1e6f)).isEqualTo((short) 0xFC00);
        assertThat(Half.f32ToF16(0x1p-24f)).as("smallest subnormal").isEqualTo((short) 0x0001);
        assertThat(Half.f32ToF16(0x1p-25f)).as("tie to even 0").isEqualTo((short) 0x0000);
        assertThat(Half.f32ToF16(0x1.8p-24f)).as("tie to even 2").isEqualTo((short) 0x0002);
        assertThat(Half.f32ToF16(1f + 0x1p-11f)).as("tie to even 1").isEqualTo((short) 0x3C00);
        assertThat(Half.f32ToF16(1f + 0x3p-11f)).isEqualTo((short) 0x3C02);
        assertThat(Half.f16ToF32((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Half.f16ToF32((short) 0x3C00)).isEqualTo(1f);
        assertThat(Half.f16ToF32((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.isNaN(Half.f16ToF32(Half.f32ToF16(Float.NaN)))).isTrue();
    }

    @Test
    void arrayAndSegmentKernelsMatchTheScalarOnes() {
        SplittableRandom r = Seeds.rng("HalfTest.arrayAndSegmentKernelsMatchTheScalarOnes");
        for (int n : AwkwardSizes.LENGTHS) {
            int off = 3;
            float[] x = Seeds.normal(r, n + off, 10);
            short[] bf = new short[n + 5];
            short[] hf = new short[n + 5];
            Half.f32ToBf16(bf, 2, x, off, n);
            Half.f32ToF16(hf, 2, x, off, n);
            MemorySegment bseg = MemorySegment.ofArray(new byte[2 * n + 7]);
            MemorySegment hseg = MemorySegment.ofArray(new byte[2 * n + 7]);
            Half.f32ToBf16(bseg, 5, x, off, n);
            Half.f32ToF16(hseg, 5, x, off, n);
            float[] back = new float[n + 1];
            float[] backSeg = new float[n + 1];
            Half.bf16ToF32(back, 1, bf, 2, n);
            Half.bf16ToF32(backSeg, 1, bseg, 5, n);
            for (int i = 0; i < n; i++) {
                short expected = Half.f32ToBf16(x[off + i]);
                assertThat(bf[2 + i]).isEqualTo(expected);
                assertThat(bseg.get(LE, 5 + 2L * i)).isEqualTo(expected);
                assertThat(back[1 + i]).isEqualTo(Half.bf16ToF32(expected));
                assertThat(backSeg[1 + i]).isEqualTo(Half.bf16ToF32(expected));
            }
            Half.f16ToF32(back, 1, hf, 2, n);
            Half.f16ToF32(backSeg, 1, hseg, 5, n);
            for (int i = 0; i < n; i++) {
                short expected = Half.f32ToF16(x[off + i]);
                assertThat(hf[2 + i]).isEqualTo(expected);
                assertThat(hseg.get(LE, 5 + 2L * i)).isEqualTo(expected);
                assertThat(back[1 + i]).isEqualTo(Half.f16ToF32(expected));
                assertThat(backSeg[1 + i]).isEqualTo(Half.f16ToF32(expected));
            }
        }
    }

    @Test
    void segmentKernelsAreLittleEndian() {
        byte[] bytes = new byte[4];
        Half.f32ToBf16(MemorySegment.ofArray(bytes), 0, new float[] {1f, -2f}, 0, 2);
        assertThat(bytes).containsExactly(0x80, 0x3F, 0x00, 0xC0);
        Half.f32ToF16(MemorySegment.ofArray(bytes), 0, new float[] {1f, -2f}, 0, 2);
        assertThat(bytes).containsExactly(0x00, 0x3C, 0x00, 0xC0);
    }
}
