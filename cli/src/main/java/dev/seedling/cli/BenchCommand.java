package dev.seedling.cli;

import dev.seedling.bench.TrainBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling bench …}: benchmarks that print ratios against a reference measured in the same run. */
@Command(name = "bench", description = "Benchmarks; each ends with one JSON line of its figures.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Tokenizer.class, BenchCommand.Generate.class, BenchCommand.Curate.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Times training steps of a preset on random tokens (tokens/s, step time, GFLOP/s, MFU against",
                    "the measured FMA peak, memory, allocation per step) and runs the PyTorch reference",
                    "(shared/bench/torch_reference.py, with OPENBLAS_CORETYPE=SkylakeX) on the same preset, batch and",
                    "threads in the same run."})
    static final class Train implements Runnable {
        @Option(names = "--preset", defaultValue = "tiny", description = "tiny | small | smollm2-135m (default: ${DEFAULT-VALUE})")
        String preset;
        @Option(names = "--batch", defaultValue = "0", description = "Sequences per step (default: the preset's CPU batch: tiny 8, small 4, smollm2-135m 2).")
        int batch;
        @Option(names = "--seq", defaultValue = "0", description = "Tokens per sequence (default: the preset's: 256, 512, 512).")
        int seq;
        @Option(names = "--steps", defaultValue = "5", description = "Timed steps (default: ${DEFAULT-VALUE}); the median is reported.")
        int steps;
        @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--threads", description = "Worker threads (default: all cores).")
        Integer threads;
        @Option(names = "--reference", description = "PyTorch reference script (default: ../shared/bench/torch_reference.py if present).")
        Path reference;
        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with PyTorch for the reference (default: ${DEFAULT-VALUE}).")
        String python;
        @Option(names = "--no-reference", description = "Do not run the PyTorch reference.")
        boolean noReference;

        @Override
        public void run() {
            Path ref = noReference ? null : reference != null ? reference : defaultReference();
            TrainBenchmark.run(new TrainBenchmark.Options(preset, batch, seq, steps, warmup, ref, python), System.out);
        }

        private static Path defaultReference() {
            for (Path p : new Path[] {Path.of("../shared/bench/torch_reference.py"), Path.of("shared/bench/torch_reference.py")})
                if (Files.isRegularFile(p)) return p;
            return Path.of("../shared/bench/torch_reference.py");
        }
    }

    @Command(name = "tokenizer", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Times byte-level BPE training (seconds per 100 MB of text, at --vocab-size)",
                    "and encoding (MB/s on 1 thread and on all worker threads) for the vocabulary",
                    "it trains and for a real Llama-3 vocabulary, against the Rust HF tokenizers",
                    "library (via DJL, RAYON_NUM_THREADS = the same thread count) on the same",
                    "texts and tokenizer.json, and checks both produce the same ids. Text: the",
                    "demo domain plus synthetic Zipf-distributed text."})
    static final class Tokenizer implements Runnable {
        @Option(names = "--tokenizer", paramLabel = "PATH", description = "Llama-3 tokenizer.json (.gz) or model folder (default: the one checked in under tokenizer/src/test/resources/golden/hf/llama3, when run from the source tree).")
        Path tokenizer;
        @Option(names = "--train-mb", defaultValue = "20", description = "MB of text to train on (default: ${DEFAULT-VALUE}).")
        double trainMb;
        @Option(names = "--encode-mb", defaultValue = "10", description = "MB of text to encode (default: ${DEFAULT-VALUE}).")
        double encodeMb;
        @Option(names = "--vocab-size", defaultValue = "32000", description = "Size of the trained vocabulary (default: ${DEFAULT-VALUE}).")
        int vocabSize;
        @Option(names = "--repeats", defaultValue = "3", description = "Timed repetitions of each encode run; the best counts (default: ${DEFAULT-VALUE}).")
        int repeats;
        @Option(names = "--threads", description = "Worker threads (default: all cores).")
        Integer threads;
        @Option(names = "--no-reference", description = "Do not run the Rust reference.")
        boolean noReference;

        @Override
        public void run() {
            Path llama = tokenizer;
            if (llama == null) {
                for (String p : new String[] {"tokenizer/src/test/resources/golden/hf/llama3/tokenizer.json.gz",
                        "../tokenizer/src/test/resources/golden/hf/llama3/tokenizer.json.gz"})
                    if (Files.isRegularFile(Path.of(p))) llama = Path.of(p);
            }
            dev.seedling.bench.TokenizerBenchmark.run(new dev.seedling.bench.TokenizerBenchmark.Options(llama, trainMb,
                    encodeMb, vocabSize, !noReference, Math.max(1, repeats)), System.out);
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Inference speed on a preset shape with random weights: memory bandwidth,",
                    "matrix-vector GB/s, prompt processing and decode tokens/s (one sequence and",
                    "a batch) in f32, q8_0 and q4_0, and llama.cpp's llama-bench on the same",
                    "model exported to GGUF, in the same run."})
    static final class Generate implements Runnable {
        @Option(names = "--preset", defaultValue = "smollm2-135m", description = "tiny | small | smollm2-135m (default: ${DEFAULT-VALUE})")
        String preset;
        @Option(names = "--formats", defaultValue = "f32,q8_0,q4_0", split = ",", description = "Weight formats (default: ${DEFAULT-VALUE}).")
        List<String> formats;
        @Option(names = "--prompt", defaultValue = "512", description = "Prompt tokens for prompt processing (default: ${DEFAULT-VALUE}).")
        int prompt;
        @Option(names = "--gen", defaultValue = "128", description = "Decoding steps timed (default: ${DEFAULT-VALUE}).")
        int gen;
        @Option(names = "--batch", defaultValue = "8", description = "Sequences in the batched decode (default: ${DEFAULT-VALUE}).")
        int batch;
        @Option(names = "--repeats", defaultValue = "2", description = "Timed repeats, best reported (default: ${DEFAULT-VALUE}).")
        int repeats;
        @Option(names = "--llama-bench", description = "llama.cpp's llama-bench executable (default: $SEEDLING_LLAMA_BENCH; none: Seedling only).")
        Path llamaBench;
        @Option(names = "--threads", description = "Worker threads (default: all cores).")
        Integer threads;

        @Override
        public void run() {
            Path ref = llamaBench;
            String env = System.getenv("SEEDLING_LLAMA_BENCH");
            if (ref == null && env != null && !env.isBlank()) ref = Path.of(env);
            if (ref != null && !Files.isExecutable(ref))
                throw new dev.seedling.tensor.SeedlingException("llama-bench not found or not executable: " + ref);
            List<dev.seedling.tensor.quant.WeightFormat> fs = formats.stream().map(dev.seedling.tensor.quant.WeightFormat::parse).toList();
            dev.seedling.bench.GenerateBenchmark.run(new dev.seedling.bench.GenerateBenchmark.Options(preset, fs, prompt, gen,
                    batch, repeats, ref), System.out);
        }
    }

    @Command(name = "curate", mixinStandardHelpOptions = true,
            description = {"Generates a corpus (demo-domain documents rewritten into distinct ones, with exact and near",
                    "duplicates, personal data and boilerplate; not timed) and runs `seedling curate` on it with",
                    "every default stage, near-dedup included: MB/s end to end and per stage, peak memory, dedup",
                    "index bytes per document. The bar: 20 MB/s end to end on 2 threads."})
    static final class Curate implements Runnable {
        @Option(names = "--size-mb", defaultValue = "1024", description = "Corpus size in MB of text (default: ${DEFAULT-VALUE}).")
        int sizeMb;
        @Option(names = "--threads", description = "Worker threads (default: all cores).")
        Integer threads;
        @Option(names = "--work-dir", description = "New or empty folder for the corpus and output (default: a temp folder); emptied after unless --keep.")
        Path workDir;
        @Option(names = "--keep", description = "Keep the corpus and output.")
        boolean keep;

        @Override
        public void run() {
            dev.seedling.bench.CurateBenchmark.run(new dev.seedling.bench.CurateBenchmark.Options(sizeMb, workDir, keep), System.out);
        }
    }
}
