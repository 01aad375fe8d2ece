package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;

/**
 * Training setup of the fastText-style {@link LinearClassifier}.
 *
 * @param buckets          hashed feature buckets (rows of the embedding table), a power of two
 * @param dim              embedding width
 * @param bigrams          add word bigrams to the word unigrams
 * @param epochs           passes over the training examples
 * @param learningRate     initial SGD step, decayed linearly to 0 over training (as fastText)
 * @param negativeRatio    negatives sampled from the pool per positive (seed) document
 * @param maxNegatives     cap on sampled negatives
 * @param seed             fixes the negative sample, the example order and the output-layer init
 */
public record LinearClassifierConfig(int buckets, int dim, boolean bigrams, int epochs, double learningRate,
                                     double negativeRatio, int maxNegatives, long seed) {
    /** 2^18 buckets × 32 dims (32 MB while training; only rows used are saved), bigrams, 5 epochs, lr 0.2, 4 negatives per positive. */
    public static final LinearClassifierConfig DEFAULT = new LinearClassifierConfig(1 << 18, 32, true, 5, 0.2, 4, 50_000, 1);

    public LinearClassifierConfig {
        if (buckets < 16 || buckets > (1 << 26) || Integer.bitCount(buckets) != 1)
            throw new SeedlingException("classifier buckets must be a power of two in 16..2^26, got " + buckets);
        if (dim < 1 || dim > 1024) throw new SeedlingException("classifier dim must be in 1..1024, got " + dim);
        if ((long) buckets * dim > (1L << 28))
            throw new SeedlingException("classifier buckets × dim must be at most 2^28, got " + buckets + " × " + dim);
        if (epochs < 1 || epochs > 1000) throw new SeedlingException("classifier epochs must be in 1..1000, got " + epochs);
        if (!(learningRate > 0 && learningRate <= 10))
            throw new SeedlingException("classifier learning_rate must be in (0, 10], got " + learningRate);
        if (!(negativeRatio > 0) || maxNegatives < 1)
            throw new SeedlingException("classifier negative_ratio must be > 0 and max_negatives ≥ 1");
    }
}
