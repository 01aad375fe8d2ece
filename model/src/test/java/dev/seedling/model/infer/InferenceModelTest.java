package dev.seedling.model.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tape;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The KV-cache engine against the training forward (full recomputation) of {@link LlamaModel}: prefill logits,
 * token-by-token decoding, batched decoding of sequences of different lengths, chunked prefill.
 * Tolerance: the engine and the tape forward use the same kernels in a different grouping (matrix-vector vs
 * blocked matmul, per-row vs tiled attention), so float32 logits agree to about 1e-6 relative; we allow 1e-5
 * absolute + 1e-4 relative on logits of magnitude ~1.
 */
class InferenceModelTest {
    // V 37, C 32, L 2, H 4, KV 2, F 48, 64 positions; untied
    static final LlamaConfig CFG = LlamaConfig.of(37, 32, 2, 4, 2, 48, 64, false);

    static LlamaWeights randomWeights(LlamaConfig c, String seed) {
        LlamaWeights w = LlamaWeights.zeros(c);
        SplittableRandom r = Seeds.rng(seed);
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((r.nextDouble() * 2 - 1) * 0.4);
        return w;
    }

    static int[] randomTokens(String seed, int n, int vocab) {
        SplittableRandom r = Seeds.rng(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(vocab);
        return t;
    }

    /** Logits (T, V) of the training forward over {@code tokens}. */
    static float[] fullForward(LlamaWeights w, int[] tokens) {
        return LlamaModel.of(w, false).forward(Tape.inference(), tokens, 0, 1, tokens.length).value().toArray();
    }

    @Test
    void prefillLogitsEqualTheTrainingForward() {
        for (boolean tied : new boolean[] {false, true}) {
            LlamaConfig c = LlamaConfig.of(37, 32, 2, 4, 2, 48, 64, tied);
            LlamaWeights w = randomWeights(c, "prefill-" + tied);
            InferenceModel m = InferenceModel.of(w);
            int[] tokens = randomTokens("prefill-tokens", 23, c.vocabSize());
            float[] full = fullForward(w, tokens);
            KvCache cache = m.newCache(1, 64);
            int V = c.vocabSize(), T = tokens.length;
            int[] rows = new int[T];
            for (int i = 0; i < T; i++) rows[i] = i;
            float[] all = new float[T * V];
            m.forward(cache, 1, new int[] {0}, new int[] {T}, tokens, 0, rows, T, all);
            Tolerance.assertClose("all-position logits (tied=" + tied + ")", full, all, 1e-5, 1e-4);
            assertThat(cache.length(0)).isEqualTo(T);
        }
    }

    @Test
    void kvCacheDecodingEqualsFullRecomputationAtEveryStep() {
        LlamaWeights w = randomWeights(CFG, "decode");
        InferenceModel m = InferenceModel.of(w);
        int V = CFG.vocabSize();
        int[] tokens = randomTokens("decode-tokens", 30, V);
        KvCache cache = m.newCache(2, 40);
        float[] logits = new float[V];
        int prompt = 7;
        m.prefill(cache, 1, Arrays.copyOf(tokens, prompt), logits);
        float[] full = fullForward(w, Arrays.copyOf(tokens, prompt));
        Tolerance.assertClose("prefill last logits", full, (prompt - 1) * V, logits, 0, V, 1e-5, 1e-4);
        for (int t = prompt; t < tokens.length; t++) {
            m.decode(cache, new int[] {1}, new int[] {tokens[t]}, 1, logits);
            full = fullForward(w, Arrays.copyOf(tokens, t + 1));
            Tolerance.assertClose("step " + t, full, t * V, logits, 0, V, 1e-5, 1e-4);
        }
        assertThat(cache.length(1)).isEqualTo(tokens.length);
        assertThat(cache.length(0)).isZero();
    }

    @Test
    void chunkedPrefillEqualsOnePrefill() {
        LlamaWeights w = randomWeights(CFG, "chunks");
        int V = CFG.vocabSize();
        int[] tokens = randomTokens("chunk-tokens", 45, V);
        float[] one = new float[V], chunked = new float[V];
        InferenceModel.of(w).prefill(InferenceModel.of(w).newCache(1, 64), 0, tokens, one);
        InferenceModel small = InferenceModel.of(w, f -> f, 16);
        small.prefill(small.newCache(1, 64), 0, tokens, chunked);
        Tolerance.assertClose("chunked prefill", one, chunked, 1e-5, 1e-4);
    }

    @Test
    void batchedDecodingOfDifferentLengthsEqualsOneByOne() {
        LlamaWeights w = randomWeights(CFG, "batch");
        int V = CFG.vocabSize(), n = 5, steps = 6;
        InferenceModel batched = InferenceModel.of(w), single = InferenceModel.of(w);
        KvCache bc = batched.newCache(n, 40);
        int[][] prompts = new int[n][];
        for (int i = 0; i < n; i++) prompts[i] = randomTokens("batch-prompt-" + i, 1 + 4 * i, V);
        float[] logits = new float[n * V], one = new float[V];
        int[] slots = {4, 0, 3, 1, 2};
        for (int i = 0; i < n; i++) batched.prefill(bc, slots[i], prompts[i], one);
        float[][] expected = new float[n][];
        int[][] next = new int[steps][n];
        for (int s = 0; s < steps; s++) for (int i = 0; i < n; i++) next[s][i] = (7 * s + 3 * i) % V;
        // one by one
        for (int i = 0; i < n; i++) {
            KvCache c = single.newCache(1, 40);
            single.prefill(c, 0, prompts[i], one);
            expected[i] = new float[steps * V];
            for (int s = 0; s < steps; s++) {
                single.decode(c, new int[] {0}, new int[] {next[s][i]}, 1, one);
                System.arraycopy(one, 0, expected[i], s * V, V);
            }
        }
        for (int s = 0; s < steps; s++) {
            batched.decode(bc, slots, next[s], n, logits);
            for (int i = 0; i < n; i++)
                assertThat(Arrays.copyOfRange(logits, i * V, (i + 1) * V)).as("step %d seq %d", s, i)
                        .containsExactly(Arrays.copyOfRange(expected[i], s * V, (s + 1) * V));
        }
    }

    @Test
    void mixedSegmentsInOneCallEqualSeparateCalls() {
        LlamaWeights w = randomWeights(CFG, "mixed");
        int V = CFG.vocabSize();
        int[] p0 = randomTokens("mixed-0", 5, V), p2 = randomTokens("mixed-2", 3, V), p1 = randomTokens("mixed-1", 6, V);
        float[] scratch = new float[V];
        InferenceModel a = InferenceModel.of(w), b = InferenceModel.of(w);
        KvCache ca = a.newCache(3, 32), cb = b.newCache(3, 32);
        for (KvCache c : new KvCache[] {ca, cb}) {
            InferenceModel m = c == ca ? a : b;
            m.prefill(c, 0, p0, scratch);
            m.prefill(c, 2, p2, scratch);
        }
        // one call: slot 0 decodes a token, slot 1 prefills 6, slot 2 decodes a token
        int[] tokens = new int[8];
        tokens[0] = 4;
        System.arraycopy(p1, 0, tokens, 1, 6);
        tokens[7] = 9;
        float[] mixed = new float[3 * V];
        a.forward(ca, 3, new int[] {0, 1, 2}, new int[] {1, 6, 1}, tokens, 0, new int[] {0, 6, 7}, 3, mixed);
        float[] sep = new float[3 * V], one = new float[V];
        b.decode(cb, new int[] {0}, new int[] {4}, 1, one);
        System.arraycopy(one, 0, sep, 0, V);
        b.prefill(cb, 1, p1, one);
        System.arraycopy(one, 0, sep, V, V);
        b.decode(cb, new int[] {2}, new int[] {9}, 1, one);
        System.arraycopy(one, 0, sep, 2 * V, V);
        Tolerance.assertClose("mixed batch", sep, mixed, 1e-5, 1e-4);
        for (int s = 0; s < 3; s++) assertThat(ca.length(s)).isEqualTo(cb.length(s));
    }

    @Test
    void steadyStateDecodingAllocatesNothing() {
        // a large vocabulary, so that any per-step buffer (logits: 4 x 4096 floats = 64 KiB) would show
        LlamaConfig big = LlamaConfig.of(4096, 32, 2, 4, 2, 48, 64, false);
        InferenceModel m = InferenceModel.of(randomWeights(big, "alloc"));
        KvCache c = m.newCache(4, 64);
        int V = big.vocabSize();
        float[] logits = new float[4 * V];
        int[] slots = {0, 1, 2, 3}, tokens = {1, 2, 3, 4};
        for (int s = 0; s < 4; s++) m.prefill(c, s, randomTokens("alloc-" + s, 2 + s, V), logits);
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // warm up until the kernels are JIT-compiled (interpreted Vector API code boxes every vector; a few boxed
        // vectors, ~2 KB per step, remain in this short run)
        for (int round = 0; round < 300; round++) {
            for (int i = 0; i < 20; i++) m.decode(c, slots, tokens, 4, logits);
            for (int s = 0; s < 4; s++) c.truncate(s, 2 + s);
        }
        // the least over a few rounds: a round in which the JIT recompiles (deoptimised code boxes vectors again)
        // must not make the test flaky; a buffer allocated per step would show in every round
        long per = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            for (int s = 0; s < 4; s++) c.truncate(s, 2 + s);
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) m.decode(c, slots, tokens, 4, logits);
            per = Math.min(per, (bean.getCurrentThreadAllocatedBytes() - before) / 20);
        }
        assertThat(per).as("bytes allocated per decoding step (a logits buffer would be 64 KiB)").isLessThan(16 << 10);
    }

    @Test
    void badCallsAreRefused() {
        InferenceModel m = InferenceModel.of(randomWeights(CFG, "bad"));
        KvCache c = m.newCache(2, 8);
        float[] logits = new float[CFG.vocabSize()];
        assertThatThrownBy(() -> m.prefill(c, 0, new int[9], logits)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("beyond the cache's 8");
        assertThatThrownBy(() -> m.prefill(c, 0, new int[] {37}, logits)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("token id 37 is outside the vocabulary");
        assertThatThrownBy(() -> m.newCache(1, 65)).isInstanceOf(SeedlingException.class).hasMessageContaining("context length 64");
    }
}
