package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seedling.data.curate.internal.hash.MinHashKernel;
import dev.seedling.data.curate.internal.text.LongList;
import dev.seedling.data.curate.internal.text.Words;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class MinHashTest {
    @Test
    void estimatesJaccardWithinItsExpectedError() {
        MinHash mh = new MinHash(MinHashConfig.DEFAULT);
        int k = MinHashConfig.DEFAULT.numHashes();
        SplittableRandom r = Seeds.rng("minhash-jaccard");
        double sumZ = 0, sumZ2 = 0;
        int trials = 0;
        for (double target : new double[] {0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95}) {
            for (int t = 0; t < 40; t++) {
                int union = 300 + r.nextInt(300);
                int inter = (int) Math.round(target * union);
                int onlyA = (union - inter) / 2, onlyB = union - inter - onlyA;
                long[] a = new long[inter + onlyA], b = new long[inter + onlyB];
                for (int i = 0; i < inter; i++) a[i] = b[i] = r.nextLong();
                for (int i = 0; i < onlyA; i++) a[inter + i] = r.nextLong();
                for (int i = 0; i < onlyB; i++) b[inter + i] = r.nextLong();
                double j = (double) inter / union;
                double est = MinHash.estimateJaccard(mh.signatureOfShingles(a, a.length), mh.signatureOfShingles(b, b.length));
                double sigma = Math.sqrt(j * (1 - j) / k);
                double z = (est - j) / sigma;
                assertThat(Math.abs(z)).as("J=%.3f est=%.3f", j, est).isLessThan(5);
                sumZ += z;
                sumZ2 += z * z;
                trials++;
            }
        }
        double mean = sumZ / trials, sd = Math.sqrt(sumZ2 / trials - mean * mean);
        // unbiased, and the spread is the binomial one the theory predicts
        assertThat(mean).isBetween(-0.3, 0.3);
        assertThat(sd).isBetween(0.75, 1.25);
    }

    @Test
    void textSignaturesTrackExactShingleJaccard() {
        MinHash mh = new MinHash(MinHashConfig.DEFAULT);
        SplittableRandom r = Seeds.rng("minhash-text");
        String[] vocab = new String[2000];
        for (int i = 0; i < vocab.length; i++) vocab[i] = "w" + Integer.toString(i, 36) + (char) ('a' + i % 26);
        for (int t = 0; t < 20; t++) {
            String[] words = new String[400];
            for (int i = 0; i < words.length; i++) words[i] = vocab[r.nextInt(vocab.length)];
            String a = String.join(" ", words);
            for (int c = 0; c < 4 + t; c++) words[r.nextInt(words.length)] = vocab[r.nextInt(vocab.length)];
            String b = String.join(" ", words).toUpperCase();
            double j = exactJaccard(a, b, 5);
            double est = MinHash.estimateJaccard(mh.signature(a), mh.signature(b));
            assertThat(est).isCloseTo(j, within(5 * Math.sqrt(j * (1 - j) / 112) + 0.01));
        }
    }

    static double exactJaccard(String a, String b, int n) {
        Set<Long> sa = shingles(a, n), sb = shingles(b, n);
        Set<Long> inter = new HashSet<>(sa);
        inter.retainAll(sb);
        Set<Long> union = new HashSet<>(sa);
        union.addAll(sb);
        return (double) inter.size() / union.size();
    }

    static Set<Long> shingles(String text, int n) {
        LongList w = new LongList(16), s = new LongList(16);
        Words.hashes(text, w);
        Words.ngrams(w.a, w.n, n, s);
        Set<Long> out = new HashSet<>();
        for (int i = 0; i < s.n; i++) out.add(s.a[i]);
        return out;
    }

    @Test
    void signatureIgnoresCaseAndPunctuationAndHandlesShortTexts() {
        MinHash mh = new MinHash(MinHashConfig.DEFAULT);
        assertThat(mh.signature("The pump, model KX-9, failed again today.")).isEqualTo(mh.signature("the PUMP model kx 9 failed again today"));
        assertThat(mh.signature("two words")).isNotNull().hasSize(112);
        assertThat(mh.signature("two words")).isNotEqualTo(mh.signature("two birds"));
        assertThat(mh.signature(" ... !!! ")).isNull();
    }

    @Test
    void vectorKernelMatchesScalarTwin() {
        SplittableRandom r = Seeds.rng("minhash-kernel");
        for (int k : new int[] {1, 3, 7, 8, 13, 31, 64, 112, 207}) {
            for (int s : new int[] {1, 3, 17, 255}) {
                long[] a = new long[k], b = new long[k], sh = new long[s];
                for (int i = 0; i < k; i++) {
                    a[i] = r.nextLong() | 1;
                    b[i] = r.nextLong();
                }
                for (int i = 0; i < s; i++) sh[i] = r.nextLong();
                long[] m1 = new long[k], m2 = new long[k];
                Arrays.fill(m1, Long.MAX_VALUE);
                Arrays.fill(m2, Long.MAX_VALUE);
                MinHashKernel.minScalar(m1, sh, s, a, b, k);
                MinHashKernel.minVector(m2, sh, s, a, b, k);
                assertThat(m2).as("k=%d s=%d", k, s).isEqualTo(m1);
            }
        }
    }

    @Test
    void configReportsThresholdAndSCurve() {
        MinHashConfig c = MinHashConfig.DEFAULT;
        assertThat(c.numHashes()).isEqualTo(112);
        assertThat(c.impliedThreshold()).isCloseTo(Math.pow(1 / 14.0, 1 / 8.0), within(1e-12)).isBetween(0.71, 0.73);
        assertThat(c.candidateProbability(0.9)).isGreaterThan(0.99);
        assertThat(c.candidateProbability(0.3)).isLessThan(0.001);
        double[][] curve = c.sCurve(11);
        assertThat(curve).hasNumberOfRows(11);
        for (int i = 1; i < curve.length; i++) assertThat(curve[i][1]).isGreaterThanOrEqualTo(curve[i - 1][1]);
        assertThatThrownBy(() -> new MinHashConfig(5, 0, 8, 0.8, 1)).isInstanceOf(SeedlingException.class).hasMessageContaining("bands");
        assertThatThrownBy(() -> new MinHashConfig(5, 14, 8, 1.5, 1)).isInstanceOf(SeedlingException.class).hasMessageContaining("threshold");
    }
}
