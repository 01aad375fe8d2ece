package dev.seedling.model;

import dev.seedling.tensor.Tape;
import dev.seedling.tensor.Var;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Plain autoregressive generation: each new token re-runs the forward pass over the whole context (no KV cache —
 * the inference issue adds one) on an inference tape whose buffers are reused from token to token. When the context
 * outgrows {@code max_position_embeddings} the oldest tokens are dropped.
 */
public final class Generator {
    private Generator() {}

    /**
     * Settings of one generation: how many tokens, how to sample, when to stop.
     *
     * @param tokenLimit only ids below this are ever sampled (0 = the whole vocabulary): a model's embedding may
     *                   have more rows than its tokenizer has ids (padded to a multiple of 64)
     */
    public record Settings(int maxNewTokens, float temperature, int topK, long seed, int[] stopTokens, int tokenLimit) {
        public Settings {
            if (maxNewTokens < 0) throw new IllegalArgumentException("max new tokens must be >= 0");
            if (tokenLimit < 0) throw new IllegalArgumentException("token limit must be >= 0");
            stopTokens = stopTokens == null ? new int[0] : stopTokens.clone();
        }

        public Settings(int maxNewTokens, float temperature, int topK, long seed, int[] stopTokens) {
            this(maxNewTokens, temperature, topK, seed, stopTokens, 0);
        }
    }

    /**
     * Generates up to {@code maxNewTokens} tokens after {@code prompt}; {@code onToken} sees each new token as it is
     * produced and may return false to stop early. Returns the new tokens (without the prompt; a stop token ends
     * generation and is not included).
     */
    public static int[] generate(LlamaModel model, int[] prompt, Settings s, IntPredicate onToken) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt must hold at least one token (e.g. BOS)");
        int maxCtx = model.config().maxPositionEmbeddings(), vocab = model.config().vocabSize();
        int candidates = s.tokenLimit() == 0 ? vocab : Math.min(vocab, s.tokenLimit());
        Sampler sampler = new Sampler(s.temperature(), s.topK(), s.seed());
        int[] ctx = Arrays.copyOf(prompt, prompt.length + s.maxNewTokens());
        int len = prompt.length;
        Tape tape = Tape.inference();
        int produced = 0;
        while (produced < s.maxNewTokens()) {
            int start = Math.max(0, len - maxCtx), t = len - start;
            tape.reset();
            Var logits = model.forward(tape, ctx, start, 1, t);
            int next = sampler.sample(logits.value().data(), logits.value().offset() + (t - 1) * vocab, candidates);
            if (contains(s.stopTokens(), next)) break;
            ctx[len++] = next;
            produced++;
            if (onToken != null && !onToken.test(next)) break;
        }
        return Arrays.copyOfRange(ctx, prompt.length, len);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
