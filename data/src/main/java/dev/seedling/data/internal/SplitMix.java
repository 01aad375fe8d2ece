package dev.seedling.data.internal;

/**
 * SplitMix64: a tiny, fully specified random generator, so data order depends only on the seed and never on the JDK
 * version (the algorithm of {@code java.util.SplittableRandom} is not part of its contract).
 */
public final class SplitMix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finalizer: a bijective 64-bit mix. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for stream {@code stream} (an epoch, a purpose) derived from {@code seed}. */
    public static long mix(long seed, long stream) {
        return mix64(seed ^ mix64(stream * GOLDEN + GOLDEN));
    }

    public long nextLong() {
        return mix64(state += GOLDEN);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias; {@code bound} in {@code [1, 2^31)}. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long limit = (1L << 31) - ((1L << 31) % bound);
        long r;
        do {
            r = nextLong() >>> 33;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
