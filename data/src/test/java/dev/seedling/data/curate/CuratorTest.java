package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.data.Document;
import dev.seedling.data.DocumentReader;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class CuratorTest {
    @TempDir
    Path tmp;

    // ---- small stages with known behaviour ----

    /** Unordered: upper-cases documents whose id ends in 0, books "upper". */
    static final DocStage UPPER = new DocStage() {
        public String name() { return "upper"; }

        public CurDoc apply(CurDoc d, StageReport r) {
            if (!d.id().endsWith("0")) return d;
            r.count("upper", 1);
            return d.withText(d.text().toUpperCase(Locale.ROOT));
        }
    };

    /** Unordered: drops documents containing "drop". */
    static final DocStage DROP = new DocStage() {
        public String name() { return "drop"; }

        public CurDoc apply(CurDoc d, StageReport r) {
            if (!d.text().contains("drop")) return d;
            r.drop("has_drop", d);
            return null;
        }
    };

    /** Ordered: keeps the first document of each text; checks it is called in seq order from one thread at a time. */
    static final class FirstOfText implements DocStage {
        final java.util.HashSet<String> seen = new java.util.HashSet<>();
        long lastSeq = -1;
        volatile boolean inside;

        public String name() { return "first"; }

        public boolean ordered() { return true; }

        public CurDoc apply(CurDoc d, StageReport r) {
            if (inside) throw new IllegalStateException("ordered stage called concurrently");
            inside = true;
            try {
                if (d.seq() <= lastSeq) throw new IllegalStateException("seq " + d.seq() + " after " + lastSeq);
                lastSeq = d.seq();
                if (seen.add(d.text())) return d;
                r.drop("duplicate", d);
                return null;
            } finally {
                inside = false;
            }
        }
    }

    /** n documents, every 7th a copy of an earlier one, every 5th contains "drop", with odd characters. */
    static List<CurDoc> docs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] words = {"pump", "valve", "Überdruck", "压力", "😀", "<b>", "\"q\"", "\\", "seal", "\u0007"};
        List<CurDoc> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String text;
            if (i % 7 == 6) {
                text = out.get(r.nextInt(i)).text();
            } else {
                StringBuilder sb = new StringBuilder("doc " + i);
                int len = 1 + r.nextInt(300);
                while (sb.length() < len) sb.append(' ').append(words[r.nextInt(words.length)]);
                if (i % 5 == 3) sb.append(" drop");
                text = sb.toString();
            }
            out.add(new CurDoc(i, "d" + i, i % 2 == 0 ? "even" : "odd", text));
        }
        return out;
    }

    static Curator.Plan plan(List<CurDoc> docs) {
        return new Curator.Plan((sink, report) -> docs.forEach(sink), List.of(UPPER, DROP, new FirstOfText(), UPPER),
                List.of(), null, List.of());
    }

    /** A config writing to {@code out}; its input is an empty folder beside it (the plans bring their own source). */
    static CurateConfig config(Path out, int batchDocs) {
        Path in = out.resolveSibling(out.getFileName() + "-in");
        try {
            Files.createDirectories(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CurateConfig d = CurateConfig.defaults();
        return d.withInputs(List.of(in.toString()), out.toString())
                .withRun(new CurateConfig.Run(batchDocs, 1, 3, 5));
    }

    /** What the reference (a plain loop) keeps, in order. */
    static List<String> expected(List<CurDoc> docs) {
        List<String> out = new ArrayList<>();
        java.util.HashSet<String> seen = new java.util.HashSet<>();
        for (CurDoc d : docs) {
            String t = d.id().endsWith("0") ? d.text().toUpperCase(Locale.ROOT) : d.text();
            if (t.contains("drop")) continue;
            if (!seen.add(t)) continue;
            out.add(t);
        }
        return out;
    }

    static List<Document> read(Path docsJsonl) {
        List<Document> out = new ArrayList<>();
        DocumentReader.open(docsJsonl).forEach(out::add);
        return out;
    }

    @Test
    void keepsInputOrderAndMatchesAPlainLoopForAnyBatching() throws IOException {
        long seed = Seeds.base();
        List<CurDoc> docs = docs(500, seed);
        List<String> want = expected(docs);
        byte[] first = null;
        for (int batch : new int[] {1, 7, 64, 4096}) {
            Path out = tmp.resolve("out-" + batch);
            CuratorResult r = Curator.run(plan(docs), config(out, batch), p -> { });
            List<Document> got = read(r.docs());
            assertThat(got.stream().map(Document::text).toList()).isEqualTo(want);
            assertThat(got.getFirst().id()).isEqualTo("d0");
            byte[] bytes = Files.readAllBytes(r.docs());
            if (first == null) first = bytes;
            else assertThat(bytes).as("batch %d", batch).isEqualTo(first);
            CurateReport rep = r.report();
            assertThat(rep.input().docs()).isEqualTo(500);
            assertThat(rep.kept().docs()).isEqualTo(want.size());
            CurateReport.Stage drop = rep.stages().stream().filter(s -> s.name().equals("drop")).findFirst().orElseThrow();
            assertThat(drop.docsDropped()).isEqualTo(drop.counts().get("has_drop"));
            assertThat(drop.examples().get("has_drop")).hasSize(3);
            assertThat(drop.examples().get("has_drop").getFirst().seq()).isEqualTo(3); // smallest seq, not first to arrive
            assertThat(rep.stages().getFirst().name()).isEqualTo("ingest");
            assertThat(rep.stages().getFirst().docsKept()).isEqualTo(500);
            assertThat(rep.sources()).containsOnlyKeys("even", "odd");
            assertThat(rep.lengthsBefore().stream().mapToLong(CurateReport.Bucket::docs).sum()).isEqualTo(500);
            assertThat(rep.lengthsAfter().stream().mapToLong(CurateReport.Bucket::docs).sum()).isEqualTo(want.size());
            assertThat(Files.exists(r.reportJson())).isTrue();
            assertThat(CurateReport.read(r.reportJson()).kept()).isEqualTo(rep.kept());
            assertThat(Files.readString(r.reportHtml())).contains("<svg").doesNotContain("<b>").contains("&lt;b&gt;");
            assertThat(Files.exists(out.resolve("config.json"))).isTrue();
        }
    }

    static String runInJvm(int threads, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dseedling.threads=" + threads, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), CuratorTestMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("threads=" + threads);
        return log;
    }

    @Test
    void sameOutputWithOneThreadAndWithThree() throws Exception {
        Path corpus = realCorpus(tmp.resolve("real-in"));
        List<String> toy = new ArrayList<>(), real = new ArrayList<>();
        for (int threads : new int[] {1, 3}) {
            Path out = tmp.resolve("t" + threads), outReal = tmp.resolve("r" + threads);
            runInJvm(threads, "toy", out.toString(), String.valueOf(Seeds.base()));
            toy.add(Files.readString(out.resolve("docs.jsonl")));
            runInJvm(threads, "real", outReal.toString(), corpus.toString());
            real.add(Files.readString(outReal.resolve("docs.jsonl")));
        }
        assertThat(toy.get(1)).isEqualTo(toy.get(0));
        assertThat(real.get(1)).isEqualTo(real.get(0));
        assertThat(real.get(0).lines().count()).isGreaterThan(20);
    }

    /** The demo domain's documents plus an exact copy and a near copy of one manual (a folder of .md/.txt files). */
    static Path realCorpus(Path dir) throws IOException {
        dev.seedling.data.demo.DemoCorpus.generate(dir, 150_000, 3);
        Path docs = dir.resolve("docs");
        Path manual;
        try (Stream<Path> s = Files.list(docs.resolve("manuals"))) {
            manual = s.sorted().findFirst().orElseThrow();
        }
        Files.writeString(docs.resolve("manuals/zz-copy.md"), Files.readString(manual));
        Files.writeString(docs.resolve("manuals/zz-near.md"), Files.readString(manual).replaceFirst("\\.", ". Indeed."));
        return docs;
    }

    @Test
    void decontaminationAndDomainRelevanceWithTheRealStages() throws IOException {
        Path docs = realCorpus(tmp.resolve("dom"));
        // general-pool documents about something else
        Path general = Files.createDirectories(docs.resolve("general"));
        String[] who = {"My grandmother", "The new neighbour", "Our football coach", "A young chef", "The village baker",
                "My best friend", "The travel writer", "Her little brother", "The museum guide", "An old fisherman"};
        String[] did = {"baked a sourdough loaf with rye flour", "walked along the mountain ridge", "planted tomatoes and basil",
                "painted the garden fence blue", "cooked a spicy lentil soup", "read a novel about pirates",
                "watched the football match in the rain", "sang folk songs by the fire", "visited the old castle",
                "caught three silver trout in the lake"};
        String[] when = {"on a sunny Sunday morning", "before the summer storm arrived", "after the long winter",
                "during the harvest festival", "late in the evening", "while the children were at school"};
        SplittableRandom rnd = new SplittableRandom(Seeds.base());
        for (int i = 0; i < 12; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 9; k++) {
                sb.append(who[rnd.nextInt(who.length)]).append(' ').append(did[rnd.nextInt(did.length)]).append(' ')
                        .append(when[rnd.nextInt(when.length)]).append(", and it was ").append(rnd.nextInt(2) == 0 ? "lovely" : "tiring")
                        .append(". ");
            }
            Files.writeString(general.resolve("g" + i + ".txt"), sb.toString());
        }
        // an evaluation item copied from one manual: that manual must be dropped
        Path manual;
        try (Stream<Path> s = Files.list(docs.resolve("manuals"))) {
            manual = s.sorted().toList().get(2);
        }
        String[] words = Files.readString(manual).split("\\s+");
        String item = String.join(" ", java.util.Arrays.copyOfRange(words, 40, 60));
        Path eval = Files.writeString(tmp.resolve("eval.jsonl"), "{\"question\": " + new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(item) + ", \"answer\": \"yes\"}\n");
        Path seeds = tmp.resolve("seeds");
        dev.seedling.data.demo.DemoCorpus.generate(seeds, 20_000, 99);

        Path out = tmp.resolve("dom-out");
        CurateConfig c = CurateConfig.defaults().withInputs(List.of(docs.toString()), out.toString())
                .withDecontamination(new CurateConfig.Decontamination(eval.toString(), 13, 8))
                .withDomain(new CurateConfig.Domain(seeds.resolve("docs").toString(), "bm25", null, 0.05, 1000));
        CuratorResult r = Curator.run(c, p -> { });
        List<String> ids = read(r.docs()).stream().map(Document::id).toList();
        String rel = docs.relativize(manual).toString().replace('\\', '/');
        assertThat(ids).doesNotContain(rel).doesNotContain("manuals/zz-copy.md", "manuals/zz-near.md");
        assertThat(ids.stream().filter(id -> id.startsWith("general/"))).as("general documents score low").isEmpty();
        CurateReport.Stage gopher = r.report().stages().stream().filter(s -> s.name().equals("gopher")).findFirst().orElseThrow();
        assertThat(ids.stream().filter(id -> id.startsWith("manuals/"))).isNotEmpty();
        CurateReport rep = r.report();
        assertThat(rep.warnings()).anyMatch(w -> w.startsWith("evaluation item 0"));
        assertThat(rep.indexBytes()).containsKeys("exact_dedup", "near_dedup");
        CurateReport.Stage domain = rep.stages().stream().filter(s -> s.name().equals("domain")).findFirst().orElseThrow();
        assertThat(domain.docsDropped()).as("%s", rep.stages()).isGreaterThanOrEqualTo(12);
        assertThat(rep.stages().stream().map(CurateReport.Stage::name)).containsSubsequence("clean", "repeated_lines", "gopher",
                "language", "pii", "exact_dedup", "near_dedup", "decontaminate", "domain");

        // keep_top: about a third of the pool survives the domain stage
        Path out2 = tmp.resolve("dom-out2");
        CuratorResult r2 = Curator.run(c.withInputs(List.of(docs.toString()), out2.toString())
                .withDomain(new CurateConfig.Domain(seeds.resolve("docs").toString(), "bm25", 0.3, null, 1000)), p -> { });
        CurateReport.Stage d2 = r2.report().stages().stream().filter(s -> s.name().equals("domain")).findFirst().orElseThrow();
        assertThat((double) d2.docsKept() / d2.docsIn()).isBetween(0.2, 0.45);
    }

    @Test
    void everythingFilteredOutIsAOneLineErrorWithAReportAndNoCorpus() throws IOException {
        List<CurDoc> docs = List.of(new CurDoc(0, "a", "s", "please drop me"), new CurDoc(1, "b", "s", "drop too"));
        Path out = tmp.resolve("empty");
        Files.createDirectories(out);
        Files.writeString(out.resolve("docs.jsonl"), "{\"text\":\"old\"}\n"); // an earlier run's corpus
        assertThatThrownBy(() -> Curator.run(plan(docs), config(out, 16), p -> { }))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("all 2 documents were filtered out")
                .hasMessageContaining("drop dropped 2 (has_drop 2)")
                .hasMessageNotContaining("\n");
        assertThat(Files.exists(out.resolve("docs.jsonl"))).isFalse();
        assertThat(Files.readString(out.resolve("report.html"))).contains("please drop me");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("config.json", "report.html", "report.json");
        }
    }

    @Test
    void aFailingStageLeavesNoOutputBehind() throws IOException {
        DocStage boom = new DocStage() {
            public String name() { return "boom"; }

            public CurDoc apply(CurDoc d, StageReport r) {
                if (d.seq() == 150) throw new IllegalArgumentException("kaput");
                return d;
            }
        };
        List<CurDoc> docs = docs(300, 1);
        Path out = tmp.resolve("fail");
        Curator.Plan p = new Curator.Plan((sink, report) -> docs.forEach(sink), List.of(UPPER, new FirstOfText(), boom),
                List.of(), null, List.of());
        assertThatThrownBy(() -> Curator.run(p, config(out, 8), x -> { }))
                .hasMessageContaining("stage boom failed on document d150").hasMessageContaining("kaput");
        assertThat(out).as("the output folder this run created is removed").doesNotExist();
        Files.createDirectories(out);
        Files.writeString(out.resolve("docs.jsonl"), "{\"text\":\"old\"}\n");
        Curator.Plan again = new Curator.Plan((sink, report) -> docs.forEach(sink), List.of(UPPER, new FirstOfText(), boom),
                List.of(), null, List.of());
        assertThatThrownBy(() -> Curator.run(again, config(out, 8), x -> { })).hasMessageContaining("kaput");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(x -> x.getFileName().toString()).toList()).containsExactly("docs.jsonl");
        }
        assertThat(Files.readString(out.resolve("docs.jsonl"))).isEqualTo("{\"text\":\"old\"}\n");
    }

    @Test
    void aFailingSourceLeavesNoOutputBehind() throws IOException {
        Path out = tmp.resolve("fail-src");
        Curator.Plan p = new Curator.Plan((sink, report) -> {
            for (int i = 0; i < 1000; i++) sink.accept(new CurDoc(i, "d" + i, "s", "text " + i));
            throw new SeedlingException("disk went away");
        }, List.of(UPPER, new FirstOfText()), List.of(), null, List.of());
        assertThatThrownBy(() -> Curator.run(p, config(out, 8), x -> { })).isInstanceOf(SeedlingException.class)
                .hasMessage("disk went away");
        assertThat(out).doesNotExist();
    }

    @Test
    void prepassSeesEveryDocumentAfterTheStagesBeforeIt() {
        List<CurDoc> docs = docs(200, 5);
        java.util.concurrent.ConcurrentHashMap<Long, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        Curator.Plan p = new Curator.Plan((sink, report) -> docs.forEach(sink), List.of(UPPER, DROP, new FirstOfText()),
                List.of(new Curator.Counting(1, d -> seen.put(d.seq(), d.text()))), null, List.of());
        List<CuratorProgress> phases = new ArrayList<>();
        Curator.run(p, config(tmp.resolve("pre"), 16), phases::add);
        assertThat(seen).hasSize(200);
        assertThat(seen.get(10L)).isEqualTo(docs.get(10).text().toUpperCase(Locale.ROOT));
        assertThat(phases.getFirst().phase()).isEqualTo("count");
        assertThat(phases.getLast().phase()).isEqualTo("curate");
        assertThat(phases.getLast().docsRead()).isEqualTo(200);
        assertThatThrownBy(() -> new Curator.Plan((s, r) -> { }, List.of(new FirstOfText(), UPPER),
                List.of(new Curator.Counting(2, d -> { })), null, List.of()))
                .hasMessageContaining("only follow unordered stages");
    }

    @Test
    void refusesAForeignNonEmptyOutputFolderAndOneInsideTheInput() throws IOException {
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> Curator.run(plan(docs(5, 1)), config(out, 4), p -> { }))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("holds thesis.tex");
        assertThat(Files.readString(out.resolve("thesis.tex"))).isEqualTo("precious");
        Path in = tmp.resolve("corpus");
        Files.createDirectories(in);
        CurateConfig c = CurateConfig.defaults().withInputs(List.of(in.toString()), in.resolve("out").toString());
        assertThatThrownBy(() -> Curator.run(plan(docs(5, 1)), c, p -> { })).hasMessageContaining("inside the input folder");
    }
}
