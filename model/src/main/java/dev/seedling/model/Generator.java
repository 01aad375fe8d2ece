package dev.seedling.model;

import dev.seedling.model.infer.InferenceModel;
import dev.seedling.model.infer.KvCache;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Autoregressive generation with a KV cache ({@link InferenceModel}): each prompt is prefilled in one matrix-matrix
 * pass, then every active sequence advances by one token per decoding step, all of them in ONE batched forward
 * (m = number of active sequences). Up to {@code maxBatch} sequences run at once; when one finishes (stop token,
 * stop string, max tokens, full context, or the listener says stop) its cache slot takes the next waiting request.
 * Each sequence samples with its own {@link Sampler} (its own seed), so its tokens do not depend on the others in the
 * batch (up to float rounding of batched matrix products for batches above 8 rows).
 *
 * <p>A prompt longer than the context keeps its last {@code contextLength − 1} tokens. When a sequence fills the
 * context it ends with {@link FinishReason#LENGTH}; the legacy single-prompt {@link #generate(LlamaModel, int[],
 * Settings, IntPredicate)} instead slides: it keeps the last half of the context and prefills it again.
 */
public final class Generator {
    private Generator() {}

    /** Why a sequence ended: a stop token/string ({@code STOP}), max tokens or a full context ({@code LENGTH}), or the listener ({@code ABORT}). */
    public enum FinishReason { STOP, LENGTH, ABORT }

    /** One prompt (token ids, at least one) and how to continue it. */
    public record Request(int[] prompt, SamplingParams params) {
        public Request {
            if (prompt == null || prompt.length == 0) throw new SeedlingException("a prompt must hold at least one token (e.g. BOS)");
            prompt = prompt.clone();
        }
    }

    /** The raw log-prob of a generated token and the most likely alternatives at that step (most likely first). */
    public record TokenLogprob(int token, float logprob, int[] topIds, float[] topLogprobs) {}

    /**
     * A finished sequence: the new tokens (without the prompt; a stop token is not included, the tokens of a stop
     * string are), the decoded text (cut before a stop string; null without a tokenizer), why it ended, and per
     * token log-probs (empty unless asked for).
     */
    public record Completion(int[] tokens, String text, FinishReason finishReason, List<TokenLogprob> logprobs) {}

    /**
     * Sees each new token of request {@code request} as it is produced; returns false to end that sequence. Called on
     * the generating thread. When a sequence ends with text still held back, one last call passes token -1 and
     * that text (its return value is then ignored).
     */
    @FunctionalInterface
    public interface Listener {
        /** @param textDelta new text that is now certain (held back while it may start a stop string or complete a character); null without a tokenizer */
        boolean onToken(int request, int token, String textDelta);
    }

    /**
     * Settings of one legacy single-prompt generation: how many tokens, how to sample, when to stop.
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

        SamplingParams params() {
            return SamplingParams.defaults().withMaxTokens(maxNewTokens).withTemperature(temperature).withTopK(topK)
                    .withSeed(seed).withStopTokenIds(stopTokens).withTokenLimit(tokenLimit);
        }
    }

    /**
     * Generates up to {@code maxNewTokens} tokens after {@code prompt}; {@code onToken} sees each new token as it is
     * produced and may return false to stop early. Returns the new tokens (without the prompt; a stop token ends
     * generation and is not included).
     */
    public static int[] generate(LlamaModel model, int[] prompt, Settings s, IntPredicate onToken) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt must hold at least one token (e.g. BOS)");
        InferenceModel engine = InferenceModel.of(model.weights());
        List<Completion> out = run(engine, List.of(new Request(prompt, s.params())), null, 1,
                onToken == null ? null : (r, t, d) -> onToken.test(t), true);
        return out.getFirst().tokens();
    }

    /** {@link #generate(InferenceModel, List, Tokenizer, int, Listener)} with up to 8 sequences at once. */
    public static List<Completion> generate(InferenceModel model, List<Request> requests, Tokenizer tokenizer, Listener listener) {
        return generate(model, requests, tokenizer, 8, listener);
    }

    /**
     * Runs every request, up to {@code maxBatch} at a time; returns their completions in request order.
     *
     * @param tokenizer decodes text for stop strings, deltas and {@link Completion#text()}; may be null when no
     *                  request has stop strings
     * @param listener  streaming callback, or null
     */
    public static List<Completion> generate(InferenceModel model, List<Request> requests, Tokenizer tokenizer, int maxBatch,
            Listener listener) {
        return run(model, requests, tokenizer, maxBatch, listener, false);
    }

    private static List<Completion> run(InferenceModel model, List<Request> requests, Tokenizer tokenizer, int maxBatch,
            Listener listener, boolean slide) {
        if (maxBatch <= 0) throw new IllegalArgumentException("maxBatch must be positive");
        int ctx = model.contextLength(), V = model.config().vocabSize();
        int maxSeq = 1;
        for (Request r : requests) {
            if (tokenizer == null && !r.params().stopStrings().isEmpty())
                throw new SeedlingException("stop strings need a tokenizer to decode the text");
            maxSeq = (int) Math.max(maxSeq, Math.min(ctx, (long) Math.min(r.prompt().length, ctx - 1) + r.params().maxTokens()));
        }
        Completion[] done = new Completion[requests.size()];
        if (requests.isEmpty()) return List.of();
        int slots = Math.min(maxBatch, requests.size());
        KvCache cache = model.newCache(slots, maxSeq);
        Deque<Integer> pending = new ArrayDeque<>();
        for (int i = 0; i < requests.size(); i++) pending.add(i);
        Seq[] active = new Seq[slots];
        float[] logits = new float[slots * V];
        int[] batchSlots = new int[slots], batchTokens = new int[slots];
        while (true) {
            // fill free slots: prefill the prompt and sample the first token
            for (int s = 0; s < slots; s++) {
                while (active[s] == null && !pending.isEmpty()) {
                    int idx = pending.poll();
                    Request r = requests.get(idx);
                    Seq q = new Seq(idx, s, r, tokenizer, ctx, slide);
                    if (r.params().maxTokens() == 0) {
                        done[idx] = q.finish(FinishReason.LENGTH, listener);
                        continue;
                    }
                    cache.reset(s);
                    model.prefill(cache, s, q.prompt, logits);
                    active[s] = q;
                    if (!q.accept(q.sampler.sample(logits, 0, V), cache, maxSeq, listener)) {
                        done[idx] = q.result;
                        active[s] = null;
                    }
                }
            }
            // sequences that filled the context (sliding only): prefill the last half again
            for (int s = 0; s < slots; s++) {
                Seq q = active[s];
                while (q != null && q.needsShift) {
                    q.needsShift = false;
                    int[] window = q.window(Math.max(1, maxSeq / 2));
                    cache.reset(s);
                    model.prefill(cache, s, window, logits);
                    if (!q.accept(q.sampler.sample(logits, 0, V), cache, maxSeq, listener)) {
                        done[q.request] = q.result;
                        active[s] = q = null;
                    }
                }
            }
            int n = 0;
            for (int s = 0; s < slots; s++) {
                if (active[s] == null) continue;
                batchSlots[n] = s;
                batchTokens[n++] = active[s].last;
            }
            if (n == 0) break;
            model.decode(cache, batchSlots, batchTokens, n, logits);
            for (int i = 0; i < n; i++) {
                Seq q = active[batchSlots[i]];
                if (!q.accept(q.sampler.sample(logits, i * V, V), cache, maxSeq, listener)) {
                    done[q.request] = q.result;
                    active[batchSlots[i]] = null;
                }
            }
        }
        return List.of(done);
    }

    /** One running sequence. */
    private static final class Seq {
        final int request, slot;
        final int[] prompt;
        final SamplingParams params;
        final Sampler sampler;
        final Tokenizer tokenizer;
        final List<TokenLogprob> logprobs = new ArrayList<>();
        final int longestStop;
        final boolean slide;
        boolean needsShift;
        int[] tokens = new int[16];
        int count, last, emitted;
        Completion result;

        Seq(int request, int slot, Request r, Tokenizer tokenizer, int ctx, boolean slide) {
            this.request = request;
            this.slide = slide;
            this.slot = slot;
            int[] p = r.prompt();
            this.prompt = p.length < ctx ? p : Arrays.copyOfRange(p, p.length - (ctx - 1), p.length);
            this.params = r.params();
            this.sampler = new Sampler(params);
            sampler.observePrompt(prompt, 0, prompt.length);
            this.tokenizer = tokenizer;
            int longest = 0;
            for (String s : params.stopStrings()) longest = Math.max(longest, s.length());
            this.longestStop = longest;
        }

        /** Takes the sampled token; returns false (with {@link #result} set) when the sequence is over. */
        boolean accept(int token, KvCache cache, int maxSeq, Listener listener) {
            if (params.isStopToken(token)) {
                result = finish(FinishReason.STOP, listener);
                return false;
            }
            if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
            tokens[count++] = token;
            last = token;
            if (params.logprobs() >= 0) {
                int[] ids = new int[params.logprobs()];
                float[] lps = new float[params.logprobs()];
                int k = sampler.lastTop(ids, lps);
                logprobs.add(new TokenLogprob(token, sampler.lastLogprob(), Arrays.copyOf(ids, k), Arrays.copyOf(lps, k)));
            }
            String delta = null;
            if (tokenizer != null) {
                String text = tokenizer.decode(tokens, 0, count);
                int stopAt = findStop(text);
                if (stopAt >= 0) {
                    String d = stopAt > emitted ? text.substring(emitted, stopAt) : "";
                    emitted = Math.max(emitted, stopAt);
                    if (listener != null && !d.isEmpty()) listener.onToken(request, token, d);
                    result = new Completion(Arrays.copyOf(tokens, count), text.substring(0, stopAt), FinishReason.STOP, List.copyOf(logprobs));
                    return false;
                }
                int safe = safeEnd(text);
                delta = safe > emitted ? text.substring(emitted, safe) : "";
                emitted = Math.max(emitted, safe);
            }
            if (listener != null && !listener.onToken(request, token, delta)) {
                result = finish(FinishReason.ABORT, null);
                return false;
            }
            if (count >= params.maxTokens()) {
                result = finish(FinishReason.LENGTH, listener);
                return false;
            }
            if (cache.length(slot) + 1 > maxSeq) {
                if (slide && maxSeq >= 2) {
                    needsShift = true;
                    return true;
                }
                result = finish(FinishReason.LENGTH, listener);
                return false;
            }
            return true;
        }

        /** The last {@code n} tokens of prompt + generated. */
        int[] window(int n) {
            int total = prompt.length + count;
            n = Math.min(n, total);
            int[] w = new int[n];
            for (int i = 0; i < n; i++) {
                int j = total - n + i;
                w[i] = j < prompt.length ? prompt[j] : tokens[j - prompt.length];
            }
            return w;
        }

        /** The first occurrence of a stop string in {@code text} (searching only where a new one can be), or -1. */
        private int findStop(String text) {
            if (longestStop == 0) return -1;
            int from = Math.max(0, emitted - longestStop), best = -1;
            for (String s : params.stopStrings()) {
                int i = text.indexOf(s, from);
                if (i >= 0 && (best < 0 || i < best)) best = i;
            }
            return best;
        }

        /** How much of {@code text} is final: not a trailing partial character, not a possible stop-string start. */
        private int safeEnd(String text) {
            int end = text.length();
            while (end > emitted && text.charAt(end - 1) == '\uFFFD') end--;
            int hold = 0;
            for (String s : params.stopStrings())
                for (int k = Math.min(s.length() - 1, end); k > hold; k--)
                    if (text.startsWith(s.substring(0, k), end - k)) {
                        hold = k;
                        break;
                    }
            return end - hold;
        }

        /** Ends the sequence, flushing held-back text to the listener. */
        Completion finish(FinishReason reason, Listener listener) {
            String text = null;
            if (tokenizer != null) {
                text = tokenizer.decode(tokens, 0, count);
                if (listener != null && text.length() > emitted) listener.onToken(request, -1, text.substring(emitted));
                emitted = text.length();
            }
            return new Completion(Arrays.copyOf(tokens, count), text, reason, List.copyOf(logprobs));
        }
    }
}
