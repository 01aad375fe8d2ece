package dev.seedling.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.tensor.AdamW;
import dev.seedling.tensor.CrossEntropyOp;
import dev.seedling.tensor.Tape;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.Var;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import dev.seedling.tokenizer.ByteTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Llama model against an independent double-precision reference, its gradients, and its save/load. */
class LlamaModelTest {
    // V vocab, C hidden, L layers, H heads, KV kv heads, F ffn, T positions
    static final LlamaConfig SMALL = LlamaConfig.of(11, 8, 2, 2, 1, 12, 16, false);

    /** Random weights (including the norms, so that they matter) from a fixed seed. */
    static LlamaModel randomModel(LlamaConfig c, String seedName, boolean trainable) {
        LlamaWeights w = LlamaWeights.zeros(c);
        SplittableRandom r = Seeds.rng(seedName);
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((r.nextDouble() * 2 - 1) * 0.5);
        return LlamaModel.of(w, trainable);
    }

    @Test
    void forwardMatchesAnIndependentDoublePrecisionReference() {
        for (boolean tied : new boolean[] {false, true}) {
            LlamaConfig c = LlamaConfig.of(11, 8, 2, 2, 1, 12, 16, tied);
            LlamaModel model = randomModel(c, "forward-" + tied, false);
            int batch = 2, seq = 5;
            int[] tokens = {1, 4, 9, 10, 0, 3, 3, 7, 2, 5};
            Var logits = model.forward(Tape.inference(), tokens, 0, batch, seq);
            double[] expected = ReferenceLlama.logits(model.weights(), tokens, batch, seq);
            Tolerance.assertClose("logits (tied=" + tied + ")", expected, logits.value().toArray(), 2e-5, 2e-4);
        }
    }

    @Test
    void forwardOfAPrefixDoesNotSeeLaterTokens() {
        LlamaModel model = randomModel(SMALL, "causal", false);
        int[] a = {1, 2, 3, 4, 5, 6}, b = {1, 2, 3, 9, 9, 9};
        float[] la = model.forward(Tape.inference(), a, 0, 1, 6).value().toArray();
        float[] lb = model.forward(Tape.inference(), b, 0, 1, 6).value().toArray();
        int v = SMALL.vocabSize();
        assertThat(Arrays.copyOf(la, 3 * v)).containsExactly(Arrays.copyOf(lb, 3 * v));
        assertThat(Arrays.copyOfRange(la, 3 * v, 4 * v)).isNotEqualTo(Arrays.copyOfRange(lb, 3 * v, 4 * v));
    }

    @Test
    void gradientsOfTheWholeModelMatchFiniteDifferences() {
        LlamaModel model = randomModel(SMALL, "model-grad", true);
        int batch = 2, seq = 4;
        int[] tokens = {1, 4, 9, 10, 3, 7, 2, 5};
        int[] targets = {4, 9, 10, 2, 7, 2, 5, 0};
        Tape tape = Tape.training();
        Var loss = CrossEntropyOp.apply(tape, model.forward(tape, tokens, 0, batch, seq), targets, 0);
        tape.backward(loss, 1f);
        float[] w = model.weights().data(), g = model.grads().data();
        SplittableRandom r = Seeds.rng("model-grad-probes");
        double h = 1e-2;
        for (int probe = 0; probe < 60; probe++) {
            int i = r.nextInt(w.length);
            float orig = w[i];
            w[i] = (float) (orig + h);
            double lp = ReferenceLlama.loss(model.weights(), tokens, targets, batch, seq);
            w[i] = (float) (orig - h);
            double lm = ReferenceLlama.loss(model.weights(), tokens, targets, batch, seq);
            w[i] = orig;
            double numeric = (lp - lm) / (2 * h);
            assertThat((double) g[i]).as("d loss / d param[%d]", i)
                    .isCloseTo(numeric, org.assertj.core.data.Offset.offset(3e-4 + 2e-2 * Math.abs(numeric)));
        }
    }

    @Test
    void aTinyModelOverfitsOneBatch() {
        LlamaConfig c = LlamaConfig.of(32, 32, 2, 4, 2, 64, 16, false);
        LlamaModel model = LlamaModel.initialize(c, 7, true);
        LlamaWeights m = model.weights().sameLayout(), v = model.weights().sameLayout();
        SplittableRandom r = Seeds.rng("overfit");
        int batch = 2, seq = 16;
        int[] tokens = new int[batch * seq], targets = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(32);
            targets[i] = r.nextInt(32);
        }
        Tape tape = Tape.training();
        double first = 0, last = 0;
        float[] p = model.weights().data(), g = model.grads().data();
        for (int step = 1; step <= 150; step++) {
            Arrays.fill(g, 0f);
            tape.reset();
            Var loss = CrossEntropyOp.apply(tape, model.forward(tape, tokens, 0, batch, seq), targets, 0);
            tape.backward(loss, 1f);
            if (step == 1) first = loss.value().get(0);
            last = loss.value().get(0);
            AdamW.step(p, g, m.data(), v.data(), 0, p.length, 1e-2f, 0.9f, 0.99f, 1e-8f, 0f, step);
        }
        assertThat(first).isGreaterThan(3.0); // ~ln 32
        assertThat(last).as("loss after 150 steps on one batch").isLessThan(0.05);
    }

    @Test
    void savedAndReloadedModelGivesIdenticalLogits(@TempDir Path dir) throws Exception {
        LlamaModel model = randomModel(SMALL.withOverrides(Map.of("vocab_size", "300")).withSpecialTokens(256, 256), "save", false);
        Path out = dir.resolve("model");
        model.save(out, new ByteTokenizer());
        for (String f : new String[] {"config.json", "model.safetensors", "generation_config.json", "tokenizer.json", "tokenizer_config.json"})
            assertThat(out.resolve(f)).isRegularFile();
        LlamaModel back = LlamaModel.load(out, false);
        assertThat(back.config()).isEqualTo(model.config());
        int[] tokens = {1, 2, 3, 250, 299};
        assertThat(back.forward(Tape.inference(), tokens, 0, 1, 5).value().toArray())
                .containsExactly(model.forward(Tape.inference(), tokens, 0, 1, 5).value().toArray());
        // saving again replaces the model directory; the HF tensor names are the standard ones
        model.save(out, new ByteTokenizer());
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"LlamaForCausalLM\"");
        assertThat(model.weights().hfTensors()).containsKeys("model.embed_tokens.weight",
                "model.layers.1.self_attn.k_proj.weight", "model.layers.0.mlp.down_proj.weight", "lm_head.weight");
    }

    @Test
    void hfTensorViewsCoverTheFlatStorageExactlyOnce() {
        for (LlamaConfig c : new LlamaConfig[] {SMALL, LlamaConfig.of(11, 8, 2, 2, 1, 12, 16, true)}) {
            LlamaWeights w = LlamaWeights.zeros(c);
            int[] hits = new int[w.data().length];
            for (Tensor t : w.hfTensors().values()) for (int i = 0; i < t.size(); i++) hits[t.offset() + i]++;
            assertThat(hits).containsOnly(1);
            assertThat((long) w.data().length).isEqualTo(c.parameterCount());
        }
    }

    @Test
    void generationIsDeterministicAndGreedyPicksTheArgmax() {
        LlamaModel model = randomModel(SMALL, "generate", false);
        int[] prompt = {1, 2, 3};
        var sampled = new Generator.Settings(12, 0.9f, 5, 42, null);
        assertThat(Generator.generate(model, prompt, sampled, null)).containsExactly(Generator.generate(model, prompt, sampled, null));
        int[] greedy = Generator.generate(model, prompt, new Generator.Settings(4, 0f, 0, 0, null), null);
        int[] ctx = Arrays.copyOf(prompt, prompt.length + greedy.length);
        for (int i = 0; i < greedy.length; i++) {
            int len = prompt.length + i;
            float[] logits = model.forward(Tape.inference(), ctx, 0, 1, len).value().toArray();
            assertThat(greedy[i]).isEqualTo(Sampler.argmax(logits, (len - 1) * SMALL.vocabSize(), SMALL.vocabSize()));
            ctx[len] = greedy[i];
        }
        // a stop token ends generation; a context longer than max_position_embeddings slides
        int[] stopped = Generator.generate(model, prompt, new Generator.Settings(4, 0f, 0, 0, new int[] {greedy[0]}), null);
        assertThat(stopped).isEmpty();
        assertThat(Generator.generate(model, new int[] {1}, new Generator.Settings(40, 1f, 0, 3, null), null)).hasSize(40);
    }
}
