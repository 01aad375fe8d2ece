package dev.seedling.model;

import dev.seedling.tensor.SeedlingException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one sequence is sampled and when it stops. Validated on construction; defaults in {@link #defaults()}.
 *
 * <p>Order of processing of a row of logits (the {@code Sampler}): logit bias (added) → repetition penalty (HF: a
 * seen token's logit is divided by the penalty when positive, multiplied when negative; "seen" = prompt and
 * generated tokens) → frequency and presence penalties (OpenAI: {@code logit −= count·frequency +
 * (count > 0)·presence}, counts over generated tokens) → greedy argmax when {@code temperature == 0}, else
 * ÷ temperature → top-k → softmax → top-p (smallest most-likely set with mass ≥ p) → min-p (drop tokens below
 * {@code minP ×} the top probability) → sample. Log-probs reported are of the RAW model logits (log-softmax over the
 * whole vocabulary before any of the above), as the OpenAI API reports them.
 *
 * @param maxTokens         most new tokens (≥ 0)
 * @param temperature       0 = greedy, else divides the logits (≥ 0)
 * @param topK              keep the k most likely tokens; 0 = all
 * @param topP              nucleus mass in (0, 1]; 1 = off
 * @param minP              in [0, 1]; 0 = off
 * @param repetitionPenalty HF repetition penalty, &gt; 0; 1 = off
 * @param frequencyPenalty  OpenAI frequency penalty in [-2, 2]; 0 = off
 * @param presencePenalty   OpenAI presence penalty in [-2, 2]; 0 = off
 * @param logitBias         token id → bias added to its logit (OpenAI {@code logit_bias}, [-100, 100])
 * @param stopTokenIds      generation ends when one of these is sampled (it is not part of the output)
 * @param stopStrings       generation ends when the decoded text contains one (the text is cut before it)
 * @param seed              fixes the sampling of this sequence (same seed, same prompt, same model → same tokens)
 * @param logprobs          report the sampled token's log-prob and this many top alternatives per step; -1 = none
 * @param tokenLimit        only ids below this are ever sampled (0 = all): a model's embedding may have more rows
 *                          than its tokenizer has ids
 */
public record SamplingParams(int maxTokens, float temperature, int topK, float topP, float minP,
        float repetitionPenalty, float frequencyPenalty, float presencePenalty, Map<Integer, Float> logitBias,
        int[] stopTokenIds, List<String> stopStrings, long seed, int logprobs, int tokenLimit) {

    public static final int DEFAULT_MAX_TOKENS = 256;
    public static final float DEFAULT_TEMPERATURE = 1f;

    public SamplingParams {
        if (maxTokens < 0) throw new SeedlingException("max tokens must be >= 0, got " + maxTokens);
        if (!(temperature >= 0) || Float.isInfinite(temperature))
            throw new SeedlingException("temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new SeedlingException("top-k must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new SeedlingException("top-p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP <= 1)) throw new SeedlingException("min-p must be in [0, 1], got " + minP);
        if (!(repetitionPenalty > 0) || Float.isInfinite(repetitionPenalty))
            throw new SeedlingException("repetition penalty must be > 0 (1 = off), got " + repetitionPenalty);
        if (!(Math.abs(frequencyPenalty) <= 2)) throw new SeedlingException("frequency penalty must be in [-2, 2], got " + frequencyPenalty);
        if (!(Math.abs(presencePenalty) <= 2)) throw new SeedlingException("presence penalty must be in [-2, 2], got " + presencePenalty);
        logitBias = logitBias == null ? Map.of() : new TreeMap<>(logitBias);
        for (Map.Entry<Integer, Float> e : logitBias.entrySet())
            if (e.getKey() == null || e.getKey() < 0 || e.getValue() == null || !(Math.abs(e.getValue()) <= 100))
                throw new SeedlingException("logit bias " + e.getKey() + " -> " + e.getValue() + ": ids must be >= 0 and biases in [-100, 100]");
        logitBias = java.util.Collections.unmodifiableMap(logitBias);
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds.clone();
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        for (String s : stopStrings) if (s.isEmpty()) throw new SeedlingException("a stop string must not be empty");
        if (logprobs < -1 || logprobs > 20) throw new SeedlingException("logprobs must be in [-1, 20] (-1 = none), got " + logprobs);
        if (tokenLimit < 0) throw new SeedlingException("token limit must be >= 0, got " + tokenLimit);
    }

    /** Temperature 1, no filtering or penalties, 256 tokens, seed 0, no log-probs. */
    public static SamplingParams defaults() {
        return new SamplingParams(DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, 0, 1f, 0f, 1f, 0f, 0f, Map.of(), new int[0],
                List.of(), 0, -1, 0);
    }

    /** Greedy decoding of up to {@code maxTokens} tokens. */
    public static SamplingParams greedy(int maxTokens) {
        return defaults().withMaxTokens(maxTokens).withTemperature(0);
    }

    /** Whether a processing step other than temperature/top-k changes the logits or the candidate set. */
    public boolean penalized() {
        return repetitionPenalty != 1f || frequencyPenalty != 0f || presencePenalty != 0f || !logitBias.isEmpty();
    }

    public SamplingParams withMaxTokens(int v) {
        return new SamplingParams(v, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withTemperature(float v) {
        return new SamplingParams(maxTokens, v, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withTopK(int v) {
        return new SamplingParams(maxTokens, temperature, v, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withTopP(float v) {
        return new SamplingParams(maxTokens, temperature, topK, v, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withMinP(float v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, v, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withRepetitionPenalty(float v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, v, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withFrequencyPenalty(float v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, v, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withPresencePenalty(float v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, v, logitBias, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withLogitBias(Map<Integer, Float> v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, v, stopTokenIds, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withStopTokenIds(int... v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, v, stopStrings, seed, logprobs, tokenLimit);
    }

    public SamplingParams withStopStrings(List<String> v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, v, seed, logprobs, tokenLimit);
    }

    public SamplingParams withSeed(long v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, v, logprobs, tokenLimit);
    }

    public SamplingParams withLogprobs(int v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, v, tokenLimit);
    }

    public SamplingParams withTokenLimit(int v) {
        return new SamplingParams(maxTokens, temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, logitBias, stopTokenIds, stopStrings, seed, logprobs, v);
    }

    @Override
    public int[] stopTokenIds() {
        return stopTokenIds.clone();
    }

    public boolean isStopToken(int id) {
        for (int s : stopTokenIds) if (s == id) return true;
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplingParams p && maxTokens == p.maxTokens && Float.compare(temperature, p.temperature) == 0
                && topK == p.topK && Float.compare(topP, p.topP) == 0 && Float.compare(minP, p.minP) == 0
                && Float.compare(repetitionPenalty, p.repetitionPenalty) == 0
                && Float.compare(frequencyPenalty, p.frequencyPenalty) == 0
                && Float.compare(presencePenalty, p.presencePenalty) == 0 && logitBias.equals(p.logitBias)
                && java.util.Arrays.equals(stopTokenIds, p.stopTokenIds) && stopStrings.equals(p.stopStrings)
                && seed == p.seed && logprobs == p.logprobs && tokenLimit == p.tokenLimit;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(maxTokens, temperature, topK, topP, minP, repetitionPenalty, seed, logprobs,
                java.util.Arrays.hashCode(stopTokenIds), stopStrings, logitBias);
    }
}
