package dev.seedling.cli;

import dev.seedling.data.PackConfig;
import dev.seedling.data.PackResult;
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
        packWithProgress(PackConfig.of(data, out, new ByteTokenizer()).withValFraction(valFraction).withSeed(seed));
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
