package dev.seedling.data.curate;

import dev.seedling.tensor.Parallel;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps documents whose {@link DomainScorer} score is at least a threshold; drops the rest with reason
 * {@code "below_threshold"}. Every score is counted in a tenth-wide histogram bin ({@code "score_0.3"} holds scores in
 * [0.3, 0.4)) and, when a {@link ScoreListener} is given, handed to it (documents carry no metadata, so this is how a
 * pipeline records per-document scores).
 *
 * <p>Quota mode ("keep the top N % of the pool") takes two passes, which the pipeline runs: {@link #scoreAll} on every
 * document, {@link #quotaThreshold} on the scores, then this stage with that threshold.
 *
 * <p>Unordered and thread-safe when the listener is.
 */
public final class DomainFilter implements DocStage {
    /** Receives every document's score; called from several threads at once. */
    @FunctionalInterface
    public interface ScoreListener {
        void scored(CurDoc doc, double score);
    }

    private static final String[] BINS = {"score_0.0", "score_0.1", "score_0.2", "score_0.3", "score_0.4", "score_0.5",
            "score_0.6", "score_0.7", "score_0.8", "score_0.9"};

    private final DomainScorer scorer;
    private final double threshold;
    private final ScoreListener listener;

    public DomainFilter(DomainScorer scorer, double threshold) {
        this(scorer, threshold, null);
    }

    public DomainFilter(DomainScorer scorer, double threshold, ScoreListener listener) {
        this.scorer = scorer;
        this.threshold = threshold;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "domain";
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        double s = scorer.score(doc.text());
        report.count(BINS[Math.min(9, Math.max(0, (int) (s * 10)))], 1);
        if (listener != null) listener.scored(doc, s);
        if (s >= threshold) return doc;
        report.drop("below_threshold", doc);
        return null;
    }

    /** Scores of {@code texts} (same order), computed on the engine's worker pool. */
    public static double[] scoreAll(DomainScorer scorer, List<String> texts) {
        double[] out = new double[texts.size()];
        Parallel.forEach(texts.size(), (worker, i) -> out[i] = scorer.score(texts.get(i)));
        return out;
    }

    /**
     * The threshold that keeps the top {@code keepFraction} of {@code scores}: the score of the
     * {@code ceil(keepFraction·n)}-th highest. Documents tied at that score are all kept, so slightly more than the
     * quota may pass. {@code keepFraction} 0 gives +∞ (keep nothing), 1 gives the lowest score (keep all).
     */
    public static double quotaThreshold(double[] scores, double keepFraction) {
        if (!(keepFraction >= 0 && keepFraction <= 1))
            throw new dev.seedling.tensor.SeedlingException("domain quota must be in [0, 1], got " + keepFraction);
        int keep = (int) Math.ceil(keepFraction * scores.length);
        if (keep == 0) return Double.POSITIVE_INFINITY;
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - keep];
    }
}
