package dev.seedling.bench;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.train.TrainConfig;
import dev.seedling.train.TrainStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code seedling bench train}: times training steps of a preset model on random tokens — exactly what
 * {@code shared/bench/torch_reference.py} does — and, when the reference script and a Python with PyTorch are
 * there, runs the reference on the same preset, batch, sequence length and threads in the same run and reports
 * the ratio. FLOPs are counted as the reference counts them: 6·params·tokens + 6·layers·dim·seq·tokens.
 * MFU is against the machine's fp32 FMA peak measured at start ({@link Peak#fmaPeakGflops}).
 * Also reports peak RSS and heap, and the bytes allocated on the Java heap per steady-state step with the GC
 * collections during the timed steps (a steady-state step should allocate almost nothing).
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    /** Options; {@code batch}/{@code seq} 0 = the preset's CPU defaults; {@code reference} null = skip it. */
    public record Options(String preset, int batch, int seq, int steps, int warmup, Path reference, String python) {}

    /** The figures, also printed as one JSON line. */
    public record Figures(Map<String, Object> values) {
        public String json() {
            return BenchJson.line(values);
        }
    }

    /** The CPU batch sizes of shared/bench/README.md. */
    public static int defaultBatch(String preset) {
        return switch (preset) {
            case "tiny" -> 8;
            case "small" -> 4;
            case "smollm2-135m" -> 2;
            default -> throw new SeedlingException("unknown preset '" + preset + "': use tiny, small or smollm2-135m");
        };
    }

    /** The sequence lengths of shared/bench/README.md. */
    public static int defaultSeq(String preset) {
        return switch (preset) {
            case "tiny" -> 256;
            case "small", "smollm2-135m" -> 512;
            default -> throw new SeedlingException("unknown preset '" + preset + "': use tiny, small or smollm2-135m");
        };
    }

    public static Figures run(Options o, PrintStream out) {
        LlamaConfig preset = LlamaConfig.preset(o.preset());
        int batch = o.batch() > 0 ? o.batch() : defaultBatch(o.preset());
        int seq = o.seq() > 0 ? o.seq() : defaultSeq(o.preset());
        LlamaConfig mc = seq > preset.maxPositionEmbeddings()
                ? preset.withOverrides(Map.of("max_position_embeddings", String.valueOf(seq))) : preset;
        int threads = Parallel.threads();
        out.printf(Locale.ROOT, "bench train: preset %s, batch %d × seq %d, %d threads, %d steps after %d warm-up%n",
                o.preset(), batch, seq, threads, o.steps(), o.warmup());

        double peak = Peak.fmaPeakGflops();
        out.printf(Locale.ROOT, "  measured fp32 FMA peak: %.1f GFLOP/s%n", peak);

        // same hyper-parameters as the reference: AdamW lr 3e-4, betas 0.9/0.999, eps 1e-8, wd 0.01, clip 1.0
        TrainConfig cfg = TrainConfig.defaults().withOverrides(Map.of(
                "batch_size", batch, "seq_len", seq, "grad_accum", 1, "max_steps", o.steps() + o.warmup(),
                "learning_rate", 3e-4, "schedule", "constant", "warmup_steps", 0, "weight_decay", 0.01,
                "beta2", 0.999, "grad_clip", 1.0));
        LlamaModel model = LlamaModel.initialize(mc, 0, true);
        long params = LlamaWeights.size(mc);
        TrainStep stepper = new TrainStep(model, model.weights().sameLayout(), model.weights().sameLayout(), cfg);
        SplittableRandom rng = new SplittableRandom(0);
        int[] x = new int[batch * seq], y = new int[batch * seq];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(mc.vocabSize());
            y[i] = rng.nextInt(mc.vocabSize());
        }
        TrainStep.Batches fixed = (in, tg) -> {
            System.arraycopy(x, 0, in, 0, x.length);
            System.arraycopy(y, 0, tg, 0, y.length);
        };
        long step = 0;
        for (int i = 0; i < o.warmup(); i++) stepper.run(step++, fixed);
        long gcBefore = gcCount(), allocBefore = allocatedBytes();
        double[] stepMs = new double[o.steps()];
        double loss = Double.NaN;
        for (int i = 0; i < o.steps(); i++) {
            long t0 = System.nanoTime();
            loss = stepper.run(step++, fixed).loss();
            stepMs[i] = (System.nanoTime() - t0) / 1e6;
        }
        long gcDuring = gcCount() - gcBefore;
        double allocPerStepMb = (allocatedBytes() - allocBefore) / 1e6 / Math.max(1, o.steps());
        double[] sorted = stepMs.clone();
        Arrays.sort(sorted);
        double medianMs = sorted[sorted.length / 2];
        long tokens = (long) batch * seq;
        double tps = tokens / (medianMs / 1e3);
        double flopsPerStep = 6.0 * params * tokens + 6.0 * mc.numHiddenLayers() * mc.hiddenSize() * (double) seq * tokens;
        double gflops = flopsPerStep / (medianMs / 1e3) / 1e9;
        double mfu = gflops / peak;
        out.printf(Locale.ROOT, "  seedling: params %,d, step %.1f ms (min %.1f, max %.1f), %.1f tokens/s, %.1f GFLOP/s, MFU %.1f%%, loss %.4f%n",
                params, medianMs, sorted[0], sorted[sorted.length - 1], tps, gflops, 100 * mfu, loss);
        out.printf(Locale.ROOT, "  memory: peak RSS %.0f MB, peak heap %.0f MB, tape buffers %.0f MB; allocated %.2f MB/step, %d GC(s) during %d timed steps%n",
                peakRssMb(), peakHeapMb(), stepper.workspaceBytes() / 1e6, allocPerStepMb, gcDuring, o.steps());

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("bench", "train");
        f.put("preset", o.preset());
        f.put("batch", batch);
        f.put("seq", seq);
        f.put("threads", threads);
        f.put("params", params);
        f.put("step_ms", medianMs);
        f.put("tokens_per_s", tps);
        f.put("gflops", gflops);
        f.put("peak_gflops", peak);
        f.put("mfu", mfu);
        f.put("loss", loss);
        f.put("peak_rss_mb", peakRssMb());
        f.put("peak_heap_mb", peakHeapMb());
        f.put("alloc_mb_per_step", allocPerStepMb);
        f.put("gc_during_timed_steps", gcDuring);

        if (o.reference() != null) {
            double ref = runReference(o, batch, seq, threads, out);
            f.put("torch_tokens_per_s", ref);
            f.put("ratio_vs_torch", Double.isFinite(ref) ? tps / ref : Double.NaN);
            if (Double.isFinite(ref))
                out.printf(Locale.ROOT, "  pytorch reference: %.1f tokens/s → seedling is %.2f× the reference%n", ref, tps / ref);
        }
        Figures figures = new Figures(f);
        out.println(figures.json());
        return figures;
    }

    private static final Pattern TPS = Pattern.compile("tokens_per_s=([0-9.]+)");

    /** Runs torch_reference.py with OPENBLAS_CORETYPE=SkylakeX; NaN (with a note) when it cannot run. */
    static double runReference(Options o, int batch, int seq, int threads, PrintStream out) {
        if (!Files.isRegularFile(o.reference())) {
            out.println("  pytorch reference: " + o.reference() + " not found; skipped");
            return Double.NaN;
        }
        List<String> cmd = new ArrayList<>(List.of(o.python(), o.reference().toString(), "--preset", o.preset(),
                "--threads", String.valueOf(threads), "--steps", String.valueOf(o.steps()),
                "--batch", String.valueOf(batch), "--seq", String.valueOf(seq), "--device", "cpu"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // Debian's OpenBLAS does not recognise this CPU and falls back to a 2.5x slower kernel without it.
        pb.environment().put("OPENBLAS_CORETYPE", "SkylakeX");
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        try {
            Process p = pb.start();
            StringBuilder all = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) all.append(line).append('\n');
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                out.println("  pytorch reference: timed out");
                return Double.NaN;
            }
            Matcher m = TPS.matcher(all);
            double tps = Double.NaN;
            while (m.find()) tps = Double.parseDouble(m.group(1));
            if (Double.isNaN(tps)) {
                String text = all.toString().strip();
                out.println("  pytorch reference did not run (" + o.python() + "): "
                        + text.substring(Math.max(0, text.length() - 300)).replace('\n', ' '));
            } else {
                out.println("  pytorch reference: " + all.toString().strip().lines().reduce((a, b) -> b).orElse(""));
            }
            return tps;
        } catch (IOException e) {
            out.println("  pytorch reference: cannot start " + o.python() + ": " + e.getMessage());
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, b.getCollectionCount());
        return n;
    }

    /** Bytes allocated on the heap by all live threads so far (HotSpot's per-thread allocation counters). */
    static long allocatedBytes() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getTotalThreadAllocatedBytes();
    }

    /** Peak resident set size of this process (VmHWM), NaN off Linux. */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    static double peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) sum += p.getPeakUsage().getUsed();
        return sum / 1e6;
    }
}
