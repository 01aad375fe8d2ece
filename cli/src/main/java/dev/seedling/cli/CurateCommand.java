package dev.seedling.cli;

import dev.seedling.data.curate.CurateConfig;
import dev.seedling.data.curate.CurateReport;
import dev.seedling.data.curate.Curator;
import dev.seedling.data.curate.CuratorProgress;
import dev.seedling.data.curate.CuratorResult;
import dev.seedling.tensor.SeedlingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seedling curate}: documents in, a clean corpus ({@code docs.jsonl}) and a report out. */
@Command(name = "curate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Turn folders of mixed documents (text, Markdown, HTML, PDF, Word/Excel/PowerPoint, code, JSON,",
                "JSONL dumps) into a clean corpus OUT/docs.jsonl for `seedling pack --data OUT/docs.jsonl`, plus",
                "OUT/report.html and OUT/report.json (counts per stage, reasons, examples, lengths, duplicates).",
                "",
                "Stages, in order (defaults in brackets; a JSON --config file sets any parameter, see config.json",
                "in an output folder for every key):",
                "  ingest           read files; skip binary, unreadable, too large (64 MiB) and zip-bomb files [on]",
                "  clean            Unicode NFC, whitespace, control characters; lines repeated in >= 5 documents",
                "                   (headers, footers, page numbers) removed after a counting pre-pass [on]",
                "  quality          minimum information; Gopher/C4 rules: word count (>= 20 technical preset,",
                "                   >= 50 web), word length, symbols, bullets, stop words, repeated lines and",
                "                   n-grams; code files get the code preset [on, technical]",
                "  language         language identification; --languages keeps only those [on, all kept]",
                "  pii              e-mail, phone, IP, credit card (Luhn), IBAN, secrets -> typed placeholders [on]",
                "  exact_dedup      same normalised text as an earlier document [on]",
                "  near_dedup       MinHash (5-word shingles, 14 bands x 8 rows), Jaccard >= 0.8 [on]",
                "  decontamination  documents sharing a 13-word n-gram with an --eval item [off]",
                "  domain           relevance to --seed-docs (BM25 centroid or a linear classifier), keep by",
                "                   --keep-top FRACTION or --min-score S; without either only scored [off]",
                "Output order is input order, byte-identical on re-runs and for any --threads. If every document is",
                "filtered out, the report is still written, no docs.jsonl is left, and the command fails."})
final class CurateCommand implements Runnable {
    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Folders, files or .jsonl dumps, read in this order.")
    List<Path> inputs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (new, empty, or an earlier curate output).")
    Path out;
    @Option(names = "--config", paramLabel = "FILE", description = "JSON file of settings laid over the defaults; flags below override it.")
    Path config;
    @Option(names = "--no-clean", description = "Skip cleaning (and repeated-line removal).")
    boolean noClean;
    @Option(names = "--no-repeated-lines", description = "Keep lines repeated across documents.")
    boolean noRepeatedLines;
    @Option(names = "--no-quality", description = "Skip the Gopher/C4 quality rules.")
    boolean noQuality;
    @Option(names = "--quality-preset", paramLabel = "P", description = "Quality thresholds: technical (default), web or code.")
    String qualityPreset;
    @Option(names = "--min-words", paramLabel = "N", description = "Quality: drop documents with fewer words (default: the preset's, 20 technical, 50 web).")
    Integer minWords;
    @Option(names = "--languages", split = ",", paramLabel = "CODES", description = "Keep only these languages, e.g. en,de (default: all).")
    List<String> languages;
    @Option(names = "--no-language", description = "Skip language identification.")
    boolean noLanguage;
    @Option(names = "--redact", negatable = true, description = "Redact personal data (default: on; --no-redact turns it off).")
    Boolean redact;
    @Option(names = "--no-redact-email", description = "Leave e-mail addresses.")
    boolean keepEmail;
    @Option(names = "--no-redact-phone", description = "Leave phone numbers.")
    boolean keepPhone;
    @Option(names = "--no-redact-ip", description = "Leave IP addresses.")
    boolean keepIp;
    @Option(names = "--no-redact-credit-card", description = "Leave credit-card numbers.")
    boolean keepCard;
    @Option(names = "--no-redact-iban", description = "Leave IBANs.")
    boolean keepIban;
    @Option(names = "--no-redact-secret", description = "Leave API-key and secret-like strings.")
    boolean keepSecret;
    @Option(names = "--no-dedup", description = "Skip exact and near deduplication.")
    boolean noDedup;
    @Option(names = "--no-near-dedup", description = "Skip near deduplication only.")
    boolean noNearDedup;
    @Option(names = "--near-dup-threshold", paramLabel = "J", description = "Estimated Jaccard at or above which a document is a near duplicate (default: 0.8).")
    Double nearDupThreshold;
    @Option(names = "--eval", paramLabel = "FILE", description = "Evaluation items (JSONL or one per line): drop training documents sharing long n-grams with them.")
    Path eval;
    @Option(names = "--decontam-ngram", paramLabel = "N", description = "Words in a shared n-gram that counts as contamination (default: 13).")
    Integer decontamNgram;
    @Option(names = "--seed-docs", paramLabel = "PATH", description = "Folder or JSONL of documents that define the domain: score every document against them.")
    Path seedDocs;
    @Option(names = "--domain-method", paramLabel = "M", description = "Domain scorer: bm25 (default) or classifier.")
    String domainMethod;
    @Option(names = "--keep-top", paramLabel = "FRACTION", description = "Domain: keep this share of documents, the most relevant (e.g. 0.3).")
    Double keepTop;
    @Option(names = "--min-score", paramLabel = "S", description = "Domain: keep documents scoring at least S.")
    Double minScore;
    @Option(names = "--text-field", paramLabel = "FIELD", description = "Field of JSON/JSONL records holding the text (default: text).")
    String textField;
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public void run() {
        CuratorResult r = Curator.run(resolve(), new Bar());
        CurateReport rep = r.report();
        printSummary(rep);
        for (String w : rep.warnings()) System.out.println("note: " + w);
        long index = rep.indexBytes().values().stream().mapToLong(Long::longValue).sum();
        if (index > 0) {
            System.out.printf(Locale.ROOT, "dedup indexes: %.1f MB (%.0f bytes per kept document)%n", index / 1e6,
                    (double) index / Math.max(1, rep.kept().docs()));
        }
        System.out.println(rep.summary());
        System.out.println("corpus: " + r.docs() + "  (next: seedling pack --data " + r.docs() + " --out DIR)");
        System.out.println("report: " + r.reportHtml());
    }

    /** The config file (or the defaults) with the flags laid over it. */
    CurateConfig resolve() {
        CurateConfig c = config == null ? CurateConfig.defaults() : CurateConfig.fromJson(config);
        c = c.withInputs(inputs.stream().map(Path::toString).toList(), out.toString());
        CurateConfig.Clean cl = c.clean();
        if (noClean || noRepeatedLines) {
            c = c.withClean(new CurateConfig.Clean(cl.enabled() && !noClean, cl.normalization(), cl.maxBlankLines(),
                    cl.collapseSpaces(), false, cl.repeatedLineMinDocs(), cl.repeatedLineMinFraction(), cl.repeatedLineMinChars()));
        }
        CurateConfig.Quality q = c.quality();
        if (noQuality || minWords != null || qualityPreset != null) {
            c = c.withQuality(new CurateConfig.Quality(q.enabled() && !noQuality, qualityPreset != null ? qualityPreset : q.preset(),
                    q.minInformation(), q.gopher(), q.c4(), minWords != null ? minWords : q.minWords()));
        }
        CurateConfig.Language lang = c.language();
        if (languages != null) {
            List<String> codes = languages.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
            c = c.withLanguage(new CurateConfig.Language(true, codes, lang.keepUndetermined(), lang.minConfidence()));
        }
        if (noLanguage) {
            if (languages != null) throw new SeedlingException("curate: --languages needs language identification; drop --no-language");
            c = c.withLanguage(new CurateConfig.Language(false, List.of(), lang.keepUndetermined(), lang.minConfidence()));
        }
        List<String> types = new ArrayList<>(c.pii().types());
        if (keepEmail) types.remove("email");
        if (keepPhone) types.remove("phone");
        if (keepIp) types.remove("ip_address");
        if (keepCard) types.remove("credit_card");
        if (keepIban) types.remove("iban");
        if (keepSecret) types.remove("secret");
        boolean piiOn = redact != null ? redact : c.pii().enabled();
        c = c.withPii(new CurateConfig.Pii(piiOn && !types.isEmpty(), types));
        if (noDedup) {
            c = c.withExactDedup(new CurateConfig.ExactDedup(false, c.exactDedup().lowercase(), c.exactDedup().ignorePunctuation()));
            noNearDedup = true;
        }
        CurateConfig.NearDedup n = c.nearDedup();
        if (nearDupThreshold != null) {
            if (noNearDedup) throw new SeedlingException("curate: --near-dup-threshold has no effect with --no-dedup/--no-near-dedup; drop one");
            n = new CurateConfig.NearDedup(true, nearDupThreshold, n.shingleWords(), n.bands(), n.rows());
        }
        if (noNearDedup) n = new CurateConfig.NearDedup(false, n.threshold(), n.shingleWords(), n.bands(), n.rows());
        c = c.withNearDedup(n);
        if (eval != null || decontamNgram != null) {
            CurateConfig.Decontamination d = c.decontamination();
            int ngram = decontamNgram != null ? decontamNgram : d.ngram();
            c = c.withDecontamination(new CurateConfig.Decontamination(eval != null ? eval.toString() : d.evalFile(),
                    ngram, Math.min(ngram, d.minItemWords())));
        }
        if (seedDocs != null || keepTop != null || minScore != null || domainMethod != null) {
            CurateConfig.Domain d = c.domain();
            String seeds = seedDocs != null ? seedDocs.toString() : d.seedDocs();
            if (seeds == null) throw new SeedlingException("curate: --keep-top and --min-score need --seed-docs PATH (the documents that define the domain)");
            c = c.withDomain(new CurateConfig.Domain(seeds, domainMethod != null ? domainMethod : d.method(),
                    keepTop != null ? keepTop : minScore != null ? null : d.keepTop(),
                    minScore != null ? minScore : keepTop != null ? null : d.minScore(), d.sampleDocs()));
        }
        if (textField != null) {
            CurateConfig.Ingest i = c.ingest();
            c = c.withIngest(new CurateConfig.Ingest(i.maxFileMb(), i.maxChars(), textField, i.sourceField(), i.includeCode()));
        }
        return c;
    }

    /** A progress bar over the input bytes, one per phase (the counting pre-pass, then curation). */
    private static final class Bar implements java.util.function.Consumer<CuratorProgress> {
        private Progress bar;
        private String phase;

        @Override
        public void accept(CuratorProgress p) {
            if (!p.phase().equals(phase)) {
                phase = p.phase();
                bar = new Progress(System.out, p.phase().equals("count") ? "count  " : "curate ", Math.max(1, p.totalBytes()));
            }
            long total = Math.max(1, p.totalBytes());
            // text can be smaller than its files (PDF, Office): hold the bar below 100% until the phase's last call
            long done = p.finished() ? total : Math.min(total - 1, p.bytesRead());
            bar.update(done, 0, String.format(Locale.ROOT, "%,d docs, %.1f MB/s%s", p.docsRead(), p.mbPerSecond(),
                    p.phase().equals("curate") ? String.format(Locale.ROOT, ", %,d kept", p.docsWritten()) : ""));
        }
    }

    static void printSummary(CurateReport r) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-24s %10s %10s %10s %10s %9s %9s%n", "stage", "docs in", "kept", "dropped", "changed", "MB out", "thread-s");
        for (CurateReport.Stage s : r.stages()) {
            System.out.printf(Locale.ROOT, "%-24s %,10d %,10d %,10d %,10d %9.2f %9.2f%n", s.name(), s.docsIn(), s.docsKept(),
                    s.docsDropped(), s.docsChanged(), s.charsOut() / 1e6, s.seconds());
        }
        if (!r.skippedFiles().isEmpty()) {
            StringBuilder sb = new StringBuilder("skipped input:");
            r.skippedFiles().forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v).append(','));
            System.out.println(sb.substring(0, sb.length() - 1));
        }
    }
}
