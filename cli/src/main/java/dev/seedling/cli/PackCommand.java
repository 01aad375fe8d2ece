package dev.seedling.cli;

import dev.seedling.data.PackConfig;
import dev.seedling.data.Packer;
import dev.seedling.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling pack}: tokenize documents into token shards with a held-out validation split. */
@Command(name = "pack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tokenize a folder of .txt/.md files or a docs.jsonl into token shards (format: docs/formats.md),",
                "holding out a validation split by document. `seedling pretrain --data OUT` then trains on them."})
final class PackCommand implements Runnable {
    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Text folder or docs.jsonl.")
    Path data;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (new or empty).")
    Path out;
    @Option(names = "--val-fraction", defaultValue = "0.05", description = "Fraction of documents held out for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;
    @Option(names = "--seed", defaultValue = "24301", description = "Seed of the train/validation split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        var r = Packer.pack(PackConfig.of(data, out, new ByteTokenizer()).withValFraction(valFraction).withSeed(seed));
        System.out.println(r.summary());
    }
}
