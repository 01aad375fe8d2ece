package dev.seedling.tokenizer.internal.hf;

/**
 * The post-processor of a Hugging Face tokenizer ({@code tokenizer.json} {@code "post_processor"}) for a single
 * sequence: what {@code encode(text, add_special_tokens=True)} wraps around the ids. Built by
 * {@link PostProcessors#fromJson}; implementations are immutable and thread-safe.
 */
public interface PostProcessor {
    /** The final ids for {@code ids} (not modified); when {@code addSpecialTokens} is false most processors add nothing. */
    int[] process(int[] ids, boolean addSpecialTokens);
}
