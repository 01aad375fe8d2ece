package dev.seedling.data.curate.internal.pipeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.seedling.data.curate.CurDoc;
import dev.seedling.data.curate.CurateConfig;
import dev.seedling.data.curate.CurateReport;
import dev.seedling.data.curate.Curator;
import dev.seedling.data.curate.CuratorProgress;
import dev.seedling.data.curate.CuratorResult;
import dev.seedling.data.curate.DocStage;
import dev.seedling.data.curate.ReportHtml;
import dev.seedling.data.curate.StageReport;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** One run of {@link Curator}: the pre-pass, the streaming pass, {@code docs.jsonl} and the reports. */
public final class CurationRun {
    private CurationRun() {}

    public static final String DOCS = "docs.jsonl", REPORT_JSON = "report.json", REPORT_HTML = "report.html",
            CONFIG = "config.json";
    private static final Set<String> OURS = Set.of(DOCS, REPORT_JSON, REPORT_HTML, CONFIG);
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    /** Books ingested documents on the ingest report (in = kept = documents produced, with their size). */
    private static final DocStage INGESTED = new DocStage() {
        @Override
        public String name() {
            return "ingest";
        }

        @Override
        public CurDoc apply(CurDoc doc, StageReport report) {
            return doc;
        }
    };

    public static CuratorResult run(Curator.Plan plan, CurateConfig config, Consumer<CuratorProgress> progress) {
        if (config.inputs().isEmpty()) throw new SeedlingException("curate: no input given; name folders, files or .jsonl dumps");
        if (config.output() == null) throw new SeedlingException("curate: no output folder given; use --out DIR");
        Path out = Path.of(config.output());
        List<Path> inputs = config.inputs().stream().map(Path::of).toList();
        checkOutput(out, inputs);
        long totalBytes = inputBytes(inputs);
        CurateConfig.Run rc = config.run();
        BatchPipeline.Settings settings = new BatchPipeline.Settings(rc.batchDocs(), (long) rc.batchMb() << 20, 2);
        long start = System.nanoTime();

        if (!plan.prepasses().isEmpty()) prepass(plan, settings, totalBytes, progress);

        // ---- the streaming pass ----
        StageReport ingest = new StageReport("ingest", rc.examples());
        List<BatchPipeline.Step> steps = new ArrayList<>();
        for (DocStage s : plan.stages()) steps.add(new BatchPipeline.Step(s, new StageReport(s.name(), rc.examples())));
        LengthHistogram before = new LengthHistogram(), after = new LengthHistogram();
        LongAdder docsRead = new LongAdder(), bytesRead = new LongAdder();
        ConcurrentHashMap<String, LongAdder> sourceIn = new ConcurrentHashMap<>();
        Map<String, long[]> sourceKept = new TreeMap<>();
        long passStart = System.nanoTime();

        boolean created = !Files.exists(out);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new SeedlingException("cannot create " + out + ": " + e + "; check the path and permissions", e);
        }
        Path docsFile = out.resolve(DOCS);
        Path tmp = AtomicFiles.tempSibling(docsFile, ".tmp");
        long[] written = {0, 0}; // docs, bytes
        boolean done = false;
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 OutputStream os = new BufferedOutputStream(fos, 1 << 20);
                 JsonGenerator gen = new JsonFactory().createGenerator(os, JsonEncoding.UTF8)) {
                gen.setRootValueSeparator(null);
                long[] lastProgress = {System.nanoTime()};
                BatchPipeline.run(
                        sink -> plan.source().forEach(doc -> sink.accept(ingest.run(INGESTED, doc)), ingest),
                        doc -> {
                            long bytes = Utf8.length(doc.text());
                            before.add(bytes);
                            docsRead.increment();
                            bytesRead.add(bytes);
                            if (sourceIn.size() < CurateReport.MAX_SOURCES || sourceIn.containsKey(doc.source())) {
                                sourceIn.computeIfAbsent(doc.source(), k -> new LongAdder()).increment();
                            }
                        },
                        steps, settings, new BatchPipeline.Sink() {
                            @Override
                            public void accept(CurDoc doc) {
                                long bytes = Utf8.length(doc.text());
                                after.add(bytes);
                                written[0]++;
                                written[1] += bytes;
                                long[] k = sourceKept.get(doc.source());
                                if (k == null && sourceKept.size() < CurateReport.MAX_SOURCES) sourceKept.put(doc.source(), k = new long[1]);
                                if (k != null) k[0]++;
                                writeDoc(gen, doc);
                            }

                            @Override
                            public void batchDone() {
                                long now = System.nanoTime();
                                if (now - lastProgress[0] < PROGRESS_NANOS) return;
                                lastProgress[0] = now;
                                progress.accept(new CuratorProgress("curate", docsRead.sum(), bytesRead.sum(), totalBytes,
                                        written[0], written[1], Duration.ofNanos(now - passStart), false));
                            }
                        });
                gen.flush();
                os.flush();
                fos.getChannel().force(true);
            }
            progress.accept(new CuratorProgress("curate", docsRead.sum(), bytesRead.sum(), totalBytes, written[0],
                    written[1], Duration.ofNanos(System.nanoTime() - passStart), true));

            double seconds = (System.nanoTime() - start) / 1e9;
            CurateReport report = report(plan, config, inputs, out, ingest, steps, before, after, docsRead.sum(),
                    bytesRead.sum(), written, seconds, sourceIn, sourceKept);
            if (written[0] == 0) {
                AtomicFiles.deleteQuietly(tmp);
                tmp = null;
                Files.deleteIfExists(docsFile); // an older corpus would not match this folder's report
                writeReports(out, config, report);
                done = true; // the reports stay: they say why nothing was kept
                throw new SeedlingException(emptyMessage(report, out));
            }
            AtomicFiles.moveAtomically(tmp, docsFile);
            tmp = null;
            AtomicFiles.syncDirectory(out);
            writeReports(out, config, report);
            done = true;
            return new CuratorResult(out, docsFile, out.resolve(REPORT_JSON), out.resolve(REPORT_HTML), report);
        } catch (IOException e) {
            throw new SeedlingException("cannot write " + docsFile + ": " + e + "; check free space and permissions", e);
        } catch (UncheckedIOException e) {
            throw new SeedlingException("cannot write " + docsFile + ": " + e.getCause() + "; check free space and permissions", e);
        } finally {
            if (tmp != null) AtomicFiles.deleteQuietly(tmp);
            if (!done && created) {
                try {
                    Files.deleteIfExists(out); // only when still empty: a folder this run made and filled with nothing
                } catch (IOException ignored) {
                    // not empty or not removable: leave it
                }
            }
        }
    }

    /**
     * Runs the pre-passes, one pass over the input per distinct position in increasing order (so a pre-pass may
     * follow a stage that an earlier pre-pass builds): the source and the stages before the position run again with
     * throw-away reports, then the pre-passes of that position observe every document and are finished.
     */
    private static void prepass(Curator.Plan plan, BatchPipeline.Settings settings, long totalBytes,
                                Consumer<CuratorProgress> progress) {
        java.util.TreeSet<Integer> positions = new java.util.TreeSet<>();
        for (Curator.Counting c : plan.prepasses()) positions.add(c.position());
        for (int end : positions) {
            List<BatchPipeline.Step> steps = new ArrayList<>();
            for (int i = 0; i < end; i++) {
                steps.add(new BatchPipeline.Step(plan.stages().get(i), new StageReport(plan.stages().get(i).name(), 1)));
            }
            List<Curator.Prepass> here = plan.prepasses().stream().filter(c -> c.position() == end).map(Curator.Counting::pass).toList();
            for (Curator.Prepass p : here) steps.add(new BatchPipeline.Step(observing(p), new StageReport("count", 1)));
            // (StageReport with 0 examples would trip StageReport.example on an empty list, hence 1)
            StageReport ignored = new StageReport("ingest", 1);
            LongAdder docs = new LongAdder(), bytes = new LongAdder();
            long t0 = System.nanoTime();
            long[] last = {t0};
            BatchPipeline.run(sink -> plan.source().forEach(sink, ignored), doc -> {
                docs.increment();
                bytes.add(Utf8.length(doc.text()));
            }, steps, settings, new BatchPipeline.Sink() {
                @Override
                public void accept(CurDoc doc) {}

                @Override
                public void batchDone() {
                    long now = System.nanoTime();
                    if (now - last[0] < PROGRESS_NANOS) return;
                    last[0] = now;
                    progress.accept(new CuratorProgress("count", docs.sum(), bytes.sum(), totalBytes, 0, 0, Duration.ofNanos(now - t0), false));
                }
            });
            for (Curator.Prepass p : here) p.finish();
            progress.accept(new CuratorProgress("count", docs.sum(), bytes.sum(), totalBytes, 0, 0,
                    Duration.ofNanos(System.nanoTime() - t0), true));
        }
    }

    private static DocStage observing(Curator.Prepass pass) {
        return new DocStage() {
            @Override
            public String name() {
                return "count";
            }

            @Override
            public CurDoc apply(CurDoc doc, StageReport report) {
                pass.observe(doc);
                return doc;
            }
        };
    }

    private static void writeDoc(JsonGenerator gen, CurDoc doc) {
        try {
            gen.writeStartObject();
            gen.writeStringField("id", Utf8.wellFormed(doc.id()));
            gen.writeStringField("text", Utf8.wellFormed(doc.text()));
            gen.writeStringField("source", Utf8.wellFormed(doc.source()));
            gen.writeEndObject();
            gen.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CurateReport report(Curator.Plan plan, CurateConfig config, List<Path> inputs, Path out,
                                       StageReport ingest, List<BatchPipeline.Step> steps, LengthHistogram before,
                                       LengthHistogram after, long docsIn, long bytesIn, long[] written, double seconds,
                                       Map<String, LongAdder> sourceIn, Map<String, long[]> sourceKept) {
        List<CurateReport.Stage> stages = new ArrayList<>();
        stages.add(CurateReport.stage(ingest, false));
        for (BatchPipeline.Step s : steps) stages.add(CurateReport.stage(s.report(), s.stage().ordered()));
        Map<String, CurateReport.SourceCounts> sources = new TreeMap<>();
        sourceIn.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            long[] k = sourceKept.get(e.getKey());
            sources.put(e.getKey(), new CurateReport.SourceCounts(e.getValue().sum(), k == null ? 0 : k[0]));
        });
        Curator.Extras x = plan.extras();
        List<String> warnings = new ArrayList<>(plan.warnings());
        warnings.addAll(x.notes());
        return new CurateReport(config.inputs(), out.toString(), new CurateReport.Totals(docsIn, bytesIn),
                new CurateReport.Totals(written[0], written[1]), seconds, seconds > 0 ? bytesIn / 1e6 / seconds : 0,
                Parallel.threads(), skipped(ingest.counts()), stages, buckets(before), buckets(after), new TreeMap<>(x.pii(stages)),
                new TreeMap<>(x.languages(stages)), x.clusters(config.run().clusters()), sources, new TreeMap<>(x.indexBytes()), config.toTree(),
                warnings);
    }

    /** The ingest counters named {@code skipped:REASON}, by reason. */
    private static Map<String, Long> skipped(Map<String, Long> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith("skipped:")) out.put(k.substring(8), v);
        });
        return out;
    }

    private static List<CurateReport.Bucket> buckets(LengthHistogram h) {
        return h.buckets().stream().map(b -> new CurateReport.Bucket(b.from(), b.to(), b.count())).toList();
    }

    private static void writeReports(Path out, CurateConfig config, CurateReport report) {
        AtomicFiles.writeString(out.resolve(CONFIG), config.toJson());
        AtomicFiles.writeString(out.resolve(REPORT_JSON), report.toJson());
        AtomicFiles.writeString(out.resolve(REPORT_HTML), ReportHtml.render(report));
    }

    /** "all 12 documents were filtered out (gopher: too_few_words 7, …); see DIR/report.html". */
    private static String emptyMessage(CurateReport report, Path out) {
        if (report.input().docs() == 0) {
            String skipped = report.skippedFiles().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            return "curate: no documents found in " + String.join(", ", report.inputs())
                    + (skipped.isEmpty() ? "" : " (skipped: " + skipped + ")")
                    + "; point to folders of text, HTML, PDF or Office files, or .jsonl dumps; report in " + out.resolve(REPORT_HTML);
        }
        List<String> reasons = new ArrayList<>();
        for (CurateReport.Stage s : report.stages()) {
            if (s.docsDropped() == 0) continue;
            String top = s.counts().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(2).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            reasons.add(s.name() + " dropped " + s.docsDropped() + (top.isEmpty() ? "" : " (" + top + ")"));
        }
        return "curate: all " + report.input().docs() + " documents were filtered out: " + String.join("; ", reasons)
                + "; loosen those stages (see curate --help) — report in " + out.resolve(REPORT_HTML);
    }

    /** Refuses an output that is a file, lies inside an input folder, or is a non-empty folder other than ours. */
    private static void checkOutput(Path out, List<Path> inputs) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new SeedlingException(out + " is a file; give a new or empty folder for the curated corpus");
        }
        Path o = out.toAbsolutePath().normalize();
        for (Path in : inputs) {
            Path i = in.toAbsolutePath().normalize();
            if (Files.isDirectory(in) && o.startsWith(i)) {
                throw new SeedlingException(out + " is inside the input folder " + in + "; put the output outside the inputs");
            }
            if (!Files.exists(in)) {
                throw new SeedlingException(in + " does not exist; name folders, files or .jsonl dumps to curate");
            }
        }
        if (!Files.isDirectory(out)) return;
        try (Stream<Path> entries = Files.list(out)) {
            for (Path p : entries.sorted(Comparator.naturalOrder()).toList()) {
                String name = p.getFileName().toString();
                boolean ours = Files.isRegularFile(p) && (OURS.contains(name) || (name.startsWith(".") && name.endsWith(".tmp")));
                if (!ours) {
                    throw new SeedlingException(out + " is not empty and is not a `seedling curate` output (it holds "
                            + name + "); choose a new or empty folder, nothing was written");
                }
            }
        } catch (IOException e) {
            throw new SeedlingException("cannot list " + out + ": " + e + "; check its permissions", e);
        }
    }

    /** Bytes of the input files (walked), for the progress bar. */
    private static long inputBytes(List<Path> inputs) {
        long total = 0;
        for (Path in : inputs) {
            try (Stream<Path> walk = Files.walk(in)) {
                total += walk.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        return 0;
                    }
                }).sum();
            } catch (IOException | UncheckedIOException e) {
                // unreadable parts are reported by ingestion
            }
        }
        return total;
    }
}
