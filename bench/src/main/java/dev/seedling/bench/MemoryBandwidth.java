package dev.seedling.bench;

import dev.seedling.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A STREAM-like read benchmark: every {@link Parallel} participant sums its share of a large float array (far
 * larger than the caches) with the Vector API, so the rate is what the memory system delivers to streaming reads on
 * {@link Parallel#threads()} threads — the ceiling of a memory-bound matrix-vector product.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static volatile float sink;

    /**
     * The best read rate in bytes/s over {@code repeats} passes over an array of {@code megabytes} MB (after one
     * untimed pass that pages it in and compiles the loop).
     */
    public static double readBytesPerSecond(int megabytes, int repeats) {
        int n = megabytes * (1 << 20) / 4 / F.length() * F.length();
        float[] a = new float[n];
        for (int i = 0; i < n; i += 1024) a[i] = i;
        int threads = Parallel.threads();
        float[] partial = new float[threads * 16];
        double best = 0;
        for (int rep = -1; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            Parallel.forRange(n / F.length(), (worker, lo, hi) -> partial[worker * 16] = sum(a, lo * F.length(), hi * F.length()));
            long t = System.nanoTime() - t0;
            float s = 0;
            for (int i = 0; i < threads; i++) s += partial[i * 16];
            sink = s;
            if (rep >= 0) best = Math.max(best, 4.0 * n / (t / 1e9));
        }
        return best;
    }

    /**
     * Σ a[lo, hi) read as two streams (the first and second half of the range side by side, four accumulators
     * each): two independent sequential streams per core keep more cache-line fills in flight than one (measured on
     * a 2-core Zen 4 VM: 27-31 GB/s against 26-27 GB/s for one stream), so the figure is closer to what the machine
     * can deliver.
     */
    private static float sum(float[] a, int lo, int hi) {
        int l = F.length(), half = (hi - lo) / 2 / (4 * l) * (4 * l), i = lo;
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
        for (; i < lo + half; i += 4 * l) {
            int j = i + half;
            s0 = s0.add(FloatVector.fromArray(F, a, i));
            s1 = s1.add(FloatVector.fromArray(F, a, i + l));
            s2 = s2.add(FloatVector.fromArray(F, a, i + 2 * l));
            s3 = s3.add(FloatVector.fromArray(F, a, i + 3 * l));
            t0 = t0.add(FloatVector.fromArray(F, a, j));
            t1 = t1.add(FloatVector.fromArray(F, a, j + l));
            t2 = t2.add(FloatVector.fromArray(F, a, j + 2 * l));
            t3 = t3.add(FloatVector.fromArray(F, a, j + 3 * l));
        }
        for (i = lo + 2 * half; i < hi; i += l) s0 = s0.add(FloatVector.fromArray(F, a, i));
        return s0.add(s1).add(s2.add(s3)).add(t0.add(t1).add(t2.add(t3))).lane(0);
    }

    /** Prints the read bandwidth of this machine: {@code MemoryBandwidth [MB] [repeats]}. */
    public static void main(String[] args) {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(java.util.Locale.ROOT, "memory read bandwidth, %d threads, %d MB: %.1f GB/s%n",
                Parallel.threads(), mb, readBytesPerSecond(mb, repeats) / 1e9);
    }
}
