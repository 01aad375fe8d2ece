package dev.seedling.cli;

import dev.seedling.data.demo.DemoCorpus;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling demo-data}: write the embedded demo domain (a fictitious industrial-diagnostics corpus). */
@Command(name = "demo-data", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the demo domain: service manuals, fault-code tables, maintenance logs, incident reports and",
                "spec sheets of 12 fictitious machines, with their ground truth. Deterministic for a seed and size.",
                "", "OUT/docs/ holds the documents (feed it to `seedling pretrain --data`), OUT/facts.jsonl the facts the",
                "corpus states, OUT/heldout_questions.jsonl questions about them phrased unlike any corpus sentence."})
final class DemoDataCommand implements Runnable {
    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output folder (new or empty).")
    Path out;
    @Option(names = "--size", defaultValue = "3000000", paramLabel = "BYTES", description = "Approximate corpus size in bytes (default: ${DEFAULT-VALUE}).")
    long size;
    @Option(names = "--seed", defaultValue = "1234", description = "World and wording seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        DemoCorpus.Result r = DemoCorpus.generate(out, size, seed);
        System.out.printf(Locale.ROOT, "demo domain: %d documents (%,d bytes) in %s, %d facts, %d held-out questions%n",
                r.documents(), r.bytes(), r.outDir().resolve("docs"), r.facts(), r.heldoutQuestions());
    }
}
