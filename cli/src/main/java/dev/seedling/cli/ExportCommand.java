package dev.seedling.cli;

import dev.seedling.model.export.GgufExporter;
import dev.seedling.model.format.GgufTensorType;
import dev.seedling.tensor.SeedlingException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling export …}: write a model in another tool's format. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Export a model directory to another tool's format.",
        subcommands = {ExportCommand.Gguf.class, CommandLine.HelpCommand.class})
final class ExportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code seedling export gguf}: a GGUF file for llama.cpp and Ollama. */
    @Command(name = "gguf", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write a GGUF file (llama.cpp, Ollama) from a model directory: architecture metadata, tokenizer",
                    "(tokens, merges, special ids, chat template) and weights; norms stay f32."},
            footer = {"", "Example:", "  seedling export gguf --model runs/tiny/model --out tiny-q8_0.gguf --type q8_0",
                    "  llama-cli -m tiny-q8_0.gguf -p \"The pump\""})
    static final class Gguf implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (config.json, model.safetensors, tokenizer.json).")
        Path model;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .gguf file to write (replaced atomically).")
        Path out;
        @Option(names = "--type", defaultValue = "f16", paramLabel = "TYPE", description = "Matrix type: f32, f16, q8_0 or q4_0 (default: ${DEFAULT-VALUE}).")
        String type;
        @Option(names = "--pre", paramLabel = "NAME", description = "llama.cpp pre-tokenizer (tokenizer.ggml.pre), e.g. smollm, llama-bpe, qwen2 (default: detected from the split pattern).")
        String pre;

        @Override
        public Integer call() {
            GgufTensorType t = switch (type.toLowerCase(Locale.ROOT)) {
                case "f32" -> GgufTensorType.F32;
                case "f16" -> GgufTensorType.F16;
                case "q8_0" -> GgufTensorType.Q8_0;
                case "q4_0" -> GgufTensorType.Q4_0;
                default -> throw new SeedlingException("--type " + type + " is not supported; use f32, f16, q8_0 or q4_0");
            };
            long t0 = System.nanoTime();
            GgufExporter.Result r = GgufExporter.export(model, out, t, pre);
            System.out.printf(Locale.ROOT, "wrote %s: %d tensors, %s, %.1f MB in %.1f s%n", r.file(), r.tensors(),
                    t.name().toLowerCase(Locale.ROOT), r.bytes() / 1e6, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
