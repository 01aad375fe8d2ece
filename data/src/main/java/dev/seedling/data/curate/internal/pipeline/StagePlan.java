package dev.seedling.data.curate.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.curate.Bm25Config;
import dev.seedling.data.curate.Bm25Scorer;
import dev.seedling.data.curate.C4Filter;
import dev.seedling.data.curate.CurDoc;
import dev.seedling.data.curate.CurateConfig;
import dev.seedling.data.curate.CurateReport;
import dev.seedling.data.curate.Curator;
import dev.seedling.data.curate.DecontaminationConfig;
import dev.seedling.data.curate.Decontaminator;
import dev.seedling.data.curate.DocStage;
import dev.seedling.data.curate.DomainFilter;
import dev.seedling.data.curate.DomainScorer;
import dev.seedling.data.curate.ExactDedup;
import dev.seedling.data.curate.ExactDedupConfig;
import dev.seedling.data.curate.GopherFilter;
import dev.seedling.data.curate.Ingest;
import dev.seedling.data.curate.IngestConfig;
import dev.seedling.data.curate.LanguageIdFilter;
import dev.seedling.data.curate.LinearClassifier;
import dev.seedling.data.curate.LinearClassifierConfig;
import dev.seedling.data.curate.MinHashConfig;
import dev.seedling.data.curate.NearDedup;
import dev.seedling.data.curate.PiiConfig;
import dev.seedling.data.curate.PiiRedactor;
import dev.seedling.data.curate.QualityFilter;
import dev.seedling.data.curate.RepeatedLines;
import dev.seedling.data.curate.StageReport;
import dev.seedling.data.curate.TextCleaner;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds the {@link Curator.Plan} a {@link CurateConfig} asks for: the ingestion source and the stages in pipeline
 * order, each configured from its config section. Unordered helper stages (hashing, MinHash signatures) are placed
 * just before the ordered deduplicators so the expensive part runs on every thread.
 */
public final class StagePlan {
    private StagePlan() {}

    /** MinHash hash functions are fixed so that a re-run makes the same decisions. */
    private static final long MINHASH_SEED = MinHashConfig.DEFAULT.seed();

    public static Curator.Plan build(CurateConfig c) {
        List<DocStage> stages = new ArrayList<>();
        List<DocStage> helpers = new ArrayList<>(); // unordered helpers of the ordered stages
        List<DocStage> ordered = new ArrayList<>();
        List<Curator.Counting> prepasses = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        // ---- clean ----
        CurateConfig.Clean cl = c.clean();
        if (cl.enabled()) {
            Normalizer.Form form = switch (cl.normalization()) {
                case "NFC" -> Normalizer.Form.NFC;
                case "NFKC" -> Normalizer.Form.NFKC;
                default -> null;
            };
            stages.add(new TextCleaner(new TextCleaner.Config(form, true, cl.maxBlankLines(), cl.collapseSpaces())));
        }
        if (cl.repeatedLines()) {
            RepeatedLines.Config d = RepeatedLines.Config.defaults();
            RepeatedLines.Config rc = new RepeatedLines.Config(cl.repeatedLineMinDocs(), cl.repeatedLineMinFraction(),
                    cl.repeatedLineMinChars(), d.keepStructural(), d.edgeLines(), d.removePageNumbers(), d.sampleFraction());
            RepeatedLines.Counter counter = new RepeatedLines.Counter(rc);
            Deferred removal = new Deferred("repeated_lines");
            prepasses.add(new Curator.Counting(stages.size(), new Curator.Prepass() {
                @Override
                public void observe(CurDoc doc) {
                    counter.add(doc);
                }

                @Override
                public void finish() {
                    removal.delegate = counter.build();
                }
            }));
            stages.add(removal);
        }

        // ---- quality ----
        CurateConfig.Quality q = c.quality();
        if (q.enabled()) {
            QualityFilter.Selection sel = new QualityFilter.Selection(QualityFilter.Preset.parse(q.preset()), true, Map.of());
            Integer minWords = q.minWords();
            if (q.minInformation()) stages.add(new QualityFilter.MinInformation(d -> sel.presetFor(d).minInformation()));
            if (q.gopher()) stages.add(new GopherFilter(d -> withMinWords(sel.presetFor(d).gopher(), minWords)));
            if (q.c4()) stages.add(new C4Filter(d -> sel.presetFor(d).c4()));
        }

        // ---- language ----
        CurateConfig.Language lang = c.language();
        LanguageIdFilter langFilter = null;
        if (lang.enabled()) {
            langFilter = new LanguageIdFilter(new LanguageIdFilter.Config(new LinkedHashSet<>(lang.languages()),
                    lang.keepUndetermined(), lang.minConfidence()));
            stages.add(langFilter);
        }

        // ---- PII ----
        PiiRedactor pii = null;
        if (c.pii().enabled() && !c.pii().types().isEmpty()) {
            pii = new PiiRedactor(PiiConfig.ofKeys(c.pii().types()));
            stages.add(pii);
        }

        // ---- dedup: hashing and signatures on every thread, decisions in order ----
        ExactDedup exact = null;
        if (c.exactDedup().enabled()) {
            exact = new ExactDedup(new ExactDedupConfig(true, c.exactDedup().lowercase(), true,
                    c.exactDedup().ignorePunctuation()));
            helpers.add(exact.hasher());
            ordered.add(exact);
        }
        NearDedup near = null;
        if (c.nearDedup().enabled()) {
            CurateConfig.NearDedup n = c.nearDedup();
            near = new NearDedup(new MinHashConfig(n.shingleWords(), n.bands(), n.rows(), n.threshold(), MINHASH_SEED));
            helpers.add(near.signer());
            ordered.add(near);
        }
        int firstOrdered = stages.size(); // the domain pre-pass samples the pool here, before any ordered stage
        stages.addAll(helpers);
        stages.addAll(ordered);

        // ---- decontamination ----
        Decontaminator decon = null;
        if (c.decontamination().enabled()) {
            CurateConfig.Decontamination d = c.decontamination();
            decon = new Decontaminator(evalItems(Path.of(d.evalFile())),
                    new DecontaminationConfig(d.ngram(), d.minItemWords()));
            stages.add(decon);
        }

        // ---- domain relevance: pool statistics from a sample taken in the pre-pass, before dedup ----
        if (c.domain().enabled()) {
            CurateConfig.Domain dc = c.domain();
            List<String> seeds = seedTexts(Path.of(dc.seedDocs()), c);
            Deferred domain = new Deferred("domain");
            PoolSample sample = new PoolSample(dc.sampleDocs());
            prepasses.add(new Curator.Counting(firstOrdered, new Curator.Prepass() {
                @Override
                public void observe(CurDoc doc) {
                    sample.offer(doc);
                }

                @Override
                public void finish() {
                    List<String> pool = sample.texts();
                    if (pool.isEmpty()) pool = List.of(" ");
                    DomainScorer scorer = dc.method().equals("classifier")
                            ? LinearClassifier.train(seeds, pool, LinearClassifierConfig.DEFAULT)
                            : Bm25Scorer.fit(pool, seeds, Bm25Config.DEFAULT);
                    double threshold = dc.keepTop() != null
                            ? DomainFilter.quotaThreshold(DomainFilter.scoreAll(scorer, pool), dc.keepTop())
                            : dc.minScore() != null ? dc.minScore() : 0.0;
                    domain.delegate = new DomainFilter(scorer, threshold);
                }
            }));
            stages.add(domain);
        }

        String piiName = pii == null ? null : pii.name(), langName = langFilter == null ? null : langFilter.name();
        NearDedup nearDedup = near;
        ExactDedup exactDedup = exact;
        Decontaminator decontaminator = decon;
        Curator.Extras extras = new Curator.Extras() {
            @Override
            public Map<String, Long> pii(List<CurateReport.Stage> done) {
                Map<String, Long> out = new TreeMap<>();
                Set<String> keys = new HashSet<>(CurateConfig.PII_TYPES);
                find(done, piiName).ifPresent(s -> s.counts().forEach((k, v) -> {
                    if (keys.contains(k)) out.put(k, v);
                }));
                return out;
            }

            @Override
            public Map<String, Long> languages(List<CurateReport.Stage> done) {
                Map<String, Long> out = new TreeMap<>();
                find(done, langName).ifPresent(s -> s.counts().forEach((k, v) -> {
                    int colon = k.indexOf(':');
                    if (colon > 0 && (k.startsWith("kept:") || k.startsWith("lang:"))) out.merge(k.substring(colon + 1), v, Long::sum);
                }));
                return out;
            }

            @Override
            public List<CurateReport.Cluster> clusters(int max) {
                if (nearDedup == null) return List.of();
                return nearDedup.topClusters(max).stream().map(cl -> new CurateReport.Cluster(cl.representativeId(),
                        cl.size(), cl.members().stream().limit(10).map(NearDedup.Member::id).toList(), cl.excerpt())).toList();
            }

            @Override
            public Map<String, Long> indexBytes() {
                Map<String, Long> out = new TreeMap<>();
                if (exactDedup != null) out.put(exactDedup.name(), exactDedup.indexBytes());
                if (nearDedup != null) out.put(nearDedup.name(), nearDedup.indexBytes());
                if (decontaminator != null) out.put(decontaminator.name(), decontaminator.indexBytes());
                return out;
            }

            @Override
            public List<String> notes() {
                List<String> out = new ArrayList<>();
                if (decontaminator != null) {
                    for (Decontaminator.Leak l : decontaminator.leaks()) {
                        out.add("evaluation item " + l.item() + " (\"" + l.itemExcerpt() + "\") appears in " + l.documents()
                                + " training document(s), first " + l.firstDocId() + "; dropped");
                        if (out.size() == 20) break;
                    }
                    if (decontaminator.ignoredItems() > 0) {
                        out.add(decontaminator.ignoredItems() + " evaluation items were too short to check for leaks");
                    }
                }
                return out;
            }
        };
        return new Curator.Plan(source(c), stages, prepasses, extras, warnings);
    }

    private static java.util.Optional<CurateReport.Stage> find(List<CurateReport.Stage> stages, String name) {
        if (name == null) return java.util.Optional.empty();
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A stage built only after the pre-pass (repeated-line removal needs the counts). */
    static final class Deferred implements DocStage {
        private final String name;
        volatile DocStage delegate;

        Deferred(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CurDoc apply(CurDoc doc, StageReport report) {
            DocStage d = delegate;
            if (d == null) throw new IllegalStateException(name + " ran before its counting pre-pass");
            return d.apply(doc, report);
        }
    }

    /**
     * A deterministic sample of the pool for the domain scorer: the {@code size} documents with the smallest hash of
     * their seq (independent of thread timing), each cut to {@value #SAMPLE_CHARS} chars, returned in seq order.
     */
    static final class PoolSample {
        static final int SAMPLE_CHARS = 20_000;
        private record Entry(long hash, long seq, String text) {}

        private final int size;
        private final java.util.PriorityQueue<Entry> heap; // max-heap on hash

        PoolSample(int size) {
            this.size = size;
            this.heap = new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(Entry::hash).reversed());
        }

        void offer(CurDoc doc) {
            long h = dev.seedling.data.internal.SplitMix.mix64(doc.seq() * 0x9E3779B97F4A7C15L + 0x5EED);
            synchronized (heap) {
                if (heap.size() == size && heap.peek().hash() <= h) return;
                String t = doc.text();
                heap.add(new Entry(h, doc.seq(), t.length() <= SAMPLE_CHARS ? t : t.substring(0, SAMPLE_CHARS)));
                if (heap.size() > size) heap.poll();
            }
        }

        List<String> texts() {
            synchronized (heap) {
                return heap.stream().sorted(java.util.Comparator.comparingLong(Entry::seq)).map(Entry::text).toList();
            }
        }
    }

    /** The seed documents: every document ingest finds at {@code path} (folder, file or JSONL), cleaned as configured. */
    static List<String> seedTexts(Path path, CurateConfig c) {
        if (!Files.exists(path)) {
            throw new SeedlingException("the seed documents " + path + " do not exist; give --seed-docs a folder or JSONL of in-domain documents");
        }
        CurateConfig seedConfig = c.withInputs(List.of(path.toString()), c.output());
        List<String> out = new ArrayList<>();
        StageReport ignored = new StageReport("seeds", 1);
        source(seedConfig).forEach(d -> out.add(d.text()), ignored);
        if (out.isEmpty()) throw new SeedlingException("no seed documents found in " + path + "; give --seed-docs a folder or JSONL of in-domain documents");
        return out;
    }

    static GopherFilter.Config withMinWords(GopherFilter.Config g, Integer minWords) {
        if (minWords == null) return g;
        return new GopherFilter.Config(minWords, g.maxWords(), g.minMeanWordLength(), g.maxMeanWordLength(), g.maxHashRatio(),
                g.ignoreHeadingHashes(), g.maxEllipsisRatio(), g.maxBulletLineRatio(), g.maxEllipsisLineRatio(),
                g.minAlphaWordRatio(), g.minStopWords(), g.undeterminedFailsStopWords(), g.maxDupLineFraction(),
                g.maxDupLineCharFraction(), g.maxDupParagraphFraction(), g.maxDupParagraphCharFraction(),
                g.topNgramMaxFraction(), g.dupNgramMaxFraction());
    }

    /**
     * Evaluation items: for a {@code .jsonl} file every string field of each record (the text field, questions,
     * answers, choices) is one item; for any other file every non-blank line is one item.
     */
    static List<String> evalItems(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SeedlingException("the evaluation file " + file + " does not exist; give --eval a JSONL or text file");
        }
        List<String> items = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean jsonl = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jsonl");
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                if (!jsonl) {
                    items.add(line.strip());
                    continue;
                }
                JsonNode node;
                try {
                    node = EVAL_JSON.readTree(line);
                } catch (IOException e) {
                    throw new SeedlingException(file + " line " + (i + 1) + " is not valid JSON; fix or remove it");
                }
                collectStrings(node, items);
            }
        } catch (IOException e) {
            throw new SeedlingException("cannot read the evaluation file " + file + ": " + e);
        }
        if (items.isEmpty()) throw new SeedlingException("the evaluation file " + file + " holds no items");
        return items;
    }

    private static final ObjectMapper EVAL_JSON = new ObjectMapper();

    private static void collectStrings(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            if (!node.asText().isBlank()) out.add(node.asText());
        } else if (node.isContainerNode()) {
            for (JsonNode child : node) collectStrings(child, out);
        }
    }

    /** Ingests every input in order, numbering documents across them; skipped files are booked on the ingest report. */
    static Curator.Source source(CurateConfig c) {
        CurateConfig.Ingest i = c.ingest();
        IngestConfig ic = IngestConfig.defaults().withMaxFileBytes(i.maxFileMb() << 20).withMaxChars(i.maxChars())
                .withTextField(i.textField());
        ic = new IngestConfig(ic.textField(), i.sourceField(), ic.maxFileBytes(), ic.maxChars(), ic.maxInflatedBytes(),
                i.includeCode(), c.run().examples(), true);
        IngestConfig config = ic;
        List<Path> inputs = c.inputs().stream().map(Path::of).toList();
        boolean prefix = inputs.size() > 1;
        return (Consumer<CurDoc> sink, StageReport report) -> {
            long next = 0;
            for (Path in : inputs) {
                Ingest ingest = Ingest.open(in, config);
                String top = in.getFileName() == null ? in.toString() : in.getFileName().toString();
                for (CurDoc d : ingest) {
                    sink.accept(new CurDoc(next++, prefix ? top + "/" + d.id() : d.id(), d.source(), d.text()));
                }
                book(ingest, report);
            }
        };
    }

    private static void book(Ingest ingest, StageReport report) {
        var stats = ingest.stats();
        stats.skipped().forEach((reason, n) -> report.count("skipped:" + reason, n));
        stats.notes().forEach((note, n) -> report.count("note:" + note, n));
        long k = 0;
        for (Map.Entry<String, List<String>> e : stats.skipExamples().entrySet()) {
            for (String path : e.getValue()) {
                report.example("skipped:" + e.getKey(), new CurDoc(k++, path, "", path), "(file " + path + ")");
            }
        }
    }
}
