package dev.seedling.bench;

import com.sun.management.ThreadMXBean;
import dev.seedling.tensor.MatMul;
import dev.seedling.tensor.Parallel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * GFLOP/s of the three {@link MatMul} variants on the training shapes (m = 2048 tokens, the Linear layers of the
 * tiny and small presets) and on 2048³, for the configured pool ({@code -Dseedling.threads=N}); checks that
 * steady-state calls allocate nothing (heap bytes of all threads around the timed calls). Ends with one JSON line.
 *
 * <p>Shapes are given as the forward Linear {@code y[T×out] = x[T×in] · W[out×in]ᵀ}; the backward variants are
 * {@code nn}: dX[T×in] = dY[T×out] · W[out×in] and {@code tn}: dW[out×in] = dY[T×out]ᵀ · X[T×in].
 * Usage: {@code MatmulBenchmark [seconds-per-case, default 0.4] [--quick]}.
 */
public final class MatmulBenchmark {
    private MatmulBenchmark() {}

    record Shape(String name, int tokens, int out, int in) {}

    record Result(String variant, String shape, int m, int n, int k, double gflops, long allocBytesPerCall) {}

    public static void main(String[] args) {
        double seconds = args.length > 0 && !args[0].startsWith("--") ? Double.parseDouble(args[0]) : 0.4;
        boolean quick = List.of(args).contains("--quick");
        int t = 2048;
        List<Shape> shapes = new ArrayList<>(List.of(
                new Shape("tiny.qkv", t, 768, 256), new Shape("tiny.wo", t, 256, 256),
                new Shape("tiny.gateup", t, 1408, 256), new Shape("tiny.down", t, 256, 704),
                new Shape("tiny.vocab", t, 4096, 256)));
        if (!quick) {
            shapes.addAll(List.of(
                    new Shape("small.qkv", t, 1024, 512), new Shape("small.wo", t, 512, 512),
                    new Shape("small.gateup", t, 2816, 512), new Shape("small.down", t, 512, 1408),
                    new Shape("small.vocab", t, 8192, 512)));
        }
        shapes.add(new Shape("cube2048", 2048, 2048, 2048));
        System.out.printf(Locale.ROOT, "matmul benchmark: %d thread(s), %.2f s per case%n", Parallel.threads(), seconds);
        List<Result> results = new ArrayList<>();
        for (Shape s : shapes) {
            for (String v : new String[] {"nt", "nn", "tn"}) {
                Result r = measure(v, s, seconds);
                results.add(r);
                System.out.printf(Locale.ROOT, "%-3s %-13s m=%5d n=%5d k=%5d  %7.1f GFLOP/s  alloc/call %d B%n",
                        r.variant, r.shape, r.m, r.n, r.k, r.gflops, r.allocBytesPerCall);
            }
        }
        // matrix-vector (generation): m = 1
        for (Shape s : List.of(new Shape("gen.qkv", 1, 768, 256), new Shape("gen.vocab", 1, 8192, 512))) {
            Result r = measure("nt", s, seconds / 2);
            results.add(r);
            System.out.printf(Locale.ROOT, "%-3s %-13s m=%5d n=%5d k=%5d  %7.1f GFLOP/s  alloc/call %d B%n",
                    r.variant, r.shape, r.m, r.n, r.k, r.gflops, r.allocBytesPerCall);
        }
        double peak = Peak.fmaPeakGflops();
        System.out.printf(Locale.ROOT, "fp32 FMA peak (register-only, %d threads): %.1f GFLOP/s%n", Parallel.threads(), peak);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("variant", r.variant);
            row.put("shape", r.shape);
            row.put("m", r.m);
            row.put("n", r.n);
            row.put("k", r.k);
            row.put("gflops", r.gflops);
            row.put("alloc_bytes_per_call", r.allocBytesPerCall);
            rows.add(row);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bench", "matmul");
        figures.put("threads", Parallel.threads());
        figures.put("fma_peak_gflops", peak);
        figures.put("results", rows);
        System.out.println(BenchJson.line(figures));
    }

    static Result measure(String variant, Shape s, double seconds) {
        int tokens = s.tokens, out = s.out, in = s.in;
        // operands: x [T×in], W [out×in], y/dY [T×out]
        float[] x = Peak.filled(tokens * in, 1), w = Peak.filled(out * in, 2), dy = Peak.filled(tokens * out, 3);
        int m, n, k;
        float[] c;
        Runnable call;
        switch (variant) {
            case "nt" -> {
                m = tokens; n = out; k = in;
                float[] y = new float[tokens * out];
                c = y;
                call = () -> MatMul.nt(y, 0, out, x, 0, in, w, 0, in, tokens, out, in, false);
            }
            case "nn" -> {
                m = tokens; n = in; k = out;
                float[] dx = new float[tokens * in];
                c = dx;
                call = () -> MatMul.nn(dx, 0, in, dy, 0, out, w, 0, in, tokens, in, out, false);
            }
            default -> {
                m = out; n = in; k = tokens;
                float[] dw = new float[out * in];
                c = dw;
                call = () -> MatMul.tn(dw, 0, in, dy, 0, out, x, 0, in, out, in, tokens, true);
            }
        }
        double flops = 2.0 * m * n * k;
        // warm-up: until ~0.15 s or 40 calls, whichever comes later... bounded
        long warmEnd = System.nanoTime() + 150_000_000L;
        for (int i = 0; i < 40 || System.nanoTime() < warmEnd; i++) {
            call.run();
            if (i > 2000) break;
        }
        int calls = 0;
        double best = Double.MAX_VALUE;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            long t0 = System.nanoTime();
            call.run();
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            calls++;
        } while (System.nanoTime() < end || calls < 3);
        // allocation: bytes allocated by all threads over a few more calls, less the cost of asking
        long b0 = allocatedBytes(), b1 = allocatedBytes();
        int extra = Math.max(3, Math.min(calls, 50));
        for (int i = 0; i < extra; i++) call.run();
        long b2 = allocatedBytes();
        long alloc = Math.max(0, (b2 - b1) - (b1 - b0)) / extra;
        if (Float.isNaN(c[0])) System.out.print("");
        return new Result(variant, s.name, m, n, k, flops / best * 1e-9, alloc);
    }

    /** Heap bytes allocated so far by all live threads (the pool's workers included). */
    static long allocatedBytes() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long sum = 0;
        for (long a : mx.getThreadAllocatedBytes(ids)) if (a > 0) sum += a;
        return sum;
    }
}
