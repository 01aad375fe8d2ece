package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;

/**
 * BM25 term weighting for {@link Bm25Scorer}: a term occurring {@code tf} times in a document of {@code dl} words
 * weighs {@code idf · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))}, with {@code idf = ln(1 + (N − df + 0.5)/(df + 0.5))}
 * over the pool of {@code N} documents.
 *
 * @param k1 term-frequency saturation (≥ 0)
 * @param b  length normalisation in [0, 1]
 */
public record Bm25Config(double k1, double b) {
    public static final Bm25Config DEFAULT = new Bm25Config(1.2, 0.75);

    public Bm25Config {
        if (!(k1 >= 0) || !(b >= 0 && b <= 1))
            throw new SeedlingException("bm25 needs k1 ≥ 0 and b in [0, 1], got k1=" + k1 + " b=" + b);
    }
}
