package dev.seedling.cli;

import dev.seedling.bench.TrainBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling bench …}: benchmarks that print ratios against a reference measured in the same run. */
@Command(name = "bench", description = "Benchmarks; each ends with one JSON line of its figures.",
        subcommands = {BenchCommand.Train.class})
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
}
