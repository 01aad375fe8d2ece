package dev.seedling.data.curate.internal.hash;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The MinHash inner loop: for K hash functions {@code h_i(x) = (a_i·x + b_i) >>> 32} (multiply-shift, 64-bit
 * arithmetic, 32-bit result) and S shingle hashes {@code x}, {@code mins[i] = min(mins[i], min_x h_i(x))}.
 * Shapes: {@code mins, a, b: (K)}, {@code shingles: (S)}. A Vector API version and its scalar twin;
 * {@code -Dseedling.scalar=true} forces the scalar one. Static, allocation-free, thread-safe.
 */
public final class MinHashKernel {
    private MinHashKernel() {}

    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    static final boolean SCALAR = Boolean.getBoolean("seedling.scalar") || L.length() < 4;

    /** Dispatches to {@link #minVector} or {@link #minScalar}. */
    public static void min(long[] mins, long[] shingles, int s, long[] a, long[] b, int k) {
        if (SCALAR) minScalar(mins, shingles, s, a, b, k);
        else minVector(mins, shingles, s, a, b, k);
    }

    /** Reference version. */
    public static void minScalar(long[] mins, long[] shingles, int s, long[] a, long[] b, int k) {
        for (int j = 0; j < s; j++) {
            long x = shingles[j];
            for (int i = 0; i < k; i++) {
                long h = (a[i] * x + b[i]) >>> 32;
                if (h < mins[i]) mins[i] = h;
            }
        }
    }

    /** Vector API version: one lane-block of hash functions at a time, kept in registers across all shingles. */
    public static void minVector(long[] mins, long[] shingles, int s, long[] a, long[] b, int k) {
        int bound = L.loopBound(k);
        for (int i = 0; i < bound; i += L.length()) block(mins, shingles, s, a, b, i);
        if (bound < k) {
            for (int j = 0; j < s; j++) {
                long x = shingles[j];
                for (int i = bound; i < k; i++) {
                    long h = (a[i] * x + b[i]) >>> 32;
                    if (h < mins[i]) mins[i] = h;
                }
            }
        }
    }

    private static void block(long[] mins, long[] shingles, int s, long[] a, long[] b, int i) {
        LongVector va = LongVector.fromArray(L, a, i);
        LongVector vb = LongVector.fromArray(L, b, i);
        LongVector m = LongVector.fromArray(L, mins, i);
        for (int j = 0; j < s; j++) {
            LongVector h = va.mul(shingles[j]).add(vb).lanewise(VectorOperators.LSHR, 32);
            m = m.min(h); // values are in [0, 2^32): signed min equals unsigned min
        }
        m.intoArray(mins, i);
    }
}
