package dev.seedling.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** AdamW against torch's algorithm in double, gradient norm and clipping, cross-entropy edge cases, determinism. */
class OptimizerAndLossTest {

    @Test
    void adamWMatchesTorchAlgorithmInDouble() {
        SplittableRandom r = Seeds.rng("adamWTorch");
        int n = 1000 + 17, off = 9;
        float lr = 3e-3f, b1 = 0.9f, b2 = 0.95f, eps = 1e-8f, wd = 0.1f;
        float[] p = Seeds.normal(r, n + off, 1), m = new float[n + off], v = new float[n + off];
        double[] pd = new double[n], md = new double[n], vd = new double[n];
        for (int i = 0; i < n; i++) pd[i] = p[off + i];
        for (long step = 1; step <= 6; step++) {
            float[] g = Seeds.normal(r, n + off, step == 3 ? 1e-4 : 0.5);
            AdamW.step(p, g, m, v, off, n, lr, b1, b2, eps, wd, step);
            double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
            for (int i = 0; i < n; i++) {
                double gi = g[off + i];
                pd[i] *= 1 - (double) lr * wd;
                md[i] = b1 * md[i] + (1 - (double) b1) * gi;
                vd[i] = b2 * vd[i] + (1 - (double) b2) * gi * gi;
                double denom = Math.sqrt(vd[i]) / Math.sqrt(bc2) + eps;
                pd[i] -= lr / bc1 * md[i] / denom;
            }
        }
        float[] got = java.util.Arrays.copyOfRange(p, off, off + n);
        Tolerance.assertClose("adamw params after 6 steps", pd, got, 1e-6, 1e-5);
        double[] mexp = md.clone();
        Tolerance.assertClose("adamw m", mexp, java.util.Arrays.copyOfRange(m, off, off + n), 1e-8, 1e-5);
        assertThat(p[0]).as("outside the range untouched").isEqualTo(Seeds.normal(Seeds.rng("adamWTorch"), n + off, 1)[0]);
    }

    @Test
    void gradNormIsExactEnoughAndDeterministic() {
        SplittableRandom r = Seeds.rng("gradNorm");
        int n = 5 * GradNorm.BLOCK + 123;
        float[] g = Seeds.normal(r, n, 0.01);
        double ref = 0;
        for (float x : g) ref += (double) x * x;
        double first = GradNorm.sumOfSquares(g, 0, n);
        assertThat(first).isCloseTo(ref, Offset.offset(1e-6 * ref));
        for (int i = 0; i < 20; i++) assertThat(GradNorm.sumOfSquares(g, 0, n)).isEqualTo(first);
        assertThat(GradNorm.sumOfSquares(g, 0, 0)).isZero();
    }

    @Test
    void clipFollowsTorchSemantics() {
        SplittableRandom r = Seeds.rng("clip");
        float[] g = Seeds.normal(r, 3000, 1);
        double norm = Math.sqrt(GradNorm.sumOfSquares(g, 0, g.length));
        float[] before = g.clone();
        double returned = GradNorm.clip(g, 0, g.length, 1.0);
        assertThat(returned).isEqualTo(norm);
        double after = Math.sqrt(GradNorm.sumOfSquares(g, 0, g.length));
        assertThat(after).isCloseTo(1.0 * norm / (norm + 1e-6), Offset.offset(1e-5));
        float coef = (float) (1.0 / (norm + 1e-6));
        for (int i = 0; i < g.length; i++) assertThat(g[i]).isEqualTo(before[i] * coef);
        // below the limit: untouched
        float[] h = before.clone();
        assertThat(GradNorm.clip(h, 0, h.length, 2 * norm)).isEqualTo(norm);
        assertThat(h).containsExactly(before);
    }

    @Test
    void crossEntropyIgnoresMaskedRowsAndAveragesTheRest() {
        // row 0: uniform over 4 → loss ln 4; row 1 ignored; row 2: target has logit 2 among zeros
        float[] logits = {0, 0, 0, 0, 5, -3, 1, 2, 2, 0, 0, 0};
        int[] targets = {1, -1, 0};
        Tape tape = Tape.training();
        Var x = tape.input(Tensor.of(logits.clone(), 3, 4));
        Var loss = CrossEntropyOp.apply(tape, x, targets, 0);
        double l2 = Math.log(Math.exp(2) + 3) - 2;
        assertThat(loss.value().get(0)).isCloseTo((float) ((Math.log(4) + l2) / 2), Offset.offset(1e-6f));
        tape.backward(loss, 0.5f);
        float[] d = x.grad().toArray();
        for (int j = 4; j < 8; j++) assertThat(d[j]).as("ignored row").isZero();
        assertThat(d[1]).isCloseTo((0.25f - 1) * 0.25f, Offset.offset(1e-7f));
        assertThat(d[0]).isCloseTo(0.25f * 0.25f, Offset.offset(1e-7f));
        CrossEntropy.Total total = CrossEntropy.evaluate(new float[3], 0, logits, 0, targets, 0, 3, 4);
        assertThat(total.count()).isEqualTo(2);
        assertThat(total.mean()).isCloseTo(loss.value().get(0), Offset.offset(1e-6));
        // all ignored: zero loss, zero gradient
        Tape t2 = Tape.training();
        Var x2 = t2.input(Tensor.of(logits.clone(), 3, 4));
        Var l0 = CrossEntropyOp.apply(t2, x2, new int[] {-1, -1, -1}, 0);
        assertThat(l0.value().get(0)).isZero();
        t2.backward(l0, 1f);
        assertThat(x2.grad().toArray()).containsOnly(0f);
    }

    @Test
    void crossEntropyStaysFiniteForExtremeLogits() {
        int vocab = 1000;
        for (boolean scalar : new boolean[] {false, true}) {
            float[] logits = new float[2 * vocab];
            for (int j = 0; j < vocab; j++) {
                logits[j] = (j % 2 == 0) ? 1e4f : -1e4f;
                logits[vocab + j] = -1e4f;
            }
            logits[vocab + 5] = 1e4f;
            int[] t = {1, 5};
            float[] rowLoss = new float[2], lse = new float[2], d = new float[2 * vocab];
            if (scalar) CrossEntropy.forwardScalar(rowLoss, 0, lse, 0, logits, 0, t, 0, 2, vocab);
            else CrossEntropy.forwardSimd(rowLoss, 0, lse, 0, logits, 0, t, 0, 2, vocab);
            assertThat(rowLoss[0]).as("scalar=%s", scalar).isCloseTo((float) (2e4 + Math.log(500)), Offset.offset(0.01f));
            assertThat(rowLoss[1]).isCloseTo(0f, Offset.offset(1e-6f));
            if (scalar) CrossEntropy.backwardScalar(d, 0, logits, 0, lse, 0, t, 0, 2, vocab, 1f, false);
            else CrossEntropy.backwardSimd(d, 0, logits, 0, lse, 0, t, 0, 2, vocab, 1f, false);
            for (float x : d) assertThat(Float.isFinite(x)).isTrue();
            assertThat(d[0]).isCloseTo(1f / 500, Offset.offset(1e-6f));
            assertThat(d[1]).isEqualTo(-1f);
            // softmax too
            float[] y = new float[2 * vocab];
            Softmax.forward(y, 0, logits, 0, 2, vocab);
            for (float x : y) assertThat(Float.isFinite(x)).isTrue();
            assertThat(y[vocab + 5]).isCloseTo(1f, Offset.offset(1e-6f));
        }
    }

    @Test
    void badIdsAndTargetsAreRejected() {
        float[] table = new float[4 * 3];
        assertThatThrownBy(() -> Embedding.forward(new float[6], 0, table, 0, new int[] {1, 4}, 0, 2, 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 4");
        assertThatThrownBy(() -> CrossEntropy.forward(new float[1], 0, new float[1], 0, new float[3], 0, new int[] {3}, 0, 1, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target 3");
    }

    @Test
    void weightGradientsAreBitReproducible() {
        SplittableRandom r = Seeds.rng("reproducible");
        int rows = 256, c = 320;
        float[] x = Seeds.normal(r, rows * c, 1), w = Seeds.uniform(r, c, 1), dy = Seeds.normal(r, rows * c, 1);
        float[] out = new float[rows * c], rstd = new float[rows];
        RmsNorm.forward(out, 0, rstd, 0, x, 0, w, 0, rows, c, 1e-5f);
        float[] first = null;
        for (int rep = 0; rep < 5; rep++) {
            float[] dw = new float[c];
            RmsNorm.backward(null, 0, dw, 0, dy, 0, x, 0, w, 0, rstd, 0, rows, c);
            if (first == null) first = dw;
            else assertThat(dw).containsExactly(first);
        }
        // the column split sums rows in order: identical to one serial sweep
        float[] serial = new float[c];
        for (int i = 0; i < rows; i++) for (int j = 0; j < c; j++) serial[j] = Math.fma(dy[i * c + j] * rstd[i], x[i * c + j], serial[j]);
        assertThat(first).containsExactly(serial);
    }
}
