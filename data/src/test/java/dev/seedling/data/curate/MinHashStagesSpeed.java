package dev.seedling.data.curate;

import dev.seedling.data.demo.DemoCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Not a test: single-thread throughput of the dedup, PII, decontamination and domain stages on demo text, printed as
 * MB/s of thread CPU time (chars counted as bytes; the demo text is almost all ASCII). Run with
 * {@code java -cp … dev.seedling.data.curate.MinHashStagesSpeed [megabytes]}; the closing line is JSON.
 */
public final class MinHashStagesSpeed {
    public static void main(String[] args) throws IOException {
        long target = (long) (Double.parseDouble(args.length > 0 ? args[0] : "8") * 1_000_000);
        Path dir = Files.createTempDirectory("seedling-speed");
        DemoCorpus.generate(dir.resolve("demo"), target, 42);
        List<String> texts = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir.resolve("demo/docs"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) texts.add(Files.readString(p));
        }
        long chars = texts.stream().mapToLong(String::length).sum();
        System.out.printf("%d documents, %.1f MB%n", texts.size(), chars / 1e6);
        List<CurDoc> docs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) docs.add(new CurDoc(i, "doc-" + i, "demo", texts.get(i)));

        List<String> evalItems = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("demo/heldout_questions.jsonl"))) evalItems.add(line);
        MinHash minHash = new MinHash(MinHashConfig.DEFAULT);
        List<String> seeds = texts.subList(0, Math.min(50, texts.size()));
        Bm25Scorer bm25 = Bm25Scorer.fit(texts, seeds, Bm25Config.DEFAULT);
        LinearClassifier clf = LinearClassifier.trainOn(seeds, List.of("some general text about cooking and music", "sports news of the day"),
                LinearClassifierConfig.DEFAULT);

        StringBuilder json = new StringBuilder("{\"bench\":\"curate_h5_stages\",\"mb\":" + String.format("%.1f", chars / 1e6));
        json.append(",\"exact_dedup_mb_s\":").append(rate(chars, docs, () -> new ExactDedup(ExactDedupConfig.DEFAULT)));
        json.append(",\"minhash_signature_mb_s\":").append(rate(chars, () -> {
            for (String t : texts) minHash.signature(t);
        }));
        NearDedup[] last = new NearDedup[1];
        json.append(",\"near_dedup_with_signature_mb_s\":").append(rate(chars, docs, () -> last[0] = new NearDedup(MinHashConfig.DEFAULT)));
        int[][] sigs = new int[texts.size()][];
        for (int i = 0; i < sigs.length; i++) sigs[i] = minHash.signature(texts.get(i));
        json.append(",\"near_dedup_index_only_mb_s\":").append(rate(chars, () -> {
            NearDedup d = new NearDedup(MinHashConfig.DEFAULT);
            StageReport r = new StageReport("x", 3);
            for (int i = 0; i < sigs.length; i++) d.apply(docs.get(i), sigs[i], r);
        }));
        json.append(",\"near_dedup_bytes_per_doc\":").append(String.format("%.0f", last[0].indexBytesPerDoc()));
        json.append(",\"pii_mb_s\":").append(rate(chars, docs, () -> new PiiRedactor(PiiConfig.DEFAULT)));
        json.append(",\"decontaminate_mb_s\":").append(rate(chars, docs, () -> new Decontaminator(evalItems, DecontaminationConfig.DEFAULT)));
        json.append(",\"bm25_score_mb_s\":").append(rate(chars, () -> {
            for (String t : texts) bm25.score(t);
        }));
        json.append(",\"classifier_score_mb_s\":").append(rate(chars, () -> {
            for (String t : texts) clf.score(t);
        }));
        json.append("}");
        dev.seedling.tensor.AtomicFiles.deleteQuietly(dir);
        System.out.println(json);
    }

    private static String rate(long chars, List<CurDoc> docs, Supplier<DocStage> stage) {
        return rate(chars, () -> {
            DocStage s = stage.get();
            StageReport r = new StageReport(s.name(), 3);
            for (CurDoc d : docs) r.run(s, d);
        });
    }

    // thread CPU time, not wall time: the figures stay meaningful on a machine shared with other work
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private static String rate(long chars, Runnable body) {
        for (int warm = 0; warm < 4; warm++) body.run(); // JIT warm-up (slow when the compiler threads compete for cores)
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            body.run();
            best = Math.min(best, CPU.getCurrentThreadCpuTime() - t0);
        }
        return String.format("%.0f", chars / 1e6 / (best / 1e9));
    }
}
