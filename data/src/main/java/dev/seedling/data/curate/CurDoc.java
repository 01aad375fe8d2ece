package dev.seedling.data.curate;

/**
 * One document flowing through curation.
 *
 * @param seq    position in the input order (0, 1, 2, …), fixed at ingestion; every order-dependent decision
 *               (which duplicate is kept, which examples a report shows) uses it, so results never depend on threads
 * @param id     a stable identifier: the source path relative to the input root, plus {@code #n} for the n-th record
 *               of a JSONL file
 * @param source the input it came from, for per-source counts and mixtures (e.g. the top folder or file name)
 * @param text   the document text (after extraction; stages may return a copy with changed text)
 */
public record CurDoc(long seq, String id, String source, String text) {
    public CurDoc withText(String newText) {
        return new CurDoc(seq, id, source, newText);
    }
}
