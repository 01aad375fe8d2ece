package dev.seedling.cli;

import dev.seedling.data.PackConfig;
import dev.seedling.data.PackResult;
import dev.seedling.data.Packer;
import dev.seedling.tokenizer.ByteTokenizer;
import dev.seedling.tokenizer.Tokenizer;
import dev.seedling.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling pack}: tokenize documents into token shards with a held-out validation split. */
@Command(name = "pack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tokenize a folder of .txt/.md files or a docs.jsonl into token shards (format: docs/formats.md),",
                "holding out a validation split by document. `seedling pretrain --data OUT` then trains on them.",
                "The tokenizer's files are written next to the shards, so pretraining on OUT uses the same vocabulary."})
final class PackCommand implements Runnable {
    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Text folder or docs.jsonl.")
    Path data;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (new or empty).")
    Path out;
    @Option(names = "--val-fraction", defaultValue = "0.05", description = "Fraction of documents held out for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;
    @Option(names = "--seed", defaultValue = "24301", description = "Seed of the train/validation split (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--tokenizer", paramLabel = "PATH", description = {"A tokenizer.json, or a directory holding one (a trained tokenizer",
            "from `seedling tokenizer train`, or a model directory). Default: the built-in byte-level tokenizer."})
    Path tokenizer;

    @Override
    public void run() {
        Tokenizer tok = load(tokenizer);
        packWithProgress(PackConfig.of(data, out, tok).withValFraction(valFraction).withSeed(seed));
        tok.save(out);
    }

    /** The tokenizer at {@code path}, or the byte-level tokenizer when {@code path} is null. */
    static Tokenizer load(Path path) {
        return path == null ? new ByteTokenizer() : Tokenizers.load(path);
    }

    /** The tokenizer a packed directory was written with, when `seedling pack` saved it there; else null. */
    static Tokenizer packedWith(Path packedDir) {
        return Files.isRegularFile(packedDir.resolve("tokenizer.json")) ? Tokenizers.load(packedDir) : null;
    }

    /** Packs with a progress bar over the documents, then prints the summary line. */
    static PackResult packWithProgress(PackConfig config) {
        Progress[] bar = {null};
        PackResult r = Packer.pack(config, p -> {
            if (bar[0] == null) bar[0] = new Progress(System.out, "pack", p.totalDocuments());
            bar[0].update(p.documents(), 0, String.format(java.util.Locale.ROOT, "%,d tokens", p.tokens()));
        });
        System.out.println(r.summary());
        return r;
    }
}
