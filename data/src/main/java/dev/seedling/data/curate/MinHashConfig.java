package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;

/**
 * Near-duplicate detection parameters: MinHash over word shingles with LSH banding.
 *
 * <p>A signature has {@code bands × rows} hash values; two documents become candidates when all {@code rows} values
 * of at least one band agree, which for true Jaccard similarity {@code J} happens with probability
 * {@code 1 − (1 − J^rows)^bands} (the S-curve, {@link #candidateProbability}); its steepest point is near
 * {@link #impliedThreshold()} {@code = (1/bands)^(1/rows)}. A candidate is a duplicate when its estimated Jaccard
 * (the fraction of equal signature values) is at least {@code threshold}.
 *
 * @param shingleWords words per shingle (n of the word n-grams); a document with fewer words is one shingle
 * @param bands        LSH bands
 * @param rows         signature values per band
 * @param threshold    estimated Jaccard at or above which a candidate is dropped as a near duplicate, in (0, 1]
 * @param seed         selects the hash functions (same seed, same decisions)
 */
public record MinHashConfig(int shingleWords, int bands, int rows, double threshold, long seed) {
    /** Defaults: 5-word shingles, 14 bands × 8 rows = 112 hashes (implied threshold ≈ 0.72), Jaccard ≥ 0.8. */
    public static final MinHashConfig DEFAULT = new MinHashConfig(5, 14, 8, 0.8, 0x5EED_0001L);

    public MinHashConfig {
        if (shingleWords < 1 || shingleWords > 64)
            throw new SeedlingException("minhash shingle_words must be in 1..64, got " + shingleWords);
        if (bands < 1 || rows < 1 || (long) bands * rows > 4096)
            throw new SeedlingException("minhash bands × rows must be between 1 and 4096, got " + bands + " × " + rows);
        if (!(threshold > 0 && threshold <= 1))
            throw new SeedlingException("minhash threshold must be in (0, 1], got " + threshold);
    }

    /** Hash functions per signature ({@code bands × rows}). */
    public int numHashes() {
        return bands * rows;
    }

    /** The Jaccard similarity where the banding S-curve is steepest, approximately {@code (1/bands)^(1/rows)}. */
    public double impliedThreshold() {
        return Math.pow(1.0 / bands, 1.0 / rows);
    }

    /** Probability that two documents with true Jaccard {@code j} share at least one band. */
    public double candidateProbability(double j) {
        return 1 - Math.pow(1 - Math.pow(j, rows), bands);
    }

    /** The S-curve sampled at {@code j = 0, 1/(points-1), …, 1}: rows of {@code {j, candidateProbability(j)}}. */
    public double[][] sCurve(int points) {
        double[][] out = new double[points][];
        for (int p = 0; p < points; p++) {
            double j = points == 1 ? 1 : (double) p / (points - 1);
            out[p] = new double[] {j, candidateProbability(j)};
        }
        return out;
    }
}
