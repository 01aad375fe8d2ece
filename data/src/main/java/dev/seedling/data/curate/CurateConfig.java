package dev.seedling.data.curate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What {@link Curator#run} does: the inputs, the output folder and every stage's switch and parameters. All defaults
 * are in {@link #defaults()}; a JSON config file ({@link #fromJson}) only lists what it changes, with the same
 * snake_case keys as {@link #toJson()} prints (an unknown key is an error naming it). Validating records: a bad value
 * is a {@link SeedlingException} naming the key.
 *
 * @param inputs          folders, files or JSONL dumps, read in this order (usually given on the command line)
 * @param output          the output folder: new, empty, or an earlier curate output (replaced)
 * @param ingest          reading files
 * @param clean           normalisation and removal of lines repeated across documents
 * @param quality         Gopher/C4-style quality rules
 * @param language        language identification
 * @param pii             redaction of personal data
 * @param exactDedup      exact duplicates (normalised text hash)
 * @param nearDedup       near duplicates (MinHash + LSH)
 * @param decontamination dropping documents that share long n-grams with evaluation items
 * @param domain          relevance to a set of seed documents
 * @param run             batching and report sizes
 */
public record CurateConfig(List<String> inputs, String output, Ingest ingest, Clean clean, Quality quality,
                           Language language, Pii pii, ExactDedup exactDedup, NearDedup nearDedup,
                           Decontamination decontamination, Domain domain, Run run) {

    /**
     * @param maxFileMb   larger files are skipped (reason {@code too_large}); for JSON Lines the limit of one line
     * @param maxChars    extracted text is cut to this many characters (counted as {@code truncated})
     * @param textField   the field of a JSON/JSONL record that holds the text (a dotted path walks nested objects)
     * @param sourceField a record field that overrides the document's source (null: top folder or file name)
     * @param includeCode read source-code files ({@code .java}, {@code .py}, …)
     */
    public record Ingest(long maxFileMb, int maxChars, String textField, String sourceField, boolean includeCode) {
        public Ingest {
            check(maxFileMb >= 1 && maxFileMb <= 2047, "ingest.max_file_mb", maxFileMb, "in [1, 2047]");
            check(maxChars >= 1, "ingest.max_chars", maxChars, ">= 1");
            check(textField != null && !textField.isBlank(), "ingest.text_field", textField, "a field name");
        }
    }

    /**
     * @param enabled              Unicode normalisation, control characters, whitespace
     * @param normalization        {@code NFC}, {@code NFKC} or {@code none}
     * @param maxBlankLines        consecutive blank lines kept at most
     * @param collapseSpaces       collapse runs of spaces inside a line (indentation is kept)
     * @param repeatedLines        remove lines that occur in many documents (headers, footers, notices) and
     *                             page-number lines; needs a counting pre-pass over the input
     * @param repeatedLineMinDocs  a line is "repeated" when at least this many documents contain it …
     * @param repeatedLineMinFraction … and at least this fraction of all documents
     * @param repeatedLineMinChars shorter lines are never removed as repeated
     */
    public record Clean(boolean enabled, String normalization, int maxBlankLines, boolean collapseSpaces,
                        boolean repeatedLines, int repeatedLineMinDocs, double repeatedLineMinFraction,
                        int repeatedLineMinChars) {
        public Clean {
            check(normalization != null && List.of("NFC", "NFKC", "none").contains(normalization), "clean.normalization",
                    normalization, "NFC, NFKC or none");
            check(maxBlankLines >= 0, "clean.max_blank_lines", maxBlankLines, ">= 0");
            check(repeatedLineMinDocs >= 2, "clean.repeated_line_min_docs", repeatedLineMinDocs, "at least 2");
            check(repeatedLineMinFraction >= 0 && repeatedLineMinFraction <= 1, "clean.repeated_line_min_fraction",
                    repeatedLineMinFraction, "in [0, 1]");
            check(repeatedLineMinChars >= 1, "clean.repeated_line_min_chars", repeatedLineMinChars, ">= 1");
        }
    }

    /** The presets of the quality rules {@link Quality#preset()} may name. */
    public static final List<String> QUALITY_PRESETS = List.of("technical", "web", "code");

    /**
     * @param enabled        run the quality rules at all
     * @param preset         thresholds: {@code technical} (manuals, specifications, logs: numbers, codes, headings and
     *                       tables allowed), {@code web} (the papers' thresholds), {@code code}; source-code files
     *                       always get {@code code}
     * @param minInformation drop documents with too few distinct words or too little character entropy
     * @param gopher         Gopher rules (word count, mean word length, symbol/bullet/ellipsis ratios, stop words,
     *                       repeated lines, paragraphs and n-grams)
     * @param c4             C4 rules (boilerplate lines, lorem ipsum, absurd tokens; web: lines without punctuation)
     * @param minWords       documents with fewer words are dropped (null: the preset's, 20 technical, 50 web)
     */
    public record Quality(boolean enabled, String preset, boolean minInformation, boolean gopher, boolean c4, Integer minWords) {
        public Quality {
            check(QUALITY_PRESETS.contains(preset), "quality.preset", preset, "one of " + QUALITY_PRESETS);
            check(minWords == null || minWords >= 0, "quality.min_words", minWords, ">= 0");
        }
    }

    /**
     * @param enabled          identify the language of each document (counted in the report)
     * @param languages        keep documents in these languages (ISO 639-1 codes); empty keeps every language
     * @param keepUndetermined keep documents whose language cannot be told (short, numbers, tables, code)
     * @param minConfidence    a detection below this confidence counts as undetermined
     */
    public record Language(boolean enabled, List<String> languages, boolean keepUndetermined, double minConfidence) {
        public Language {
            languages = languages == null ? List.of() : List.copyOf(languages);
            for (String l : languages) check(l.matches("[a-z]{2,3}"), "language.languages", l, "ISO 639-1 codes such as en, de");
            check(minConfidence >= 0 && minConfidence <= 1, "language.min_confidence", minConfidence, "in [0, 1]");
        }
    }

    /** The PII types {@link Pii#types()} may name. */
    public static final List<String> PII_TYPES = List.of("email", "phone", "ip_address", "credit_card", "iban", "secret");

    /**
     * @param enabled redact personal data
     * @param types   the types redacted, a subset of {@link #PII_TYPES}
     */
    public record Pii(boolean enabled, List<String> types) {
        public Pii {
            types = types == null ? List.of() : List.copyOf(types);
            for (String t : types) check(PII_TYPES.contains(t), "pii.types", t, "one of " + PII_TYPES);
        }
    }

    /**
     * @param enabled           drop documents whose normalised text equals an earlier one's
     * @param lowercase         compare case-insensitively
     * @param ignorePunctuation compare only the words
     */
    public record ExactDedup(boolean enabled, boolean lowercase, boolean ignorePunctuation) {}

    /**
     * @param enabled      drop near duplicates of earlier documents
     * @param threshold    estimated Jaccard similarity of word shingles at or above which a document is a duplicate
     * @param shingleWords words per shingle
     * @param bands        LSH bands
     * @param rows         MinHash values per band (signature length = bands × rows)
     */
    public record NearDedup(boolean enabled, double threshold, int shingleWords, int bands, int rows) {
        public NearDedup {
            check(threshold > 0 && threshold <= 1, "near_dedup.threshold", threshold, "in (0, 1]");
            check(shingleWords >= 1 && shingleWords <= 64, "near_dedup.shingle_words", shingleWords, "in [1, 64]");
            check(bands >= 1 && bands <= 512, "near_dedup.bands", bands, "in [1, 512]");
            check(rows >= 1 && (long) bands * rows <= 4096, "near_dedup.rows", rows, "with bands × rows <= 4096");
        }
    }

    /**
     * @param evalFile an evaluation set (JSONL with a text per line, or a text file with one item per line); null: off
     * @param ngram    documents sharing an n-gram of this many words with an evaluation item are dropped
     * @param minItemWords shorter items are matched whole when they have at least this many words, else ignored
     */
    public record Decontamination(String evalFile, int ngram, int minItemWords) {
        public Decontamination {
            check(ngram >= 3 && ngram <= 64, "decontamination.ngram", ngram, "in [3, 64]");
            check(minItemWords >= 1 && minItemWords <= ngram, "decontamination.min_item_words", minItemWords, "in [1, ngram]");
        }

        public boolean enabled() {
            return evalFile != null;
        }
    }

    /**
     * @param seedDocs   a folder or JSONL of documents that define the domain; null: off
     * @param method     {@code bm25} (cosine to the seed centroid in BM25 space) or {@code classifier} (a
     *                   fastText-style linear classifier trained on the seeds against pool documents)
     * @param keepTop    keep this share of documents, the most relevant (in (0, 1]); null: use {@code minScore}
     * @param minScore   keep documents scoring at least this (scores are in [0, 1]); with both null, every document
     *                   is kept and only scored (the report shows the score histogram)
     * @param sampleDocs the pool statistics (BM25 document frequencies, classifier negatives, the keep_top threshold)
     *                   come from a deterministic sample of this many documents
     */
    public record Domain(String seedDocs, String method, Double keepTop, Double minScore, int sampleDocs) {
        public Domain {
            check(List.of("bm25", "classifier").contains(method), "domain.method", method, "bm25 or classifier");
            check(keepTop == null || (keepTop > 0 && keepTop <= 1), "domain.keep_top", keepTop, "in (0, 1]");
            check(keepTop == null || minScore == null, "domain.min_score", minScore, "unset when domain.keep_top is set");
            check(minScore == null || (minScore >= 0 && minScore <= 1), "domain.min_score", minScore, "in [0, 1]");
            check(sampleDocs >= 10 && sampleDocs <= 1_000_000, "domain.sample_docs", sampleDocs, "in [10, 1000000]");
        }

        public boolean enabled() {
            return seedDocs != null;
        }
    }

    /**
     * @param batchDocs   documents per batch handed between threads
     * @param batchMb     a batch closes at this many MB of text (memory stays about 20 batches)
     * @param examples    examples of removed or changed text kept per stage and reason
     * @param clusters    near-duplicate clusters listed in the report
     */
    public record Run(int batchDocs, int batchMb, int examples, int clusters) {
        public Run {
            check(batchDocs >= 1 && batchDocs <= 1 << 20, "run.batch_docs", batchDocs, "in [1, 2^20]");
            check(batchMb >= 1 && batchMb <= 1024, "run.batch_mb", batchMb, "in [1, 1024]");
            check(examples >= 1 && examples <= 1000, "run.examples", examples, "in [1, 1000]");
            check(clusters >= 0 && clusters <= 10000, "run.clusters", clusters, "in [0, 10000]");
        }
    }

    public CurateConfig {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        if (ingest == null || clean == null || quality == null || language == null || pii == null || exactDedup == null
                || nearDedup == null || decontamination == null || domain == null || run == null) {
            throw new SeedlingException("curate config: every section must be present (start from CurateConfig.defaults())");
        }
    }

    /**
     * Every default: all stages on except decontamination and domain relevance (they need an input file); quality
     * thresholds for technical text (the documents Seedling is for), every language kept.
     */
    public static CurateConfig defaults() {
        return new CurateConfig(List.of(), null,
                new Ingest(64, 16_000_000, "text", "source", true),
                new Clean(true, "NFC", 2, false, true, 5, 0.001, 10),
                new Quality(true, "technical", true, true, true, null),
                new Language(true, List.of(), true, 0.5),
                new Pii(true, PII_TYPES),
                new ExactDedup(true, true, false),
                new NearDedup(true, 0.8, 5, 14, 8),
                new Decontamination(null, 13, 8),
                new Domain(null, "bm25", null, null, 20_000),
                new Run(1024, 4, 5, 20));
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The resolved config as JSON (snake_case keys, every key present). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the curate config", e);
        }
    }

    /** The resolved config as a JSON tree (for the report). */
    public JsonNode toTree() {
        return JSON.valueToTree(this);
    }

    /** Reads a config file: the defaults with the file's keys laid over them. */
    public static CurateConfig fromJson(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SeedlingException("cannot read the curate config " + file + ": " + e + "; check the path");
        }
        return fromJson(text, file.toString());
    }

    /** Parses config JSON text; {@code where} names it in errors. */
    public static CurateConfig fromJson(String text, String where) {
        JsonNode user;
        try {
            user = JSON.readTree(text);
        } catch (IOException e) {
            String msg = e.getMessage();
            int nl = msg == null ? -1 : msg.indexOf('\n');
            throw new SeedlingException(where + " is not valid JSON: " + (nl < 0 ? msg : msg.substring(0, nl)));
        }
        if (user == null || !user.isObject()) throw new SeedlingException(where + " must hold one JSON object");
        ObjectNode merged = (ObjectNode) JSON.valueToTree(defaults());
        merge(merged, user, "", where);
        try {
            return JSON.treeToValue(merged, CurateConfig.class);
        } catch (SeedlingException e) {
            throw new SeedlingException(where + ": " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof SeedlingException)) cause = cause.getCause();
            if (cause instanceof SeedlingException se) throw new SeedlingException(where + ": " + se.getMessage());
            String msg = e.getMessage();
            int nl = msg == null ? -1 : msg.indexOf('\n');
            throw new SeedlingException(where + " has a value of the wrong type: " + (nl < 0 ? msg : msg.substring(0, nl)));
        }
    }

    private static void merge(ObjectNode into, JsonNode user, String path, String where) {
        Iterator<Map.Entry<String, JsonNode>> it = user.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path + e.getKey();
            if (!into.has(e.getKey())) {
                List<String> known = new ArrayList<>();
                into.fieldNames().forEachRemaining(known::add);
                throw new SeedlingException(where + ": unknown key '" + key + "'; known keys" + (path.isEmpty() ? "" : " of "
                        + path.substring(0, path.length() - 1)) + ": " + String.join(", ", known));
            }
            JsonNode def = into.get(e.getKey());
            if (def.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) def, e.getValue(), key + ".", where);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    // ---- copies with one setting changed (for command-line flags) ----

    public CurateConfig withInputs(List<String> inputs, String output) {
        return new CurateConfig(inputs, output, ingest, clean, quality, language, pii, exactDedup, nearDedup,
                decontamination, domain, run);
    }

    public CurateConfig withClean(Clean c) {
        return new CurateConfig(inputs, output, ingest, c, quality, language, pii, exactDedup, nearDedup, decontamination, domain, run);
    }

    public CurateConfig withQuality(Quality q) {
        return new CurateConfig(inputs, output, ingest, clean, q, language, pii, exactDedup, nearDedup, decontamination, domain, run);
    }

    public CurateConfig withLanguage(Language l) {
        return new CurateConfig(inputs, output, ingest, clean, quality, l, pii, exactDedup, nearDedup, decontamination, domain, run);
    }

    public CurateConfig withPii(Pii p) {
        return new CurateConfig(inputs, output, ingest, clean, quality, language, p, exactDedup, nearDedup, decontamination, domain, run);
    }

    public CurateConfig withExactDedup(ExactDedup d) {
        return new CurateConfig(inputs, output, ingest, clean, quality, language, pii, d, nearDedup, decontamination, domain, run);
    }

    public CurateConfig withNearDedup(NearDedup d) {
        return new CurateConfig(inputs, output, ingest, clean, quality, language, pii, exactDedup, d, decontamination, domain, run);
    }

    public CurateConfig withDecontamination(Decontamination d) {
        return new CurateConfig(inputs, output, ingest, clean, quality, language, pii, exactDedup, nearDedup, d, domain, run);
    }

    public CurateConfig withDomain(Domain d) {
        return new CurateConfig(inputs, output, ingest, clean, quality, language, pii, exactDedup, nearDedup, decontamination, d, run);
    }

    public CurateConfig withRun(Run r) {
        return new CurateConfig(inputs, output, ingest, clean, quality, language, pii, exactDedup, nearDedup, decontamination, domain, r);
    }

    public CurateConfig withIngest(Ingest i) {
        return new CurateConfig(inputs, output, i, clean, quality, language, pii, exactDedup, nearDedup, decontamination, domain, run);
    }

    private static void check(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new SeedlingException("curate config: " + key + " = " + value + " is invalid; expected " + expected);
        }
    }
}
