package dev.seedling.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD switch for every kernel. Each kernel has a Vector API path and a scalar twin; the public entry point
 * picks the Vector API path unless {@code -Dseedling.scalar=true} is set (or the platform has no vector unit wider
 * than 128 bits, where the scalar path is as fast). Parity tests call both twins directly.
 */
public final class Simd {
    private Simd() {}

    /** The float species every kernel uses: the widest the CPU supports (16 lanes on AVX-512). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** True when kernels take their Vector API path. */
    public static final boolean ENABLED = !Boolean.getBoolean("seedling.scalar") && F.length() >= 4;
}
