package dev.seedling.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sampling steps against hand-computed expectations, and seed determinism. */
class SamplerTest {
    /** Logits whose softmax at temperature 1 is exactly {0.5, 0.3, 0.15, 0.05} (up to float rounding). */
    static final float[] P4 = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};

    static int[] histogram(SamplingParams p, float[] logits, int draws) {
        Sampler s = new Sampler(p);
        int[] h = new int[logits.length];
        for (int i = 0; i < draws; i++) h[s.sample(logits, 0, logits.length)]++;
        return h;
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        Sampler s = new Sampler(SamplingParams.greedy(5).withRepetitionPenalty(2f));
        s.observePrompt(new int[] {0, 1, 1}, 0, 3);
        float[] w = {2.0f, -1.0f, 0.5f, 1.9f};
        s.process(w, 4);
        assertThat(w).containsExactly(1.0f, -2.0f, 0.5f, 1.9f);
        // greedy now picks token 3 (1.9) instead of token 0 (2.0)
        Sampler g = new Sampler(SamplingParams.greedy(5).withRepetitionPenalty(2f));
        g.observePrompt(new int[] {0}, 0, 1);
        assertThat(g.sample(new float[] {2.0f, -1.0f, 0.5f, 1.9f}, 0, 4)).isEqualTo(3);
    }

    @Test
    void frequencyAndPresencePenaltiesFollowOpenAi() {
        Sampler s = new Sampler(SamplingParams.greedy(5).withFrequencyPenalty(0.5f).withPresencePenalty(0.25f));
        s.observePrompt(new int[] {3}, 0, 1); // the prompt does not count for these penalties
        s.record(0);
        s.record(0);
        s.record(2);
        float[] w = {1f, 1f, 1f, 1f};
        s.process(w, 4);
        assertThat(w).containsExactly(1f - (2 * 0.5f + 0.25f), 1f, 1f - (0.5f + 0.25f), 1f);
    }

    @Test
    void logitBiasIsAddedAndCanForceAToken() {
        SamplingParams p = SamplingParams.greedy(5).withLogitBias(Map.of(2, 5f));
        assertThat(new Sampler(p).sample(new float[] {1f, 2f, -2f, 0f}, 0, 4)).isEqualTo(2);
        assertThat(histogram(SamplingParams.defaults().withLogitBias(Map.of(1, -100f)), P4, 500)[1]).isZero();
    }

    @Test
    void topPKeepsTheSmallestSetReachingTheMass() {
        // cumulative 0.5, 0.8, 0.95, 1.0: top-p 0.7 keeps {0, 1}; 0.5 keeps {0} (HF drops ids whose ascending
        // cumulative mass is <= 1 - p)
        int[] h = histogram(SamplingParams.defaults().withTopP(0.7f), P4, 4000);
        assertThat(h[2] + h[3]).isZero();
        assertThat(h[0] / 4000.0).isCloseTo(0.5 / 0.8, org.assertj.core.data.Offset.offset(0.03));
        assertThat(histogram(SamplingParams.defaults().withTopP(0.5f), P4, 300)).containsExactly(300, 0, 0, 0);
        assertThat(histogram(SamplingParams.defaults().withTopP(0.96f), P4, 4000)[3]).isGreaterThan(0);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        // threshold 0.35 * 0.5 = 0.175 keeps {0, 1}; 0.25 * 0.5 = 0.125 keeps {0, 1, 2}
        int[] h = histogram(SamplingParams.defaults().withMinP(0.35f), P4, 3000);
        assertThat(h[2] + h[3]).isZero();
        assertThat(h[1]).isGreaterThan(0);
        h = histogram(SamplingParams.defaults().withMinP(0.25f), P4, 3000);
        assertThat(h[3]).isZero();
        assertThat(h[2]).isGreaterThan(0);
    }

    @Test
    void topKAndTemperature() {
        int[] h = histogram(SamplingParams.defaults().withTopK(2), P4, 3000);
        assertThat(h[2] + h[3]).isZero();
        assertThat(h[0] / 3000.0).isCloseTo(0.5 / 0.8, org.assertj.core.data.Offset.offset(0.03));
        // temperature 0.5 squares the probabilities: 0.25 / (0.25 + 0.09 + 0.0225 + 0.0025)
        h = histogram(SamplingParams.defaults().withTemperature(0.5f), P4, 4000);
        assertThat(h[0] / 4000.0).isCloseTo(0.25 / 0.365, org.assertj.core.data.Offset.offset(0.03));
        // a large vocabulary with top-p: the candidate pre-filter must not change the result
        float[] big = new float[5000];
        for (int i = 0; i < big.length; i++) big[i] = (float) Math.sin(i * 0.37) * 3;
        big[4321] = 9;
        // reference nucleus by a full sort: p(4321) ≈ e^9 / (e^9 + 5000·I0(3)) ≈ 0.25, so top-p 0.6 needs more ids
        Integer[] order = new Integer[big.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Float.compare(big[y], big[x]));
        double z = 0, acc = 0;
        for (float l : big) z += Math.exp(l);
        Set<Integer> nucleus = new HashSet<>();
        for (int i : order) {
            if (acc >= 0.6 * z) break;
            nucleus.add(i);
            acc += Math.exp(big[i]);
        }
        assertThat(nucleus.size()).isGreaterThan(100);
        int[] hb = histogram(SamplingParams.defaults().withTopP(0.6f), big, 400);
        int inside = 0;
        for (int i : nucleus) inside += hb[i];
        assertThat(inside).isEqualTo(400);
        assertThat(hb[4321]).isBetween(40, 200);
        // top-k 300 with top-p 0.8: the nucleus is taken over the renormalised top-300 set (p(4321) ≈ 0.57 there)
        double z300 = 0;
        for (int j = 0; j < 300; j++) z300 += Math.exp(big[order[j]]);
        Set<Integer> both = new HashSet<>();
        acc = 0;
        for (int j = 0; j < 300 && acc < 0.8 * z300; j++) {
            both.add(order[j]);
            acc += Math.exp(big[order[j]]);
        }
        int[] hk = histogram(SamplingParams.defaults().withTopK(300).withTopP(0.8f), big, 400);
        int in = 0, distinct = 0;
        for (int i = 0; i < hk.length; i++) if (hk[i] > 0) distinct++;
        for (int i : both) in += hk[i];
        assertThat(in).isEqualTo(400);
        assertThat(distinct).isGreaterThan(5);
    }

    @Test
    void theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        float[] flat = new float[50];
        List<Integer> a = draws(7, flat), b = draws(7, flat), c = draws(8, flat);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(new HashSet<>(a).size()).isGreaterThan(10);
    }

    private static List<Integer> draws(long seed, float[] logits) {
        Sampler s = new Sampler(SamplingParams.defaults().withSeed(seed).withTopP(0.9f).withRepetitionPenalty(1.3f));
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) out.add(s.sample(logits, 0, logits.length));
        return out;
    }

    @Test
    void logprobsAreTheRawLogSoftmaxWithTopAlternatives() {
        float[] logits = {0.1f, 2f, -1f, 1.5f, 0.3f};
        Sampler s = new Sampler(SamplingParams.greedy(5).withLogprobs(3).withLogitBias(Map.of(0, 50f)));
        int t = s.sample(logits, 0, 5);
        assertThat(t).isZero(); // the bias decided the token ...
        double z = 0;
        for (float l : logits) z += Math.exp(l);
        // ... but the log-probs are those of the raw logits
        assertThat((double) s.lastLogprob()).isCloseTo(0.1 - Math.log(z), org.assertj.core.data.Offset.offset(1e-6));
        int[] ids = new int[3];
        float[] lps = new float[3];
        assertThat(s.lastTop(ids, lps)).isEqualTo(3);
        assertThat(ids).containsExactly(1, 3, 4);
        assertThat((double) lps[0]).isCloseTo(2 - Math.log(z), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void tokenLimitAndValidation() {
        float[] logits = {0f, 0f, 0f, 10f};
        assertThat(new Sampler(SamplingParams.greedy(1).withTokenLimit(3)).sample(logits, 0, 4)).isLessThan(3);
        assertThatThrownBy(() -> SamplingParams.defaults().withTopP(0f)).isInstanceOf(SeedlingException.class).hasMessageContaining("top-p");
        assertThatThrownBy(() -> SamplingParams.defaults().withTemperature(-1f)).isInstanceOf(SeedlingException.class);
        assertThatThrownBy(() -> SamplingParams.defaults().withStopStrings(List.of(""))).isInstanceOf(SeedlingException.class);
        assertThatThrownBy(() -> SamplingParams.defaults().withLogitBias(Map.of(1, 200f))).isInstanceOf(SeedlingException.class);
        Set<Integer> seen = new HashSet<>();
        Sampler legacy = new Sampler(0.8f, 2, 1);
        for (int i = 0; i < 100; i++) seen.add(legacy.sample(P4, 0, 4));
        assertThat(seen).containsExactlyInAnyOrder(0, 1);
    }
}
