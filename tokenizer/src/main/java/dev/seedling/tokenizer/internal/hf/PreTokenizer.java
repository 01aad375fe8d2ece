package dev.seedling.tokenizer.internal.hf;

import java.util.List;

/**
 * A pre-tokenization step of a Hugging Face tokenizer ({@code tokenizer.json} {@code "pre_tokenizer"}): cuts a
 * (normalized) piece of text into smaller pieces, possibly rewriting them (ByteLevel maps bytes to its alphabet,
 * Metaspace replaces spaces). The BPE model then encodes each piece on its own. Built by
 * {@link PreTokenizers#fromJson}; implementations are immutable and thread-safe.
 */
public interface PreTokenizer {
    /** Receives the pieces, in order. */
    @FunctionalInterface
    interface PieceSink {
        /**
         * @param piece   a non-empty piece
         * @param atStart whether the piece begins at the very start of the encoded input (HF's
         *                {@code offsets_original().0 == 0}; only Metaspace's {@code prepend_scheme "first"} reads it)
         */
        void accept(String piece, boolean atStart);
    }

    /**
     * Cuts {@code text} into pieces passed to {@code out} in order; empty pieces are never passed.
     *
     * @param atStart whether {@code text} begins at the very start of the input
     */
    void split(String text, boolean atStart, PieceSink out);

    /** The pieces of {@code text} (taken as the whole input) appended to {@code out}. */
    default void split(String text, List<String> out) {
        split(text, true, (piece, atStart) -> out.add(piece));
    }
}
