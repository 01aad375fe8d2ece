package dev.seedling.tensor;

import dev.seedling.testkit.Seeds;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Micro-benchmark of the fused attention kernels (a program, not a test): forward (with lse) and backward, vector
 * path and scalar twin, GFLOP/s counting {@code 4·B·H·T²·D/2} causal flops forward and 2.5× that backward, and heap
 * bytes allocated per call in steady state (all threads). On a shared machine the wall-clock figures are noisy; with
 * {@code -Dseedling.threads=1} the "cpu" figures (from the thread's CPU time) approximate an idle machine (with more
 * threads CPU time misses the workers' idle waits, so only wall-clock is printed). Ends with one JSON line.
 * Legend: B batch, T sequence, H query heads, KV kv heads, D head dim.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp ... dev.seedling.tensor.AttentionSpeed [seconds]}.
 */
public final class AttentionSpeed {
    private record Config(int b, int t, int h, int kv, int d) {
        double forwardFlops() {
            return 4.0 * b * h * (double) t * t * d / 2;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        boolean withScalar = args.length <= 1 || !args[1].equals("noscalar");
        Config[] configs = {new Config(4, 512, 8, 4, 64), new Config(8, 256, 4, 4, 64)};
        System.out.printf(Locale.ROOT, "threads=%d lanes=%d simd=%b%n", Parallel.threads(), Simd.F.length(), Simd.ENABLED);
        StringBuilder json = new StringBuilder("{\"bench\":\"attention\",\"threads\":" + Parallel.threads());
        for (Config c : configs) {
            SplittableRandom rng = Seeds.rng("attention-speed");
            int w = (c.h + 2 * c.kv) * c.d, rows = c.b * c.t;
            float[] qkv = Seeds.uniform(rng, rows * w, 2), dout = Seeds.uniform(rng, rows * c.h * c.d, 1);
            float[] out = new float[rows * c.h * c.d], lse = new float[c.b * c.h * c.t], dqkv = new float[rows * w];
            Runnable fwd = () -> Attention.forward(out, 0, lse, 0, qkv, 0, c.b, c.t, c.h, c.kv, c.d, true);
            Runnable bwd = () -> Attention.backward(dqkv, 0, dout, 0, qkv, 0, out, 0, lse, 0, c.b, c.t, c.h, c.kv, c.d, true);
            Runnable fwdS = () -> Attention.forward(out, 0, lse, 0, qkv, 0, c.b, c.t, c.h, c.kv, c.d, false);
            Runnable bwdS = () -> Attention.backward(dqkv, 0, dout, 0, qkv, 0, out, 0, lse, 0, c.b, c.t, c.h, c.kv, c.d, false);
            double ff = c.forwardFlops(), bf = 2.5 * ff;
            double[] f = time(fwd, seconds), b = time(bwd, seconds);
            String name = "B" + c.b + "_T" + c.t + "_H" + c.h + "_KV" + c.kv + "_D" + c.d;
            System.out.printf(Locale.ROOT, "%s vector   forward %7.2f ms %6.1f GFLOP/s (cpu %6.1f, %.0f B/call)  backward %7.2f ms %6.1f GFLOP/s (cpu %6.1f, %.0f B/call)%n",
                    name, f[0] * 1e3, ff / f[0] / 1e9, ff / f[2] / 1e9, f[1], b[0] * 1e3, bf / b[0] / 1e9, bf / b[2] / 1e9, b[1]);
            json.append(String.format(Locale.ROOT, ",\"%s_fwd_gflops\":%.1f,\"%s_bwd_gflops\":%.1f",
                    name, ff / f[0] / 1e9, name, bf / b[0] / 1e9));
            if (Parallel.threads() == 1)
                json.append(String.format(Locale.ROOT, ",\"%s_fwd_cpu_gflops\":%.1f,\"%s_bwd_cpu_gflops\":%.1f",
                        name, ff / f[2] / 1e9, name, bf / b[2] / 1e9));
            if (withScalar) {
                double[] fs = time(fwdS, seconds / 2), bs = time(bwdS, seconds / 2);
                System.out.printf(Locale.ROOT, "%s scalar   forward %7.2f ms %6.1f GFLOP/s  backward %7.2f ms %6.1f GFLOP/s  (vector/scalar: %.1fx, %.1fx)%n",
                        name, fs[0] * 1e3, ff / fs[0] / 1e9, bs[0] * 1e3, bf / bs[0] / 1e9, fs[0] / f[0], bs[0] / b[0]);
                json.append(String.format(Locale.ROOT, ",\"%s_fwd_speedup_vs_scalar\":%.1f,\"%s_bwd_speedup_vs_scalar\":%.1f",
                        name, fs[0] / f[0], name, bs[0] / b[0]));
            }
        }
        System.out.println(json.append('}'));
    }

    /**
     * {best wall seconds per call, bytes allocated per call (all threads), best CPU seconds per call (single thread
     * only, else NaN)}. On a shared machine the CPU figure is the one to compare between runs.
     */
    private static double[] time(Runnable r, double seconds) {
        long warm = System.nanoTime();
        int warmCalls = 0;
        while (System.nanoTime() - warm < seconds * 0.4e9 || warmCalls < 3) {
            r.run();
            warmCalls++;
        }
        // heap allocation per call, measured apart from the timing (the CPU-time queries allocate themselves)
        long alloc0 = THREADS.getTotalThreadAllocatedBytes();
        for (int i = 0; i < 3; i++) r.run();
        double allocPerCall = (THREADS.getTotalThreadAllocatedBytes() - alloc0) / 3.0;
        double best = Double.MAX_VALUE, bestCpu = Parallel.threads() == 1 ? Double.MAX_VALUE : Double.NaN;
        int calls = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < seconds * 0.6e9 || calls < 3) {
            long c0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            r.run();
            long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime();
            best = Math.min(best, (t1 - t0) / 1e9);
            bestCpu = Parallel.threads() == 1 ? Math.min(bestCpu, (c1 - c0) / 1e9) : Double.NaN;
            calls++;
        }
        return new double[] {best, allocPerCall, bestCpu};
    }
}
