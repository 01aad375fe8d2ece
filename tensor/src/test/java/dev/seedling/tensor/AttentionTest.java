package dev.seedling.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.testkit.GradCheck;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Legend: B batch, T sequence, H query heads, KV kv heads, D head dim, W = (H + 2·KV)·D.
 * qkv: (B·T, W); out: (B·T, H·D); lse: (B, H, T).
 */
@ExtendWith(SeedReporter.class)
class AttentionTest {

    record Shape(int b, int t, int h, int kv, int d) {
        int w() {
            return (h + 2 * kv) * d;
        }

        int qkvSize() {
            return b * t * w();
        }

        int outSize() {
            return b * t * h * d;
        }
    }

    /** Forward values and gradients of the naive double-precision reference. */
    record Reference(double[] out, double[] lse, double[] dqkv) {}

    /**
     * Materialised scores, causal mask, softmax, GQA by repeating kv heads; backward through the softmax Jacobian
     * ({@code dS = P ∘ (dP − rowsum(P ∘ dP))}). {@code dout} may be null (no backward).
     */
    static Reference reference(double[] qkv, float[] dout, Shape s) {
        int t = s.t(), w = s.w(), d = s.d(), hd = s.h() * d, group = s.h() / s.kv();
        double scale = 1 / Math.sqrt(d);
        double[] out = new double[s.outSize()], lse = new double[s.b() * s.h() * t], dqkv = new double[qkv.length];
        double[][] p = new double[t][t], dp = new double[t][t];
        for (int b = 0; b < s.b(); b++) {
            for (int h = 0; h < s.h(); h++) {
                int kvh = h / group, qc = h * d, kc = (s.h() + kvh) * d, vc = (s.h() + s.kv() + kvh) * d;
                for (int i = 0; i < t; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) dot += qkv[(b * t + i) * w + qc + c] * qkv[(b * t + j) * w + kc + c];
                        p[i][j] = dot * scale;
                        max = Math.max(max, p[i][j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) sum += Math.exp(p[i][j] - max);
                    lse[(b * s.h() + h) * t + i] = max + Math.log(sum);
                    for (int j = 0; j <= i; j++) p[i][j] = Math.exp(p[i][j] - max) / sum;
                    for (int c = 0; c < d; c++) {
                        double acc = 0;
                        for (int j = 0; j <= i; j++) acc += p[i][j] * qkv[(b * t + j) * w + vc + c];
                        out[(b * t + i) * hd + h * d + c] = acc;
                    }
                }
                if (dout == null) continue;
                for (int i = 0; i < t; i++) {
                    double rowsum = 0;
                    for (int j = 0; j <= i; j++) {
                        double acc = 0;
                        for (int c = 0; c < d; c++) acc += dout[(b * t + i) * hd + h * d + c] * qkv[(b * t + j) * w + vc + c];
                        dp[i][j] = acc;
                        rowsum += p[i][j] * acc;
                    }
                    for (int j = 0; j <= i; j++) {
                        double ds = p[i][j] * (dp[i][j] - rowsum) * scale;
                        for (int c = 0; c < d; c++) {
                            dqkv[(b * t + i) * w + qc + c] += ds * qkv[(b * t + j) * w + kc + c];
                            dqkv[(b * t + j) * w + kc + c] += ds * qkv[(b * t + i) * w + qc + c];
                            dqkv[(b * t + j) * w + vc + c] += p[i][j] * dout[(b * t + i) * hd + h * d + c];
                        }
                    }
                }
            }
        }
        return new Reference(out, lse, dqkv);
    }

    static double[] toDouble(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    static final Shape[] SHAPES = {
            new Shape(1, 1, 1, 1, 8),     // T = 1
            new Shape(2, 5, 2, 1, 8),     // GQA 2:1, D = 8
            new Shape(1, 17, 4, 1, 64),   // H = 4·KV
            new Shape(2, 70, 4, 4, 64),   // MHA, T not a multiple of the 64-row tile
            new Shape(1, 64, 2, 2, 64),   // exactly one tile
            new Shape(1, 130, 8, 2, 16),  // three key blocks
            new Shape(2, 3, 2, 2, 13),    // odd head dim
    };

    /** Forward pass of both twins and backward (adding into a pre-filled gradient) against the double reference. */
    @Test
    void matchesDoublePrecisionReference() {
        SplittableRandom rng = Seeds.rng("attention-reference");
        for (Shape s : SHAPES) {
            float[] qkv = Seeds.uniform(rng, s.qkvSize(), 2), dout = Seeds.uniform(rng, s.outSize(), 1);
            float[] prior = Seeds.uniform(rng, s.qkvSize(), 1);
            Reference ref = reference(toDouble(qkv), dout, s);
            double[] expectedGrad = ref.dqkv().clone();
            for (int i = 0; i < prior.length; i++) expectedGrad[i] += prior[i];
            double gradTol = 2e-5 * (1 + maxAbs(ref.dqkv()));
            for (boolean simd : new boolean[] {true, false}) {
                String what = s + (simd ? " simd" : " scalar");
                float[] out = new float[s.outSize()], lse = new float[s.b() * s.h() * s.t()];
                Attention.forward(out, 0, lse, 0, qkv, 0, s.b(), s.t(), s.h(), s.kv(), s.d(), simd);
                Tolerance.assertClose(what + " out", ref.out(), out, 1e-5, 1e-5);
                Tolerance.assertClose(what + " lse", ref.lse(), lse, 1e-5, 1e-5);
                float[] dqkv = prior.clone();
                Attention.backward(dqkv, 0, dout, 0, qkv, 0, out, 0, lse, 0, s.b(), s.t(), s.h(), s.kv(), s.d(), simd);
                Tolerance.assertClose(what + " dqkv", expectedGrad, dqkv, gradTol, 1e-4);
            }
        }
    }

    /** The reference's own gradient against central differences of its forward (all double). */
    @Test
    void referenceGradientMatchesFiniteDifferences() {
        SplittableRandom rng = Seeds.rng("attention-reference-fd");
        Shape s = new Shape(2, 4, 4, 2, 4);
        double[] qkv = toDouble(Seeds.uniform(rng, s.qkvSize(), 1));
        float[] dout = Seeds.uniform(rng, s.outSize(), 1);
        double[] grad = reference(qkv, dout, s).dqkv();
        double h = 1e-6;
        for (int i = 0; i < qkv.length; i++) {
            double orig = qkv[i];
            qkv[i] = orig + h;
            double lp = dot(dout, reference(qkv, null, s).out());
            qkv[i] = orig - h;
            double lm = dot(dout, reference(qkv, null, s).out());
            qkv[i] = orig;
            assertThat(grad[i]).as("d/dqkv[%d]", i).isCloseTo((lp - lm) / (2 * h), org.assertj.core.data.Offset.offset(1e-8));
        }
    }

    static double dot(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void simdMatchesScalarAtAwkwardSizes() {
        SplittableRandom rng = Seeds.rng("attention-parity");
        for (int t : new int[] {1, 3, 7, 13, 31, 64, 65, 100, 207}) {
            for (int[] hkd : new int[][] {{4, 2, 64}, {3, 3, 13}, {4, 1, 8}}) {
                Shape s = new Shape(2, t, hkd[0], hkd[1], hkd[2]);
                float[] qkv = Seeds.uniform(rng, s.qkvSize(), 2), dout = Seeds.uniform(rng, s.outSize(), 1);
                float[][] out = new float[2][s.outSize()], lse = new float[2][s.b() * s.h() * t];
                float[][] dqkv = new float[2][s.qkvSize()];
                for (int k = 0; k < 2; k++) {
                    boolean simd = k == 0;
                    Attention.forward(out[k], 0, lse[k], 0, qkv, 0, s.b(), t, s.h(), s.kv(), s.d(), simd);
                    Attention.backward(dqkv[k], 0, dout, 0, qkv, 0, out[0], 0, lse[0], 0, s.b(), t, s.h(), s.kv(),
                            s.d(), simd);
                }
                Tolerance.assertClose(s + " out", out[1], out[0], 1e-5, 1e-5);
                Tolerance.assertClose(s + " lse", lse[1], lse[0], 1e-5, 1e-5);
                double scale = 0;
                for (float g : dqkv[1]) scale = Math.max(scale, Math.abs(g));
                Tolerance.assertClose(s + " dqkv", dqkv[1], dqkv[0], 2e-5 * (1 + scale), 1e-4);
            }
        }
    }

    @Test
    void attentionOpPassesGradientCheck() {
        SplittableRandom rng = Seeds.rng("attention-op-grad");
        for (Shape s : new Shape[] {new Shape(2, 5, 4, 2, 8), new Shape(1, 7, 2, 2, 4)}) {
            int rows = s.b() * s.t(), n = s.qkvSize();
            float[] x = Seeds.uniform(rng, n, 1), seed = Seeds.uniform(rng, s.outSize(), 1);
            GradCheck.Forward f = in -> {
                Tape tape = Tape.inference();
                Var y = AttentionOp.apply(tape, tape.constant(Tensor.of(in[0], rows, s.w())), s.b(), s.t(), s.h(),
                        s.kv(), s.d());
                return y.value().toArray();
            };
            Tape tape = Tape.training();
            Var xv = tape.input(Tensor.of(x.clone(), rows, s.w()));
            Var y = AttentionOp.apply(tape, xv, s.b(), s.t(), s.h(), s.kv(), s.d());
            assertThat(y.shape()).containsExactly(rows, s.h() * s.d());
            assertThat(tape.size()).isEqualTo(1);
            Tensor gy = tape.grad(y);
            System.arraycopy(seed, 0, gy.data(), gy.offset(), seed.length);
            tape.backward();
            // every element: q, k and v parts of each row
            GradCheck.check("AttentionOp " + s, f, new float[][] {x}, seed, new float[][] {xv.grad().toArray()},
                    1e-2, 3e-4, 1e-2, n);
        }
    }

    /**
     * Repeated runs give the same bits, including the first (interpreted) run against later (JIT-compiled) ones:
     * the kernels avoid operations whose rounding depends on the JIT tier (Vector API EXP, reduceLanes(ADD)).
     */
    @Test
    void runsAreBitIdentical() {
        SplittableRandom rng = Seeds.rng("attention-determinism");
        Shape s = new Shape(2, 150, 4, 2, 64);
        float[] qkv = Seeds.uniform(rng, s.qkvSize(), 2), dout = Seeds.uniform(rng, s.outSize(), 1);
        float[][] out = new float[2][s.outSize()], lse = new float[2][s.b() * s.h() * s.t()];
        float[][] dqkv = new float[2][s.qkvSize()];
        for (int run = 0; run < 8; run++) {
            int k = Math.min(run, 1);
            java.util.Arrays.fill(dqkv[k], 0f);
            Attention.forward(out[k], 0, lse[k], 0, qkv, 0, s.b(), s.t(), s.h(), s.kv(), s.d());
            Attention.backward(dqkv[k], 0, dout, 0, qkv, 0, out[k], 0, lse[k], 0, s.b(), s.t(), s.h(), s.kv(), s.d());
            if (run == 0) continue;
            assertThat(out[1]).as("out, run %d", run).isEqualTo(out[0]);
            assertThat(lse[1]).as("lse, run %d", run).isEqualTo(lse[0]);
            assertThat(dqkv[1]).as("dqkv, run %d", run).isEqualTo(dqkv[0]);
        }
    }

    @Test
    void cachedForwardMatchesTrainingRows() {
        SplittableRandom rng = Seeds.rng("attention-cached");
        Shape s = new Shape(1, 77, 4, 2, 16);
        int w = s.w(), hd = s.h() * s.d(), kvw = s.kv() * s.d();
        float[] qkv = Seeds.uniform(rng, s.qkvSize(), 2);
        float[] expected = new float[s.outSize()];
        Attention.forward(expected, 0, null, 0, qkv, 0, 1, s.t(), s.h(), s.kv(), s.d());
        // a separate cache layout: k and v rows of KV·D floats
        float[] kCache = new float[s.t() * kvw], vCache = new float[s.t() * kvw];
        for (int j = 0; j < s.t(); j++) {
            System.arraycopy(qkv, j * w + hd, kCache, j * kvw, kvw);
            System.arraycopy(qkv, j * w + hd + kvw, vCache, j * kvw, kvw);
        }
        for (boolean simd : new boolean[] {true, false}) {
            for (int[] sc : new int[][] {{0, 77}, {76, 1}, {40, 1}, {9, 68}, {13, 5}}) {
                int start = sc[0], count = sc[1];
                float[] out = new float[count * hd + 3];
                Attention.forwardCached(out, 3, qkv, start * w, w, kCache, 0, vCache, 0, kvw, start, count, s.h(),
                        s.kv(), s.d(), simd);
                Tolerance.assertClose("cached start " + start + " count " + count + " simd " + simd, expected,
                        start * hd, out, 3, count * hd, 1e-6, 1e-5);
            }
        }
    }

    @Test
    void rejectsInconsistentSizes() {
        float[] qkv = new float[4 * 5 * 8], out = new float[4 * 3 * 8];
        assertThatThrownBy(() -> Attention.forward(out, 0, null, 0, qkv, 0, 1, 4, 3, 2, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of kvHeads");
        assertThatThrownBy(() -> Attention.forward(out, 0, null, 0, qkv, 0, 2, 4, 3, 1, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qkv");
        Tape tape = Tape.inference();
        Var x = tape.constant(Tensor.of(qkv, 4, 40));
        assertThatThrownBy(() -> AttentionOp.apply(tape, x, 1, 4, 2, 2, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not");
    }
}
