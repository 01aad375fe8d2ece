package dev.seedling.data.curate;

/**
 * One step of the curation pipeline: a cleaner, a filter, a redactor, a deduplicator.
 *
 * <p>{@link #apply} returns the document to keep (the same one, or a copy with changed text) or {@code null} to drop
 * it; a stage that drops or changes a document says why through {@code report}. Stages are configured when built and
 * hold no per-run state unless {@link #ordered()} is true.
 *
 * <p>Threads: an unordered stage is called from several threads at once on different documents and must be
 * thread-safe. An ordered stage (a deduplicator: which copy survives depends on what came before) is called from
 * one thread at a time, in increasing {@link CurDoc#seq()} order.
 */
public interface DocStage {
    /** Short, stable name used in the report and in configuration (e.g. {@code "gopher"}, {@code "minhash"}). */
    String name();

    /** The kept (possibly rewritten) document, or {@code null} when it is dropped. */
    CurDoc apply(CurDoc doc, StageReport report);

    /** True when decisions depend on earlier documents; see the class comment. */
    default boolean ordered() {
        return false;
    }
}
