package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.pipeline.CurationRun;
import dev.seedling.data.curate.internal.pipeline.StagePlan;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code seedling curate}: turns folders of documents into a clean corpus ({@code docs.jsonl}) plus a report
 * ({@code report.json}, {@code report.html}).
 *
 * <p>The pipeline, in order (each stage switched and tuned by {@link CurateConfig}): ingest → clean (with removal
 * of lines repeated across documents, counted in a pre-pass) → quality filters → language identification → PII
 * redaction → exact dedup → near dedup → decontamination → domain relevance → {@code docs.jsonl}.
 *
 * <p>Streaming with bounded memory: documents move in batches; unordered stages run on a batch in parallel on
 * {@link dev.seedling.tensor.Parallel}'s pool; ordered stages (the deduplicators) see documents in input order on
 * one thread; different stages work on different batches at once. The output keeps the input order and is
 * byte-identical for any thread count and on every re-run with the same input and config. Only the dedup indexes
 * grow with the corpus (a few dozen bytes per kept document; see the report).
 *
 * <p>Output: {@code docs.jsonl} is written under a hidden temp name and renamed into place only when complete, then
 * {@code config.json} (the resolved config), {@code report.json} and {@code report.html}. When every document is
 * filtered out, the reports are still written (they say why), no {@code docs.jsonl} is left in the folder, and
 * {@link #run} throws a {@link dev.seedling.tensor.SeedlingException} with a one-line summary of the main reasons.
 */
public final class Curator {
    private Curator() {}

    /**
     * Where documents come from. {@link #forEach} hands every document, in input order with {@link CurDoc#seq()}
     * 0, 1, 2, …, to the sink, and books what it skipped (unreadable, binary, too large, …) on {@code report} with
     * {@link StageReport#count}. It may be called twice (once for the pre-pass) and must then give the same
     * documents.
     */
    @FunctionalInterface
    public interface Source {
        void forEach(Consumer<CurDoc> sink, StageReport report);
    }

    /**
     * A pass over the whole corpus before curation, e.g. counting lines: {@link #observe} is called concurrently
     * (must be thread-safe), then {@link #finish} once, before the curation pass starts.
     */
    @FunctionalInterface
    public interface Prepass {
        void observe(CurDoc doc);

        default void finish() {}
    }

    /**
     * A pre-pass that sees the documents as they leave the first {@code position} stages (which must all be
     * unordered: they run twice).
     */
    public record Counting(int position, Prepass pass) {}

    /** Figures only particular stages know, gathered into the report once the run is over. */
    public interface Extras {
        /** Redactions by PII type, given the finished stages. */
        default Map<String, Long> pii(List<CurateReport.Stage> stages) {
            return Map.of();
        }

        /** Documents by detected language, given the finished stages. */
        default Map<String, Long> languages(List<CurateReport.Stage> stages) {
            return Map.of();
        }

        /** The largest near-duplicate clusters, at most {@code max}. */
        default List<CurateReport.Cluster> clusters(int max) {
            return List.of();
        }

        /** Bytes held by indexes that grow with the corpus, by stage name. */
        default Map<String, Long> indexBytes() {
            return Map.of();
        }

        /** Notes known only at the end (e.g. evaluation items that leaked), added to the report's warnings. */
        default List<String> notes() {
            return List.of();
        }
    }

    /**
     * What one run executes.
     *
     * @param source     the documents
     * @param stages     the stages, in order
     * @param prepasses  counting passes run before curation
     * @param extras     report figures from particular stages
     * @param warnings   notes for the report (e.g. a configured stage that is not available)
     */
    public record Plan(Source source, List<DocStage> stages, List<Counting> prepasses, Extras extras,
                       List<String> warnings) {
        public Plan {
            stages = List.copyOf(stages);
            prepasses = List.copyOf(prepasses);
            warnings = List.copyOf(warnings);
            if (extras == null) extras = new Extras() {};
            for (Counting c : prepasses) {
                if (c.position() < 0 || c.position() > stages.size()) {
                    throw new IllegalArgumentException("pre-pass position " + c.position() + " outside [0, " + stages.size() + "]");
                }
                for (int i = 0; i < c.position(); i++) {
                    if (stages.get(i).ordered()) {
                        throw new IllegalArgumentException("a pre-pass may only follow unordered stages, but "
                                + stages.get(i).name() + " is ordered");
                    }
                }
            }
        }
    }

    /** Curates {@code config.inputs()} into {@code config.output()} with the stages the config switches on. */
    public static CuratorResult run(CurateConfig config, Consumer<CuratorProgress> progress) {
        return run(plan(config), config, progress);
    }

    /**
     * The plan {@link #run(CurateConfig, Consumer)} executes: the ingestion source and the configured stages (for
     * tools that wrap stages, e.g. to time them). Reads the seed documents and the evaluation file when configured.
     */
    public static Plan plan(CurateConfig config) {
        return StagePlan.build(config);
    }

    /** Runs an explicit plan (custom stages, tests); {@code config} gives the output folder, batching and report sizes. */
    public static CuratorResult run(Plan plan, CurateConfig config, Consumer<CuratorProgress> progress) {
        return CurationRun.run(plan, config, progress);
    }
}
