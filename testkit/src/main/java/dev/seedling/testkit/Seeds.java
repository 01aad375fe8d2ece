package dev.seedling.testkit;

import java.util.SplittableRandom;

/**
 * All test randomness comes from here. The base seed is {@code -Dseedling.seed=N} (default 20261127); each test
 * derives its own stream from the base seed and a name, so tests stay independent of their order. A failing test
 * prints the seed (see {@link SeedReporter}) and is replayed with {@code -Dseedling.seed=N}.
 */
public final class Seeds {
    private Seeds() {}

    public static long base() {
        String s = System.getProperty("seedling.seed");
        return s == null || s.isBlank() ? 20261127L : Long.parseLong(s.trim());
    }

    /** A random stream for {@code name} (use the test's name), fixed by the base seed. */
    public static SplittableRandom rng(String name) {
        return new SplittableRandom(base() * 0x9E3779B97F4A7C15L ^ name.hashCode());
    }

    /** {@code n} floats uniform in [-scale, scale). */
    public static float[] uniform(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return a;
    }

    /** {@code n} floats from N(0, std²). */
    public static float[] normal(SplittableRandom r, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = r.nextDouble(), u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(1 - u1));
            a[i] = (float) (std * rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) a[i + 1] = (float) (std * rad * Math.sin(2 * Math.PI * u2));
        }
        return a;
    }
}
