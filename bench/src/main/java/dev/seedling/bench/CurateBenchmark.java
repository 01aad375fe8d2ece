package dev.seedling.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.seedling.data.curate.CurateConfig;
import dev.seedling.data.curate.CurateReport;
import dev.seedling.data.curate.Curator;
import dev.seedling.data.curate.CuratorResult;
import dev.seedling.data.curate.CurDoc;
import dev.seedling.data.curate.DocStage;
import dev.seedling.data.curate.StageReport;
import dev.seedling.data.demo.DemoCorpus;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code seedling bench curate}: generates a corpus of {@code sizeMb} MB of text (not timed), runs the whole curation
 * pipeline on it with every default stage on (near-dedup included), and reports MB/s end to end and per stage, peak
 * memory and the dedup index size per document.
 *
 * <p>The corpus: the demo domain's documents (a few MB from {@link DemoCorpus}) rewritten into fresh documents —
 * numbers redrawn, 30% of the words replaced by other words of the corpus, paragraphs reordered — so that documents
 * are distinct (a 5-word shingle survives with probability 0.7^5 ≈ 0.17) while keeping technical prose statistics;
 * mixed with 5% exact copies, 5% near duplicates (one sentence changed), 5% documents with personal data and 5%
 * boilerplate-heavy documents (navigation, cookie and copyright lines). Written as 64 MB JSONL shards.
 *
 * <p>Memory: after generation, the peak RSS is reset ({@code /proc/self/clear_refs}); a sampler records the largest
 * heap in use (garbage included, so it follows the heap limit more than the data); at the end a full GC gives the
 * live set, which is the dedup indexes plus a constant. Run two sizes, or a small {@code -Xmx}, to see that memory
 * does not grow with the corpus except for the dedup indexes (reported in bytes per kept document).
 */
public final class CurateBenchmark {
    private CurateBenchmark() {}

    /**
     * @param sizeMb  corpus size in MB of text
     * @param workDir where the corpus and output go (null: a temp folder, deleted at the end)
     * @param keep    keep the corpus and output
     */
    public record Options(int sizeMb, Path workDir, boolean keep) {
        public Options {
            if (sizeMb < 1) throw new SeedlingException("bench curate: --size-mb must be at least 1, got " + sizeMb);
        }
    }

    public static Map<String, Object> run(Options o, PrintStream out) {
        Path work;
        boolean ownFolder = o.workDir() == null;
        try {
            if (!ownFolder && Files.exists(o.workDir())) {
                try (Stream<Path> s = Files.list(o.workDir())) {
                    if (s.findAny().isPresent()) {
                        throw new SeedlingException("bench curate: --work-dir " + o.workDir() + " is not empty; give a new or empty folder");
                    }
                }
            }
            work = ownFolder ? Files.createTempDirectory("seedling-bench-curate") : Files.createDirectories(o.workDir());
        } catch (IOException e) {
            throw new SeedlingException("bench curate: cannot create a work folder: " + e);
        }
        try {
            out.printf(Locale.ROOT, "bench curate: generating %d MB of documents in %s (not timed)…%n", o.sizeMb(), work);
            long g0 = System.nanoTime();
            Generated gen = generate(work, (long) o.sizeMb() * 1_000_000L);
            out.printf(Locale.ROOT, "  %,d documents, %.1f MB of text, %.1f MB of JSONL in %d files (%.0f s)%n", gen.docs,
                    gen.textBytes / 1e6, gen.fileBytes / 1e6, gen.files, (System.nanoTime() - g0) / 1e9);

            CurateConfig cfg = CurateConfig.defaults().withInputs(List.of(gen.dir.toString()), work.resolve("out").toString());
            Curator.Plan plan = Curator.plan(cfg);
            boolean[] mainPass = {false};
            List<CpuTimed> timed = new ArrayList<>();
            List<DocStage> stagesTimed = new ArrayList<>();
            for (DocStage s : plan.stages()) {
                CpuTimed t = new CpuTimed(s, mainPass);
                timed.add(t);
                stagesTimed.add(t);
            }
            plan = new Curator.Plan(plan.source(), stagesTimed, plan.prepasses(), plan.extras(), plan.warnings());
            System.gc();
            resetPeakRss();
            LiveSetSampler sampler = new LiveSetSampler();
            sampler.start();
            Map<Long, Long> threadCpu0 = threadCpu();
            long cpu0 = processCpuNanos(), t0 = System.nanoTime();
            CuratorResult r = Curator.run(plan, cfg, p -> {
                if (p.phase().equals("count") && p.finished()) mainPass[0] = true;
            });
            double seconds = (System.nanoTime() - t0) / 1e9, cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            sampler.stop();
            System.gc(); // the plan (and its dedup indexes) is still referenced: this is the live set at the end
            double liveEndMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
            Map<String, Double> byThread = threadCpuSince(threadCpu0, sampler);
            CurateReport rep = r.report();

            double mb = gen.textBytes / 1e6, threads = Parallel.threads();
            double cpuPerMb = cpuSeconds / mb;
            out.printf(Locale.ROOT, "  curated on %d threads in %.1f s wall: %.1f MB/s end to end (text), %.1f MB/s of JSONL input%n",
                    Parallel.threads(), seconds, mb / seconds, gen.fileBytes / 1e6 / seconds);
            out.printf(Locale.ROOT, "  CPU: %.1f s (%.3f CPU-s per MB, %.1f MB/s per busy core); on %d dedicated cores at most %.1f MB/s%n",
                    cpuSeconds, cpuPerMb, 1 / cpuPerMb, (int) threads, threads / cpuPerMb);
            out.printf(Locale.ROOT, "  %-22s %10s %10s %10s %9s %9s %12s%n", "stage", "docs in", "dropped", "changed", "wall-s", "cpu-s*", "MB/s/core");
            Map<String, Object> stages = new LinkedHashMap<>();
            for (CurateReport.Stage s : rep.stages()) {
                CpuTimed t = timed.stream().filter(x -> x.name().equals(s.name())).findFirst().orElse(null);
                double cpu = t == null ? Double.NaN : t.seconds(1);
                double rate = t == null ? s.mcharsPerS() : s.charsIn() / 1e6 / cpu;
                out.printf(Locale.ROOT, "  %-22s %,10d %,10d %,10d %9.2f %9.2f %12.1f%n", s.name(), s.docsIn(), s.docsDropped(),
                        s.docsChanged(), s.seconds(), cpu, rate);
                stages.put(s.name(), rate);
            }
            double javaThreads = byThread.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder tb = new StringBuilder();
            byThread.forEach((k, v) -> tb.append(String.format(Locale.ROOT, "%s %.1f s, ", k, v)));
            out.printf(Locale.ROOT, "  CPU by thread: %sJVM (GC, JIT) %.1f s%n", tb, cpuSeconds - javaThreads);
            double prepassCpu = timed.stream().mapToDouble(x -> x.seconds(0)).sum();
            out.printf(Locale.ROOT, "  (* estimated from every %dth document; wall-s also counts time the thread waited for a core)%n", CpuTimed.EVERY);
            if (prepassCpu > 0) out.printf(Locale.ROOT, "  (the counting pre-pass re-ran the early stages for %.2f CPU-s)%n", prepassCpu);
            long indexBytes = rep.indexBytes().values().stream().mapToLong(Long::longValue).sum();
            double perDoc = rep.kept().docs() == 0 ? 0 : (double) indexBytes / rep.kept().docs();
            out.printf(Locale.ROOT, "  kept %,d of %,d documents; dedup indexes %.1f MB (%.0f bytes per kept document)%n",
                    rep.kept().docs(), rep.input().docs(), indexBytes / 1e6, perDoc);
            double rss = TrainBenchmark.peakRssMb();
            out.printf(Locale.ROOT, "  memory: peak RSS %.0f MB (since generation), peak heap in use %.0f MB (garbage included), "
                    + "live heap at the end %.0f MB (after a full GC, dedup indexes included), heap limit %.0f MB%n",
                    rss, sampler.peakUsedMb, liveEndMb, Runtime.getRuntime().maxMemory() / 1e6);
            Reference.reachabilityFence(plan);

            Map<String, Object> f = new LinkedHashMap<>();
            f.put("bench", "curate");
            f.put("size_mb", o.sizeMb());
            f.put("threads", Parallel.threads());
            f.put("docs", rep.input().docs());
            f.put("kept_docs", rep.kept().docs());
            f.put("seconds", seconds);
            f.put("mb_per_s", gen.textBytes / 1e6 / seconds);
            f.put("cpu_s_per_mb", cpuPerMb);
            f.put("cpu_bound_mb_per_s", threads / cpuPerMb);
            f.put("input_file_mb_per_s", gen.fileBytes / 1e6 / seconds);
            f.put("stage_mb_per_s_per_thread", stages);
            f.put("dedup_index_bytes_per_doc", perDoc);
            f.put("peak_rss_mb", rss);
            f.put("peak_heap_used_mb", sampler.peakUsedMb);
            f.put("live_heap_end_mb", liveEndMb);
            f.put("dedup_index_mb", indexBytes / 1e6);
            f.put("target_mb_per_s", 20.0);
            out.println(BenchJson.line(f));
            return f;
        } finally {
            if (!o.keep()) {
                if (ownFolder) {
                    AtomicFiles.deleteQuietly(work);
                } else {
                    for (String made : new String[] {"demo", "corpus", "out"}) AtomicFiles.deleteQuietly(work.resolve(made));
                }
            }
        }
    }

    // ---- the corpus ----

    record Generated(Path dir, long docs, long textBytes, long fileBytes, int files) {}

    private static final String[] NAMES = {"Jane Doe", "Max Mustermann", "Ana Silva", "Li Wei", "Ola Nordmann"};
    private static final String[] BOILER = {"Home | Products | Support | Contact | Login", "This site uses cookies. Accept cookies to continue.",
            "Copyright (c) 2024 ACME Corp. All rights reserved.", "Privacy policy | Terms of use | Imprint",
            "Share on Facebook | Tweet | Email this page", "Skip to main content"};

    static Generated generate(Path work, long targetTextBytes) {
        Path demo = work.resolve("demo");
        AtomicFiles.deleteQuietly(demo);
        DemoCorpus.generate(demo, 3_000_000L, 4242L);
        List<String> base = new ArrayList<>();
        try (Stream<Path> s = Files.walk(demo.resolve("docs"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) base.add(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> vocab = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String t : base) {
            for (String w : t.split("\\s+")) if (w.length() > 2 && w.chars().allMatch(Character::isLetter) && seen.add(w)) vocab.add(w);
        }
        Path dir = work.resolve("corpus");
        AtomicFiles.deleteQuietly(dir);
        SplittableRandom r = new SplittableRandom(20261127L);
        List<String> recent = new ArrayList<>(); // recent documents, for copies and near duplicates
        long docs = 0, text = 0, fileBytes = 0;
        int files = 0;
        try {
            Files.createDirectories(dir);
            JsonFactory jf = new JsonFactory();
            while (text < targetTextBytes) {
                Path file = dir.resolve(String.format(Locale.ROOT, "part-%05d.jsonl", files++));
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
                     JsonGenerator g = jf.createGenerator(os, JsonEncoding.UTF8)) {
                    g.setRootValueSeparator(null);
                    long inFile = 0;
                    while (inFile < 64_000_000L && text < targetTextBytes) {
                        double u = r.nextDouble();
                        String doc;
                        if (u < 0.05 && !recent.isEmpty()) {
                            doc = recent.get(r.nextInt(recent.size()));
                        } else if (u < 0.10 && !recent.isEmpty()) {
                            doc = nearCopy(recent.get(r.nextInt(recent.size())), r);
                        } else {
                            doc = rewrite(base.get(r.nextInt(base.size())), vocab, r);
                            if (u < 0.15) doc = withPii(doc, r);
                            else if (u < 0.20) doc = withBoilerplate(doc, r);
                            if (recent.size() < 256) recent.add(doc);
                            else recent.set(r.nextInt(256), doc);
                        }
                        g.writeStartObject();
                        g.writeStringField("id", "d" + docs);
                        g.writeStringField("text", doc);
                        g.writeEndObject();
                        g.writeRaw('\n');
                        long b = doc.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                        text += b;
                        inFile += b;
                        docs++;
                    }
                }
                fileBytes += Files.size(file);
            }
        } catch (IOException e) {
            throw new SeedlingException("bench curate: cannot write the corpus in " + dir + ": " + e);
        }
        AtomicFiles.deleteQuietly(demo);
        return new Generated(dir, docs, text, fileBytes, files);
    }

    /** A fresh document from a demo document: numbers redrawn, 30% of words replaced, paragraphs shuffled. */
    static String rewrite(String doc, List<String> vocab, SplittableRandom r) {
        String[] paras = doc.split("\n\n");
        for (int i = paras.length - 1; i > 1; i--) { // keep the title paragraph first
            int j = 1 + r.nextInt(i);
            String t = paras[i];
            paras[i] = paras[j];
            paras[j] = t;
        }
        StringBuilder sb = new StringBuilder(doc.length() + 64);
        for (int p = 0; p < paras.length; p++) {
            if (p > 0) sb.append("\n\n");
            String para = paras[p];
            int i = 0, n = para.length();
            while (i < n) {
                char c = para.charAt(i);
                if (Character.isDigit(c)) {
                    while (i < n && Character.isDigit(para.charAt(i))) {
                        sb.append((char) ('0' + r.nextInt(10)));
                        i++;
                    }
                } else if (Character.isLetter(c)) {
                    int s = i;
                    while (i < n && Character.isLetter(para.charAt(i))) i++;
                    if (i - s > 2 && r.nextDouble() < 0.3) sb.append(vocab.get(r.nextInt(vocab.size())));
                    else sb.append(para, s, i);
                } else {
                    sb.append(c);
                    i++;
                }
            }
        }
        return sb.toString();
    }

    /** The same document with one sentence changed: a near duplicate. */
    static String nearCopy(String doc, SplittableRandom r) {
        int at = doc.indexOf(". ", r.nextInt(Math.max(1, doc.length() / 2)));
        if (at < 0) return doc + "\nRevised.";
        return doc.substring(0, at) + " (see the revised procedure)" + doc.substring(at);
    }

    static String withPii(String doc, SplittableRandom r) {
        return doc + "\n\nContact " + NAMES[r.nextInt(NAMES.length)] + " at service" + r.nextInt(1000) + "@example.com or +49 30 "
                + (1_000_000 + r.nextInt(9_000_000)) + "; the unit reports from 10." + r.nextInt(256) + "." + r.nextInt(256)
                + ".7 with token ghp_" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + "Zk9Qx2Lm7Np4Rs8Tv1Wy3\n";
    }

    static String withBoilerplate(String doc, SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) sb.append(BOILER[r.nextInt(BOILER.length)]).append('\n');
        sb.append('\n').append(doc).append("\n\n");
        for (int i = 0; i < 3; i++) sb.append(BOILER[r.nextInt(BOILER.length)]).append('\n');
        return sb.toString();
    }

    // ---- time ----

    /**
     * Estimates the CPU time of one stage: every {@value #EVERY}th document (by seq) is timed with the thread's CPU
     * clock and the sum is scaled by calls / timed calls (timing every call would itself cost ~1 µs a call), split
     * into the pre-pass and the main pass.
     */
    static final class CpuTimed implements DocStage {
        private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        static final int EVERY = 8;
        final DocStage stage;
        final boolean[] mainPass;
        private final java.util.concurrent.atomic.LongAdder[] nanos = {new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()};
        private final java.util.concurrent.atomic.LongAdder[] calls = {new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()};
        private final java.util.concurrent.atomic.LongAdder[] timed = {new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()};

        CpuTimed(DocStage stage, boolean[] mainPass) {
            this.stage = stage;
            this.mainPass = mainPass;
        }

        @Override
        public String name() {
            return stage.name();
        }

        @Override
        public boolean ordered() {
            return stage.ordered();
        }

        @Override
        public CurDoc apply(CurDoc doc, StageReport report) {
            int pass = mainPass[0] ? 1 : 0;
            calls[pass].increment();
            if (doc.seq() % EVERY != 0) return stage.apply(doc, report);
            long t0 = THREADS.getCurrentThreadCpuTime();
            CurDoc out = stage.apply(doc, report);
            nanos[pass].add(THREADS.getCurrentThreadCpuTime() - t0);
            timed[pass].increment();
            return out;
        }

        /** Estimated CPU seconds of the main pass (1) or the pre-pass (0). */
        double seconds(int pass) {
            long t = timed[pass].sum();
            return t == 0 ? 0 : nanos[pass].sum() / 1e9 * calls[pass].sum() / t;
        }
    }

    /** CPU time of every live thread, by id. */
    static Map<Long, Long> threadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) out.put(id, Math.max(0, mx.getThreadCpuTime(id)));
        return out;
    }

    /** CPU seconds per thread kind (the name without its number) from the sampler's last readings, minus {@code before}. */
    static Map<String, Double> threadCpuSince(Map<Long, Long> before, LiveSetSampler sampler) {
        Map<String, Double> out = new java.util.TreeMap<>();
        sampler.lastCpu.forEach((id, cpu) -> {
            double d = (cpu - before.getOrDefault(id, 0L)) / 1e9;
            if (d >= 0.05) out.merge(sampler.names.get(id).replaceAll("-?\\d+$", ""), d, Double::sum);
        });
        return out;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    // ---- memory ----

    /** Resets the kernel's peak-RSS counter (VmHWM) of this process, where Linux allows it. */
    static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or not allowed: the peak then includes generation
        }
    }

    /** Polls the heap in use (garbage included) and every thread's CPU time, every 50 ms. */
    static final class LiveSetSampler {
        volatile double peakUsedMb;
        /** Last CPU time read per thread id (so threads that end are still counted, to within one tick). */
        final Map<Long, Long> lastCpu = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean running = true;
        private Thread thread;

        void start() {
            thread = Thread.ofPlatform().daemon().name("live-set-sampler").start(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void sample() {
            peakUsedMb = Math.max(peakUsedMb, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6);
            var mx = ManagementFactory.getThreadMXBean();
            for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (ti == null) continue;
                long cpu = mx.getThreadCpuTime(ti.getThreadId());
                if (cpu < 0) continue;
                lastCpu.put(ti.getThreadId(), cpu);
                names.putIfAbsent(ti.getThreadId(), ti.getThreadName());
            }
        }

        void stop() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample();
        }
    }
}
