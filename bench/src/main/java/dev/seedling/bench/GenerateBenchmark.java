package dev.seedling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.model.export.GgufExporter;
import dev.seedling.model.export.GgufTokenizer;
import dev.seedling.model.format.GgufTensorType;
import dev.seedling.model.infer.InferenceModel;
import dev.seedling.model.infer.KvCache;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.quant.WeightFormat;
import dev.seedling.tensor.quant.WeightMatrix;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code seedling bench generate}: inference speed of a preset shape (random weights) in f32, Q8_0 and Q4_0 on
 * {@link Parallel#threads()} threads —
 * <ul>
 *   <li>the memory read bandwidth ({@link MemoryBandwidth}) and each format's matrix-vector rate over all of the
 *       model's matrices (GB/s of weights, and as a fraction of the bandwidth);</li>
 *   <li>prompt processing: tokens/s prefilling a {@code promptTokens}-token prompt into an empty KV cache;</li>
 *   <li>decoding: tokens/s generating {@code genTokens} tokens one at a time, for one sequence and for a batch of
 *       {@code batch} sequences decoded together, and decode efficiency = weight bytes read per step × steps/s ÷
 *       bandwidth;</li>
 *   <li>with llama.cpp's {@code llama-bench} (given by path or {@code SEEDLING_LLAMA_BENCH}): the same model exported
 *       to GGUF by {@link GgufExporter} in each format, run as {@code llama-bench -m FILE -t THREADS -p 512 -n 128},
 *       and the ratios Seedling / llama.cpp (each format right after Seedling's own run of it, so both see the
 *       machine in the same state).</li>
 * </ul>
 * Ends with one JSON line ({@link BenchJson}).
 */
public final class GenerateBenchmark {
    private GenerateBenchmark() {}

    /**
     * @param preset       a {@link LlamaConfig#PRESETS} shape
     * @param formats      formats to run
     * @param promptTokens prompt length for prompt processing
     * @param genTokens    decoding steps timed
     * @param batch        sequences in the batched decode
     * @param repeats      timed repeats of each measurement (the best is reported)
     * @param llamaBench   llama-bench executable, or null
     */
    public record Options(String preset, List<WeightFormat> formats, int promptTokens, int genTokens, int batch,
                          int repeats, Path llamaBench) {
        public Options {
            if (promptTokens < 1 || genTokens < 1 || batch < 1 || repeats < 1)
                throw new SeedlingException("--prompt, --gen, --batch and --repeats must be positive");
            formats = List.copyOf(formats);
        }
    }

    public static Map<String, Object> run(Options o, PrintStream out) {
        LlamaConfig config = LlamaConfig.preset(o.preset());
        int threads = Parallel.threads();
        out.printf(Locale.ROOT, "bench generate: %s shape (%,d parameters, random weights), %d threads%n", o.preset(),
                config.parameterCount(), threads);
        double bw = MemoryBandwidth.readBytesPerSecond(512, 5);
        out.printf(Locale.ROOT, "memory read bandwidth: %.1f GB/s%n", bw / 1e9);
        LlamaWeights weights = LlamaModel.initialize(config, 1234, false).weights();
        SplittableRandom rng = new SplittableRandom(42);
        int maxSeq = Math.min(config.contextLength(), o.promptTokens() + o.genTokens() + 8);
        int[] prompt = rng.ints(o.promptTokens(), 0, config.vocabSize()).toArray();

        Map<String, Object> fig = new LinkedHashMap<>();
        fig.put("bench", "generate");
        fig.put("preset", o.preset());
        fig.put("threads", threads);
        fig.put("prompt_tokens", o.promptTokens());
        fig.put("gen_tokens", o.genTokens());
        fig.put("batch", o.batch());
        fig.put("bandwidth_gbs", bw / 1e9);
        Map<String, Object> seedling = new LinkedHashMap<>(), ref = new LinkedHashMap<>();
        for (WeightFormat f : o.formats()) {
            Map<String, Object> r = new LinkedHashMap<>();
            long q0 = System.nanoTime();
            InferenceModel model = InferenceModel.of(weights, f::convert, Math.max(o.promptTokens(), o.batch()));
            r.put("convert_s", (System.nanoTime() - q0) / 1e9);
            long bytes = model.weightBytes();
            r.put("weight_mb", bytes / 1e6);
            double gbs = matvecBytesPerSecond(weights, f, o.repeats());
            r.put("matvec_gbs", gbs / 1e9);
            r.put("matvec_of_bandwidth", gbs / bw);

            float[] logits = new float[config.vocabSize() * o.batch()];
            KvCache cache = model.newCache(o.batch(), maxSeq);
            double pp = 0;
            for (int rep = -1; rep < o.repeats(); rep++) { // rep −1 warms up (JIT)
                cache.resetAll();
                long t0 = System.nanoTime();
                model.prefill(cache, 0, prompt, logits);
                double s = (System.nanoTime() - t0) / 1e9;
                if (rep >= 0) pp = Math.max(pp, o.promptTokens() / s);
            }
            r.put("pp_tokens_per_s", pp);
            double tg1 = 0, tg8 = 0;
            for (int rep = -1; rep < o.repeats(); rep++) {
                double s1 = decode(model, cache, 1, o.genTokens(), rng, logits);
                double sb = decode(model, cache, o.batch(), o.genTokens(), rng, logits);
                if (rep >= 0) {
                    tg1 = Math.max(tg1, o.genTokens() / s1);
                    tg8 = Math.max(tg8, (double) o.batch() * o.genTokens() / sb);
                }
            }
            r.put("decode_tokens_per_s", tg1);
            r.put("decode_efficiency", bytes * tg1 / bw);
            r.put("batch_decode_tokens_per_s", tg8);
            r.put("batch_decode_efficiency", bytes * (tg8 / o.batch()) / bw);
            out.printf(Locale.ROOT, "seedling %-5s weights %6.1f MB  matvec %5.1f GB/s (%3.0f%% of bw)  pp%d %7.1f tok/s  "
                            + "decode %6.1f tok/s (eff %3.0f%%)  batch %d decode %7.1f tok/s%n", f.id(), bytes / 1e6,
                    gbs / 1e9, 100 * gbs / bw, o.promptTokens(), pp, tg1, 100 * bytes * tg1 / bw, o.batch(), tg8);
            seedling.put(f.id(), r);
            // llama.cpp right after, on the same weights, so both see the machine in the same state
            if (o.llamaBench() != null) ref.put(f.id(), reference(o, config, weights, f, r, bw, threads, out));
        }
        fig.put("seedling", seedling);

        if (o.llamaBench() != null) fig.put("llama_cpp", ref);
        else out.println("llama.cpp reference: not run (give --llama-bench PATH or set SEEDLING_LLAMA_BENCH)");
        out.println(BenchJson.line(fig));
        return fig;
    }

    /** Exports {@code weights} to a temporary GGUF file in format {@code f}, runs llama-bench on it, and compares. */
    private static Map<String, Object> reference(Options o, LlamaConfig config, LlamaWeights weights, WeightFormat f,
                                                 Map<String, Object> seedling, double bw, int threads, PrintStream out) {
        GgufTensorType type = switch (f) {
            case F32 -> GgufTensorType.F32;
            case Q8_0 -> GgufTensorType.Q8_0;
            case Q4_0 -> GgufTensorType.Q4_0;
        };
        Path gguf = null;
        try {
            gguf = Files.createTempFile("seedling-bench-" + o.preset() + "-" + f.id(), ".gguf");
            Map<String, Tensor> hf = weights.hfTensors();
            GgufExporter.write(gguf, config, hf::get, GgufTokenizer.byteTokenizer(config.vocabSize()), type,
                    o.preset() + "-random");
            Map<String, Object> r = llamaBench(o.llamaBench(), gguf, threads, o.promptTokens(), o.genTokens(), out);
            double lpp = (Double) r.get("pp_tokens_per_s"), ltg = (Double) r.get("decode_tokens_per_s");
            r.put("pp_ratio", (Double) seedling.get("pp_tokens_per_s") / lpp);
            r.put("decode_ratio", (Double) seedling.get("decode_tokens_per_s") / ltg);
            r.put("decode_efficiency", (Double) seedling.get("weight_mb") * 1e6 * ltg / bw);
            out.printf(Locale.ROOT, "llama.cpp %-5s pp%d %7.1f tok/s  decode %6.1f tok/s   seedling/llama.cpp: pp %.2f×, decode %.2f×%n",
                    f.id(), o.promptTokens(), lpp, ltg, r.get("pp_ratio"), r.get("decode_ratio"));
            return r;
        } catch (IOException e) {
            throw new SeedlingException("llama.cpp reference failed: " + e.getMessage(), e);
        } finally {
            if (gguf != null) try {
                Files.deleteIfExists(gguf);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** Seconds to decode {@code steps} tokens for {@code n} sequences together (cache slots 0..n-1, from empty). */
    private static double decode(InferenceModel model, KvCache cache, int n, int steps, SplittableRandom rng, float[] logits) {
        cache.resetAll();
        int[] slots = new int[n], tokens = new int[n];
        for (int i = 0; i < n; i++) slots[i] = i;
        int v = model.config().vocabSize();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) tokens[i] = rng.nextInt(v);
            model.decode(cache, slots, tokens, n, logits);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Weight bytes per second of m = 1 products over every projection matrix and the LM head of the model, one
     * after the other (as a decoding step reads them; far more than the caches hold).
     */
    static double matvecBytesPerSecond(LlamaWeights w, WeightFormat f, int repeats) {
        List<WeightMatrix> ms = new ArrayList<>();
        for (int l = 0; l < w.numLayers(); l++) {
            LlamaWeights.Layer y = w.layer(l);
            for (Tensor t : new Tensor[] {y.wqkv(), y.wo(), y.wGateUp(), y.wDown()})
                ms.add(InferenceModel.convert(f::convert, t));
        }
        ms.add(InferenceModel.convert(f::convert, w.lmHead()));
        int maxDim = 0;
        long bytes = 0;
        for (WeightMatrix m : ms) {
            maxDim = Math.max(maxDim, Math.max(m.rows(), m.cols()));
            bytes += m.bytes();
        }
        float[] x = new float[maxDim], y = new float[maxDim];
        for (int i = 0; i < maxDim; i++) x[i] = (float) Math.sin(i);
        double best = 0;
        for (int rep = -10; rep < 3 * repeats; rep++) { // 10 warm-up passes: the JIT compiles the kernels first
            long t0 = System.nanoTime();
            for (WeightMatrix m : ms) m.matmul(y, 0, x, 0, 1);
            double s = (System.nanoTime() - t0) / 1e9;
            if (rep >= 0) best = Math.max(best, bytes / s);
        }
        return best;
    }

    /** Runs llama-bench on {@code gguf} and returns its pp and tg rates (tokens/s). */
    static Map<String, Object> llamaBench(Path exe, Path gguf, int threads, int pp, int tg, PrintStream out) throws IOException {
        List<String> cmd = List.of(exe.toString(), "-m", gguf.toString(), "-t", String.valueOf(threads), "-p",
                String.valueOf(pp), "-n", String.valueOf(tg), "-r", "3", "-o", "json");
        out.println("running: " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new SeedlingException("llama-bench did not finish in 30 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeedlingException("interrupted while waiting for llama-bench", e);
        }
        if (p.exitValue() != 0)
            throw new SeedlingException("llama-bench exited with " + p.exitValue() + " on " + gguf + " (does it load the file?)");
        JsonNode arr = new ObjectMapper().readTree(json);
        Map<String, Object> r = new LinkedHashMap<>();
        for (JsonNode e : arr) {
            if (e.path("n_prompt").asInt() > 0 && e.path("n_gen").asInt() == 0) r.put("pp_tokens_per_s", e.path("avg_ts").asDouble());
            if (e.path("n_gen").asInt() > 0 && e.path("n_prompt").asInt() == 0) r.put("decode_tokens_per_s", e.path("avg_ts").asDouble());
            r.putIfAbsent("build_commit", e.path("build_commit").asText());
            r.putIfAbsent("cpu_info", e.path("cpu_info").asText());
        }
        if (!r.containsKey("pp_tokens_per_s") || !r.containsKey("decode_tokens_per_s"))
            throw new SeedlingException("llama-bench printed no pp/tg results for " + gguf);
        return r;
    }
}
