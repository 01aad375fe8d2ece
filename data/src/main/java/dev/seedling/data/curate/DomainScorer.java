package dev.seedling.data.curate;

/**
 * Scores how much a document belongs to the target domain, learnt from a small seed set of in-domain documents
 * (the bottom-up curation step): higher is more in-domain. Two kinds: {@link Bm25Scorer} (cosine to the seed
 * centroid in BM25-weighted word space, in [0, 1]) and {@link LinearClassifier} (a fastText-style classifier's
 * probability of "in domain", in [0, 1]). Scores of different scorers are not comparable; pick thresholds per scorer
 * or use a quota ({@link DomainFilter#quotaThreshold}).
 *
 * <p>Implementations are immutable once built and thread-safe.
 */
public sealed interface DomainScorer permits Bm25Scorer, LinearClassifier {
    /** The domain score of {@code text}, in [0, 1]. */
    double score(String text);
}
