package dev.seedling.data.curate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one curation run, written as {@code report.json} (snake_case keys) and rendered as
 * {@code report.html} by {@link ReportHtml}.
 *
 * <p>Sizes: {@code bytes} are UTF-8 bytes of document text; a stage's {@code chars} are UTF-16 characters (what
 * {@link StageReport} books; equal to bytes for ASCII text). Stage {@code seconds} are thread-seconds summed over
 * every thread that ran the stage, so a stage's {@code mchars_per_s} is its speed on one core.
 *
 * @param inputs          the input paths as given
 * @param output          the output folder
 * @param input           documents and text bytes that entered the stages (after ingestion)
 * @param kept            documents and text bytes written to {@code docs.jsonl}
 * @param seconds         wall time of the run, pre-pass included
 * @param mbPerSecond     input text megabytes (10^6 bytes) per wall second, end to end
 * @param threads         worker threads used
 * @param skippedFiles    input files or records not turned into documents, by reason (from ingestion)
 * @param stages          every stage in pipeline order, ingestion first
 * @param lengthsBefore   histogram of document lengths (UTF-8 bytes) entering the stages, log-scale buckets
 * @param lengthsAfter    the same for the documents kept
 * @param pii             redactions by PII type (empty when redaction is off)
 * @param languages       documents by detected language (empty when language identification is off)
 * @param clusters        the largest near-duplicate clusters (empty when near-dedup is off or found none)
 * @param sources         documents in and kept per source (at most {@value #MAX_SOURCES} sources listed)
 * @param indexBytes      bytes held at the end by the structures that grow with the corpus (the dedup indexes),
 *                        by stage; everything else streams in bounded batches
 * @param config          the resolved configuration
 * @param warnings        things the user should know (e.g. a stage that is not available)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CurateReport(List<String> inputs, String output, Totals input, Totals kept, double seconds,
                           double mbPerSecond, int threads, Map<String, Long> skippedFiles, List<Stage> stages,
                           List<Bucket> lengthsBefore, List<Bucket> lengthsAfter, Map<String, Long> pii,
                           Map<String, Long> languages, List<Cluster> clusters, Map<String, SourceCounts> sources,
                           Map<String, Long> indexBytes, Object config, List<String> warnings) {
    /** Most sources listed in {@link #sources}. */
    public static final int MAX_SOURCES = 200;

    /** A count of documents and their UTF-8 bytes. */
    public record Totals(long docs, long bytes) {}

    /** Documents of one source entering the stages and kept. */
    public record SourceCounts(long docsIn, long docsKept) {}

    /** Lengths in {@code [fromBytes, toBytes)} ({@code toBytes} = -1: no upper bound). */
    public record Bucket(long fromBytes, long toBytes, long docs) {}

    /** A near-duplicate cluster: the document kept and how many were dropped as its duplicates. */
    public record Cluster(String keptId, long size, List<String> droppedIds, String excerpt) {}

    /** What one stage did; see {@link StageReport}. */
    public record Stage(String name, boolean ordered, long docsIn, long docsKept, long docsDropped, long docsChanged,
                        long charsIn, long charsOut, double seconds, double mcharsPerS, Map<String, Long> counts,
                        Map<String, List<StageReport.Example>> examples) {
        static Stage of(StageReport r, boolean ordered) {
            double s = r.nanos() / 1e9;
            return new Stage(r.stage(), ordered, r.docsIn(), r.docsKept(), r.docsDropped(), r.docsChanged(),
                    r.bytesIn(), r.bytesOut(), s, s > 0 ? r.bytesIn() / 1e6 / s : 0, r.counts(), r.examples());
        }
    }

    /** Builds a stage entry from its report. */
    public static Stage stage(StageReport report, boolean ordered) {
        return Stage.of(report, ordered);
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The report as pretty-printed JSON with snake_case keys. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the report", e);
        }
    }

    /** Reads a {@code report.json} written by {@link #toJson()}. */
    public static CurateReport read(Path file) {
        try {
            return JSON.readValue(file.toFile(), CurateReport.class);
        } catch (IOException e) {
            throw new SeedlingException("cannot read the curation report " + file + ": " + e.getMessage(), e);
        }
    }

    /** One line: documents in/kept, bytes, time, speed. */
    public String summary() {
        return String.format(Locale.ROOT, "curated %,d documents (%.1f MB) into %,d (%.1f MB, %.1f%%) in %.1f s, %.1f MB/s on %d threads",
                input.docs(), input.bytes() / 1e6, kept.docs(), kept.bytes() / 1e6,
                input.docs() == 0 ? 0.0 : 100.0 * kept.docs() / input.docs(), seconds, mbPerSecond, threads);
    }
}
