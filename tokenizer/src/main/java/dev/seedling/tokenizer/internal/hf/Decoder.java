package dev.seedling.tokenizer.internal.hf;

import java.util.List;

/**
 * A decoding step of a Hugging Face tokenizer ({@code tokenizer.json} {@code "decoder"}): token strings in, token
 * strings out (HF's {@code decode_chain}); the final text is the concatenation. Built by {@link Decoders#fromJson};
 * implementations are immutable and thread-safe.
 */
public interface Decoder {
    List<String> decodeChain(List<String> tokens);

    /** The decoded text: {@link #decodeChain} joined. */
    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }
}
