package dev.seedling.bench;

import dev.seedling.tensor.MatMul;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's fp32 ceilings, for MFU figures: {@link #fmaPeakGflops()} (a register-only FMA loop on every pool
 * thread) and {@link #sgemmGflops()} (what our own {@link MatMul#nt} reaches on a large square product).
 */
public final class Peak {
    private Peak() {}

    private static final VectorSpecies<Float> F = Simd.F;
    /** Independent accumulators per thread: enough to cover FMA latency × issue width on current cores. */
    private static final int ACCUMULATORS = 12;

    /**
     * The fp32 FMA peak of the pool, in GFLOP/s: every participant of {@link Parallel} runs {@value #ACCUMULATORS}
     * independent vector FMA chains in registers, in rounds of at least 20 ms for about 0.5 s; the best round counts.
     */
    public static double fmaPeakGflops() {
        int threads = Parallel.threads();
        float[] sink = new float[threads];
        // warm up, then run rounds on all threads; a round under 20 ms (code not yet compiled, or too few
        // iterations) doubles the work and does not count; the best of the rest (≥ 8, ~0.8 s) is the peak
        long warm = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < warm)
            Parallel.forRange(threads, (w, lo, hi) -> {
                for (int t = lo; t < hi; t++) sink[t] += fmaLoop(1 << 10, 1.0f + t);
            });
        int iters = 1 << 14, counted = 0;
        double best = 0;
        long deadline = System.nanoTime() + 800_000_000L;
        for (int round = 0; round < 400 && (counted < 8 || System.nanoTime() < deadline); round++) {
            final int n = iters;
            long t0 = System.nanoTime();
            Parallel.forRange(threads, (w, lo, hi) -> {
                for (int t = lo; t < hi; t++) sink[t] += fmaLoop(n, 1.0f + t);
            });
            double sec = (System.nanoTime() - t0) * 1e-9;
            if (sec < 0.02 && iters < (1 << 28)) {
                iters *= 2;
                continue;
            }
            counted++;
            best = Math.max(best, 2.0 * F.length() * ACCUMULATORS * (double) n * threads / sec * 1e-9);
        }
        float check = 0;
        for (float x : sink) check += x;
        if (Float.isNaN(check)) System.out.print(""); // keeps the loops observable
        return best;
    }

    /** {@code iters} rounds of {@value #ACCUMULATORS} independent FMAs, all in registers; returns a checksum. */
    static float fmaLoop(int iters, float seed) {
        FloatVector x = FloatVector.broadcast(F, 0.999999f), y = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, seed), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (int i = 0; i < iters; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return s.reduceLanes(VectorOperators.ADD);
    }

    /** GFLOP/s of {@link MatMul#nt} on 2048×2048×2048 on the whole pool (best of a few, after warm-up). */
    public static double sgemmGflops() {
        int s = 2048;
        float[] a = filled(s * s, 1), b = filled(s * s, 2), c = new float[s * s];
        // warm up on a small product until the kernels are compiled (a cold 2048³ call would run interpreted)
        long warm = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warm) MatMul.nt(c, 0, 256, a, 0, 256, b, 0, 256, 256, 256, 256, false);
        MatMul.nt(c, 0, s, a, 0, s, b, 0, s, s, s, s, false);
        double best = 0;
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            MatMul.nt(c, 0, s, a, 0, s, b, 0, s, s, s, s, false);
            double sec = (System.nanoTime() - t0) * 1e-9;
            best = Math.max(best, 2.0 * s * s * s / sec * 1e-9);
        }
        return best;
    }

    static float[] filled(int n, int seed) {
        float[] x = new float[n];
        int h = seed * 0x9E3779B9;
        for (int i = 0; i < n; i++) {
            h = h * 1664525 + 1013904223;
            x[i] = (h >>> 8) * (1f / (1 << 24)) - 0.5f;
        }
        return x;
    }
}
