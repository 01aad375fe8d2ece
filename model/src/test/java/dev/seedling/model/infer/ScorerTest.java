package dev.seedling.model.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaWeights;
import dev.seedling.tensor.SeedlingException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batched scoring against per-token log-softmax of the training forward over each whole sequence. Tolerance 1e-4
 * per token log-prob (float32 logits, different matmul grouping).
 */
class ScorerTest {
    static final LlamaConfig CFG = InferenceModelTest.CFG;

    @Test
    void scoresEqualSummedLogprobsOfTheFullForward() {
        LlamaWeights w = InferenceModelTest.randomWeights(CFG, "scorer");
        int V = CFG.vocabSize();
        List<Scorer.Item> items = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            int[] ctx = InferenceModelTest.randomTokens("ctx" + i, 1 + (i * 5) % 17, V);
            int[] cont = InferenceModelTest.randomTokens("cont" + i, 1 + (i * 3) % 7, V);
            items.add(new Scorer.Item(ctx, cont));
        }
        // default packing, and a model whose passes hold only 8 rows (items split over several passes)
        for (InferenceModel m : List.of(InferenceModel.of(w), InferenceModel.of(w, f -> f, 8))) {
            List<Scorer.Score> scores = Scorer.logLikelihood(m, items, 3);
            for (int i = 0; i < items.size(); i++) {
                Scorer.Item it = items.get(i);
                int[] all = concat(it.context(), it.continuation());
                float[] logits = InferenceModelTest.fullForward(w, all);
                double sum = 0;
                boolean greedy = true;
                for (int j = 0; j < it.continuation().length; j++) {
                    int row = it.context().length - 1 + j, target = it.continuation()[j];
                    double max = Double.NEGATIVE_INFINITY, z = 0;
                    int arg = 0;
                    for (int v = 0; v < V; v++) if (logits[row * V + v] > max) { max = logits[row * V + v]; arg = v; }
                    for (int v = 0; v < V; v++) z += Math.exp(logits[row * V + v] - max);
                    double lp = logits[row * V + target] - max - Math.log(z);
                    assertThat((double) scores.get(i).tokenLogprobs()[j]).as("item %d token %d", i, j)
                            .isCloseTo(lp, org.assertj.core.data.Offset.offset(1e-4));
                    sum += lp;
                    greedy &= arg == target;
                }
                assertThat(scores.get(i).logLikelihood()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-3));
                assertThat(scores.get(i).greedy()).isEqualTo(greedy);
            }
        }
    }

    @Test
    void aGreedyContinuationIsFlaggedGreedy() {
        LlamaWeights w = InferenceModelTest.randomWeights(CFG, "scorer-greedy");
        InferenceModel m = InferenceModel.of(w);
        int[] ctx = {3, 1, 4, 1, 5};
        var gen = dev.seedling.model.Generator.generate(m, List.of(new dev.seedling.model.Generator.Request(ctx,
                dev.seedling.model.SamplingParams.greedy(6))), null, null).getFirst();
        int[] cont = gen.tokens();
        int[] other = cont.clone();
        other[2] = (other[2] + 1) % CFG.vocabSize();
        List<Scorer.Score> s = Scorer.logLikelihood(m, List.of(new Scorer.Item(ctx, cont), new Scorer.Item(ctx, other)));
        assertThat(s.get(0).greedy()).isTrue();
        assertThat(s.get(1).greedy()).isFalse();
        assertThat(s.get(0).logLikelihood()).isGreaterThan(s.get(1).logLikelihood());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Scorer.Item(new int[0], cont)).isInstanceOf(SeedlingException.class);
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
