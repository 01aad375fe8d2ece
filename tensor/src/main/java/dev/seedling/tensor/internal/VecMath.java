package dev.seedling.tensor.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise math the fused kernels share: a polynomial {@code exp} (Cephes {@code expf} coefficients, about 2 ulp
 * over the whole float range) and its scalar twin, which follows the same steps so the two agree to rounding.
 * Kept small and static so C2 inlines it into the calling kernel.
 */
public final class VecMath {
    private VecMath() {}

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float MAX_X = 88.0f;          // e^88 = 1.65e38 < Float.MAX_VALUE, 2^n stays normal
    private static final float MIN_X = -87.33654f;     // below this the result is flushed to 0
    private static final float ROUND = 12582912f;      // 1.5 * 2^23: adding it rounds to the nearest integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** ROTATE[k]: lane i takes lane (i + 2^k) mod L — the pairings of {@link #sum}. */
    private static final VectorShuffle<Float>[] ROTATE = rotations();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] rotations() {
        int levels = Integer.numberOfTrailingZeros(F.length());
        VectorShuffle<Float>[] r = new VectorShuffle[levels];
        for (int k = 0; k < levels; k++) r[k] = VectorShuffle.iota(F, 1 << k, 1, true);
        return r;
    }

    /**
     * The sum of the lanes of {@code v} (of the preferred species) in a FIXED order: pairwise halving, lane i with
     * lane i + L/2, then i + L/4, … Unlike {@code reduceLanes(ADD)}, whose order differs between the interpreter and
     * C2-compiled code, this gives bit-identical results before and after JIT compilation — which is what makes a
     * resumed run in a fresh JVM reproduce the original one.
     */
    public static float sum(FloatVector v) {
        for (int k = ROTATE.length - 1; k >= 0; k--) v = v.add(v.rearrange(ROTATE[k]));
        return v.lane(0);
    }

    /** e^x lane-wise; 0 below -87.34, e^88 (not infinity) above 88. NaN lanes are not supported. */
    public static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.LT, MIN_X);
        x = x.min(MAX_X).max(MIN_X);
        FloatVector t = x.fma(LOG2E, ROUND);                 // round(x*log2e) + ROUND
        FloatVector n = t.sub(ROUND);
        IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
        VectorSpecies<Float> s = x.species();
        FloatVector r = n.fma(FloatVector.broadcast(s, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(s, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(s, P2));
        p = p.fma(r, FloatVector.broadcast(s, P3));
        p = p.fma(r, FloatVector.broadcast(s, P4));
        p = p.fma(r, FloatVector.broadcast(s, P5));
        FloatVector r2 = r.mul(r);
        p = p.fma(r2, r).add(1f);
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, under);
    }

    /** Scalar twin of {@link #exp(FloatVector)}: the same steps, the same result up to fma contraction. */
    public static float exp(float x) {
        if (x < MIN_X) return 0f;
        x = Math.max(Math.min(x, MAX_X), MIN_X);
        float t = Math.fma(x, LOG2E, ROUND);
        float n = t - ROUND;
        int ni = Float.floatToRawIntBits(t) - ROUND_BITS;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        return p * Float.intBitsToFloat((ni + 127) << 23);
    }
}
