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

/** Legend: B batch, T sequence, H query heads, KV kv heads, D head dim, W = (H + 2·KV)·D. */
@ExtendWith(SeedReporter.class)
class RopeTest {

    /** The HF formula in double, straight from its definition (angles from theta, not from the table). */
    static double[] reference(float[] qkv, double theta, int rows, int seq, int start, int h, int kv, int d) {
        int w = (h + 2 * kv) * d, half = d / 2;
        double[] out = new double[rows * w];
        for (int r = 0; r < rows; r++) {
            int pos = start + r % seq;
            for (int c = 0; c < w; c++) out[r * w + c] = qkv[r * w + c];
            for (int head = 0; head < h + kv; head++) {
                int o = r * w + head * d;
                for (int i = 0; i < d; i++) {
                    double angle = pos * Math.pow(theta, -2.0 * (i % half) / d);
                    double rot = i < half ? -qkv[o + i + half] : qkv[o + i - half];
                    out[o + i] = qkv[o + i] * Math.cos(angle) + rot * Math.sin(angle);
                }
            }
        }
        return out;
    }

    @Test
    void handCheckedHeadDim4Position1() {
        // H = KV = 1, D = 4, T = 2: row 1 is at position 1; angles [1, 10000^(-1/2) = 0.01]
        RopeTable table = RopeTable.llama(10000, 8, 4);
        float[] qkv = new float[2 * 12];
        float[] x = {1, 2, 3, 4};
        for (int part = 0; part < 3; part++) System.arraycopy(x, 0, qkv, 12 + part * 4, 4);
        float[] out = new float[qkv.length];
        for (boolean simd : new boolean[] {true, false}) {
            Rope.forward(out, 0, qkv, 0, table, 2, 2, 1, 1, 4, simd);
            // [x1·cos − x2·sin | x2·cos + x1·sin], computed by hand from cos(1), sin(1), cos(0.01), sin(0.01)
            float[] expected = {-1.9841106f, 1.9599007f, 2.4623779f, 4.0197997f};
            Tolerance.assertClose("q", expected, 0, out, 12, 4, 1e-6, 0);
            Tolerance.assertClose("k", expected, 0, out, 16, 4, 1e-6, 0);
            Tolerance.assertClose("v passes through", x, 0, out, 20, 4, 0, 0);
        }
    }

    @Test
    void matchesDoublePrecisionFormula() {
        SplittableRandom rng = Seeds.rng("rope-reference");
        int[][] shapes = {{2, 9, 4, 2, 8}, {1, 33, 2, 1, 64}, {3, 5, 3, 3, 6}, {1, 1, 1, 1, 2}, {2, 17, 8, 2, 130}};
        for (int[] s : shapes) {
            int b = s[0], t = s[1], h = s[2], kv = s[3], d = s[4], w = (h + 2 * kv) * d;
            for (double theta : new double[] {10000, 500000}) {
                RopeTable table = RopeTable.llama(theta, t, d);
                float[] qkv = Seeds.uniform(rng, b * t * w, 2);
                double[] expected = reference(qkv, theta, b * t, t, 0, h, kv, d);
                for (boolean simd : new boolean[] {true, false}) {
                    float[] out = new float[qkv.length];
                    Rope.forward(out, 0, qkv, 0, table, b * t, t, h, kv, d, simd);
                    Tolerance.assertClose("rope " + java.util.Arrays.toString(s) + " theta " + theta + " simd " + simd,
                            expected, out, 2e-6, 1e-6);
                }
            }
        }
    }

    @Test
    void farPositionsStayAccurate() {
        // angles computed in double: at position ~8000 a float angle would be off by ~5e-4
        SplittableRandom rng = Seeds.rng("rope-far");
        int h = 2, kv = 1, d = 64, w = (h + 2 * kv) * d, rows = 3, start = 8000;
        RopeTable table = RopeTable.llama(10000, 8192, d);
        float[] qkv = Seeds.uniform(rng, rows * w, 1);
        float[] out = new float[qkv.length];
        Rope.forwardAt(out, 0, qkv, 0, table, start, rows, h, kv, d);
        Tolerance.assertClose("far", reference(qkv, 10000, rows, Integer.MAX_VALUE, start, h, kv, d), out, 2e-6, 1e-6);
    }

    @Test
    void preservesNormsAndBackwardIsTheInverseRotation() {
        SplittableRandom rng = Seeds.rng("rope-norm");
        int b = 2, t = 19, h = 4, kv = 2, d = 32, w = (h + 2 * kv) * d;
        RopeTable table = RopeTable.llama(10000, 64, d);
        float[] qkv = Seeds.normal(rng, b * t * w, 1);
        float[] out = new float[qkv.length];
        Rope.forward(out, 0, qkv, 0, table, b * t, t, h, kv, d);
        for (int r = 0; r < b * t; r++) {
            for (int head = 0; head < h + 2 * kv; head++) {
                double nx = 0, ny = 0;
                for (int i = 0; i < d; i++) {
                    int at = r * w + head * d + i;
                    nx += (double) qkv[at] * qkv[at];
                    ny += (double) out[at] * out[at];
                }
                assertThat(Math.abs(Math.sqrt(ny) - Math.sqrt(nx))).as("norm of row %d head %d", r, head)
                        .isLessThanOrEqualTo(1e-5 * Math.sqrt(nx));
            }
        }
        for (boolean simd : new boolean[] {true, false}) {
            float[] back = new float[qkv.length];
            Rope.backward(back, 0, out, 0, table, b * t, t, h, kv, d, simd);
            Tolerance.assertClose("backward(forward(x)) = x, simd " + simd, qkv, back, 2e-6, 1e-6);
            // backward adds: a second call doubles
            Rope.backward(back, 0, out, 0, table, b * t, t, h, kv, d, simd);
            for (int i = 0; i < qkv.length; i++) qkv[i] *= 2;
            Tolerance.assertClose("backward adds, simd " + simd, qkv, back, 4e-6, 1e-6);
            for (int i = 0; i < qkv.length; i++) qkv[i] /= 2;
        }
    }

    @Test
    void simdAndScalarAreBitIdenticalAtAwkwardSizes() {
        SplittableRandom rng = Seeds.rng("rope-parity");
        for (int d : new int[] {2, 6, 14, 26, 34, 62, 64, 66, 130}) {
            for (int t : new int[] {1, 3, 17}) {
                int b = 2, h = 3, kv = 1, w = (h + 2 * kv) * d;
                RopeTable table = RopeTable.llama(10000, t, d);
                float[] qkv = Seeds.uniform(rng, b * t * w, 3), g = Seeds.uniform(rng, b * t * w, 1);
                float[] a = new float[qkv.length], s = new float[qkv.length];
                Rope.forward(a, 0, qkv, 0, table, b * t, t, h, kv, d, true);
                Rope.forward(s, 0, qkv, 0, table, b * t, t, h, kv, d, false);
                assertThat(a).as("forward d=%d t=%d", d, t).isEqualTo(s);
                float[] ga = g.clone(), gs = g.clone();
                Rope.backward(ga, 0, qkv, 0, table, b * t, t, h, kv, d, true);
                Rope.backward(gs, 0, qkv, 0, table, b * t, t, h, kv, d, false);
                assertThat(ga).as("backward d=%d t=%d", d, t).isEqualTo(gs);
            }
        }
    }

    @Test
    void inPlaceAndExplicitStartAgreeWithTraining() {
        SplittableRandom rng = Seeds.rng("rope-start");
        int t = 40, h = 4, kv = 2, d = 16, w = (h + 2 * kv) * d;
        RopeTable table = RopeTable.llama(10000, t, d);
        float[] qkv = Seeds.uniform(rng, t * w, 1), out = new float[qkv.length];
        Rope.forward(out, 0, qkv, 0, table, t, t, h, kv, d);
        float[] inPlace = qkv.clone();
        Rope.forward(inPlace, 0, inPlace, 0, table, t, t, h, kv, d);
        assertThat(inPlace).isEqualTo(out);
        // rows 25..31 decoded at positions 25..31, written at an offset
        float[] part = new float[7 * w + 5];
        Rope.forwardAt(part, 5, qkv, 25 * w, table, 25, 7, h, kv, d);
        Tolerance.assertClose("forwardAt", out, 25 * w, part, 5, 7 * w, 0, 0);
        assertThatThrownBy(() -> Rope.forwardAt(part, 5, qkv, 25 * w, table, 34, 7, h, kv, d))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positions");
    }

    @Test
    void ropeOpPassesGradientCheck() {
        SplittableRandom rng = Seeds.rng("rope-op-grad");
        int b = 2, t = 5, h = 2, kv = 1, d = 8, w = (h + 2 * kv) * d, n = b * t * w;
        RopeTable table = RopeTable.llama(10000, 16, d);
        float[] x = Seeds.uniform(rng, n, 1), seed = Seeds.uniform(rng, n, 1);
        GradCheck.Forward f = in -> {
            Tape tape = Tape.inference();
            return RopeOp.apply(tape, tape.constant(Tensor.of(in[0], b * t, w)), table, b, t, h, kv, d).value().toArray();
        };
        Tape tape = Tape.training();
        Var xv = tape.input(Tensor.of(x.clone(), b * t, w));
        Var y = RopeOp.apply(tape, xv, table, b, t, h, kv, d);
        assertThat(y.requiresGrad()).isTrue();
        assertThat(y.shape()).containsExactly(b * t, w);
        Tensor gy = tape.grad(y);
        System.arraycopy(seed, 0, gy.data(), gy.offset(), n);
        tape.backward();
        GradCheck.check("RopeOp", f, new float[][] {x}, seed, new float[][] {xv.grad().toArray()}, 1e-2, 1e-4, 1e-3, 200);
    }
}
