package dev.seedling.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.model.infer.InferenceModel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tape;
import dev.seedling.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Batched KV-cache generation: equal to one-by-one, stop tokens and strings, streaming text, log-probs. */
class GeneratorTest {
    static final LlamaConfig CFG = LlamaConfig.of(26, 16, 2, 4, 2, 24, 48, false);

    /** Token i is the letter 'a' + i. */
    static final Tokenizer LETTERS = new Tokenizer() {
        public String name() { return "letters"; }
        public int vocabSize() { return 26; }
        public int[] encode(String text) { return text.chars().map(c -> c - 'a').toArray(); }
        public String decode(int[] ids, int from, int to) {
            StringBuilder b = new StringBuilder();
            for (int i = from; i < to; i++) b.append((char) ('a' + ids[i]));
            return b.toString();
        }
        public int bosId() { return 0; }
        public int eosId() { return 25; }
        public int padId() { return -1; }
        public OptionalInt tokenId(String s) { return OptionalInt.empty(); }
        public String tokenText(int id) { return String.valueOf((char) ('a' + id)); }
        public Map<String, String> files() { return Map.of(); }
    };

    static InferenceModel model(String seed) {
        return InferenceModel.of(LlamaFamilyTest.random(CFG, seed));
    }

    @Test
    void batchedGenerationEqualsOneByOne() {
        InferenceModel m = model("gen-batch");
        List<Generator.Request> reqs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int[] prompt = new int[1 + 3 * i];
            for (int j = 0; j < prompt.length; j++) prompt[j] = (5 * i + 7 * j) % 26;
            reqs.add(new Generator.Request(prompt, SamplingParams.defaults().withMaxTokens(8 + i).withSeed(i)
                    .withTopP(0.9f).withLogprobs(2)));
        }
        List<Generator.Completion> batched = Generator.generate(m, reqs, LETTERS, 4, null);
        for (int i = 0; i < reqs.size(); i++) {
            Generator.Completion alone = Generator.generate(m, List.of(reqs.get(i)), LETTERS, 1, null).getFirst();
            assertThat(batched.get(i).tokens()).as("request %d", i).containsExactly(alone.tokens());
            assertThat(batched.get(i).text()).isEqualTo(alone.text());
            assertThat(batched.get(i).finishReason()).isEqualTo(Generator.FinishReason.LENGTH);
            assertThat(batched.get(i).tokens()).hasSize(8 + i);
        }
    }

    @Test
    void greedyTokensAndLogprobsMatchTheFullForward() {
        InferenceModel m = model("gen-greedy");
        LlamaModel tape = LlamaModel.of(m.weights(), false);
        int[] prompt = {1, 2, 3, 4};
        Generator.Completion c = Generator.generate(m, List.of(new Generator.Request(prompt,
                SamplingParams.greedy(10).withLogprobs(3))), null, null).getFirst();
        int V = CFG.vocabSize();
        int[] ctx = Arrays.copyOf(prompt, prompt.length + c.tokens().length);
        for (int i = 0; i < c.tokens().length; i++) {
            int len = prompt.length + i;
            float[] logits = tape.forward(Tape.inference(), ctx, 0, 1, len).value().toArray();
            int off = (len - 1) * V;
            assertThat(c.tokens()[i]).isEqualTo(Sampler.argmax(logits, off, V));
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int v = 0; v < V; v++) max = Math.max(max, logits[off + v]);
            for (int v = 0; v < V; v++) z += Math.exp(logits[off + v] - max);
            Generator.TokenLogprob lp = c.logprobs().get(i);
            assertThat((double) lp.logprob()).isCloseTo(logits[off + c.tokens()[i]] - max - Math.log(z), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(lp.topIds()[0]).isEqualTo(c.tokens()[i]);
            assertThat(lp.topIds()).hasSize(3);
            ctx[len] = c.tokens()[i];
        }
    }

    @Test
    void stopTokensAndStopStringsEndGeneration() {
        InferenceModel m = model("gen-stop");
        int[] prompt = {0, 1, 2};
        Generator.Completion free = Generator.generate(m, List.of(new Generator.Request(prompt, SamplingParams.greedy(20))), LETTERS, null).getFirst();
        String text = free.text();
        assertThat(text).hasSize(20);
        // a stop string taken from the middle of the free text: output cut right before its first occurrence
        String stop = text.substring(6, 9);
        int at = text.indexOf(stop);
        List<String> deltas = new ArrayList<>();
        Generator.Completion cut = Generator.generate(m, List.of(new Generator.Request(prompt,
                SamplingParams.greedy(20).withStopStrings(List.of("zzzzzz", stop)))), LETTERS, (r, t, d) -> {
                    deltas.add(d);
                    return true;
                }).getFirst();
        assertThat(cut.finishReason()).isEqualTo(Generator.FinishReason.STOP);
        assertThat(cut.text()).isEqualTo(text.substring(0, at));
        assertThat(String.join("", deltas)).isEqualTo(cut.text());
        assertThat(cut.tokens()).hasSize(at + stop.length());
        // a stop token: generation ends before it
        int stopId = free.tokens()[5];
        int first = 0;
        while (free.tokens()[first] != stopId) first++;
        Generator.Completion st = Generator.generate(m, List.of(new Generator.Request(prompt,
                SamplingParams.greedy(20).withStopTokenIds(stopId))), LETTERS, null).getFirst();
        assertThat(st.finishReason()).isEqualTo(Generator.FinishReason.STOP);
        assertThat(st.tokens()).containsExactly(Arrays.copyOf(free.tokens(), first));
        // the listener can end a sequence
        Generator.Completion aborted = Generator.generate(m, List.of(new Generator.Request(prompt, SamplingParams.greedy(20))),
                LETTERS, (r, t, d) -> false).getFirst();
        assertThat(aborted.finishReason()).isEqualTo(Generator.FinishReason.ABORT);
        assertThat(aborted.tokens()).hasSize(1);
        assertThatThrownBy(() -> Generator.generate(m, List.of(new Generator.Request(prompt,
                SamplingParams.greedy(3).withStopStrings(List.of("x")))), null, null)).isInstanceOf(SeedlingException.class);
    }

    @Test
    void aFullContextEndsWithLength() {
        InferenceModel m = model("gen-ctx");
        int[] prompt = new int[40];
        Generator.Completion c = Generator.generate(m, List.of(new Generator.Request(prompt, SamplingParams.greedy(100))), null, null).getFirst();
        assertThat(c.finishReason()).isEqualTo(Generator.FinishReason.LENGTH);
        assertThat(prompt.length + c.tokens().length).isEqualTo(CFG.contextLength() + 1); // the last token is never fed
    }
}
