package dev.seedling.tokenizer.internal.hf;

/**
 * A text normalization step of a Hugging Face tokenizer ({@code tokenizer.json} {@code "normalizer"}). Only the
 * normalized text is computed (no alignments: Seedling needs ids, not offsets). Implementations are immutable and
 * thread-safe. Built by {@link Normalizers#fromJson}.
 */
public interface Normalizer {
    /** The normalized form of {@code text}. */
    String normalize(String text);
}
