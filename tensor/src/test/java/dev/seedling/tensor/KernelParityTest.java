package dev.seedling.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.tensor.internal.VecMath;
import dev.seedling.testkit.AwkwardSizes;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Every fused kernel: the Vector API path against its scalar twin at awkward sizes, and the scalar twin against a
 * double-precision reference. Row counts include one large enough to take the parallel path.
 * Tolerances: element-wise results 1e-6 abs + 1e-5 rel; row reductions scale their absolute part with sqrt(C).
 */
class KernelParityTest {
    private static final int[] ROWS = {1, 3, 17};

    private static double atol(int n) {
        return 1e-6 * (1 + Math.sqrt(n));
    }

    @Test
    void vectorExpMatchesItsScalarTwinAndMathExp() {
        SplittableRandom r = Seeds.rng("vectorExp");
        int n = 4096;
        float[] x = Seeds.uniform(r, n, 100), vec = new float[n];
        x[0] = -87.3f; x[1] = -87.4f; x[2] = 88f; x[3] = 0f; x[4] = -1e4f;
        int L = Simd.F.length();
        for (int i = 0; i < n; i += L) VecMath.exp(FloatVector.fromArray(Simd.F, x, i)).intoArray(vec, i);
        for (int i = 0; i < n; i++) {
            float s = VecMath.exp(x[i]);
            assertThat(vec[i]).as("exp(%s)", x[i]).isEqualTo(s);
            if (x[i] >= -87.3f && x[i] <= 88f) {
                double e = Math.exp(x[i]);
                assertThat(Math.abs(s - e) / e).as("exp(%s) relative error", x[i]).isLessThan(3e-7);
            } else if (x[i] < -87.4f) assertThat(s).isZero();
        }
    }

    @Test
    void rmsNorm() {
        SplittableRandom r = Seeds.rng("rmsNormParity");
        for (int rows : new int[] {1, 3, 40}) for (int c : AwkwardSizes.LENGTHS) {
            if ((long) rows * c > 70_000) continue;
            int n = rows * c, off = 5;
            float[] x = pad(Seeds.normal(r, n, 1.5), off), w = Seeds.uniform(r, c, 2), dy = Seeds.normal(r, n, 1);
            float eps = 1e-5f;
            float[] o1 = new float[n], o2 = new float[n], s1 = new float[rows], s2 = new float[rows];
            RmsNorm.forwardSimd(o1, 0, s1, 0, x, off, w, 0, rows, c, eps);
            RmsNorm.forwardScalar(o2, 0, s2, 0, x, off, w, 0, rows, c, eps);
            String at = " rows=" + rows + " C=" + c;
            Tolerance.assertClose("rmsnorm out" + at, o2, o1, atol(c), 1e-5);
            Tolerance.assertClose("rmsnorm rstd" + at, s2, s1, 0, 1e-5);
            // double reference
            double[] ref = new double[n];
            for (int i = 0; i < rows; i++) {
                double ss = 0;
                for (int j = 0; j < c; j++) ss += (double) x[off + i * c + j] * x[off + i * c + j];
                double rs = 1 / Math.sqrt(ss / c + eps);
                for (int j = 0; j < c; j++) ref[i * c + j] = x[off + i * c + j] * rs * w[j];
            }
            Tolerance.assertClose("rmsnorm vs double" + at, ref, o2, atol(c), 1e-5);

            float[] dx1 = Seeds.uniform(r, n, 1), dx2 = dx1.clone(), dw1 = Seeds.uniform(r, c, 1), dw2 = dw1.clone();
            RmsNorm.backwardSimd(dx1, 0, dw1, 0, dy, 0, x, off, w, 0, s1, 0, rows, c);
            RmsNorm.backwardScalar(dx2, 0, dw2, 0, dy, 0, x, off, w, 0, s1, 0, rows, c);
            Tolerance.assertClose("rmsnorm dx" + at, dx2, dx1, atol(c), 1e-4);
            Tolerance.assertClose("rmsnorm dw" + at, dw2, dw1, atol(rows), 1e-5);
        }
    }

    @Test
    void swiGlu() {
        SplittableRandom r = Seeds.rng("swiGluParity");
        for (int rows : ROWS) for (int f : AwkwardSizes.LENGTHS) {
            int n = rows * f;
            float[] gu = Seeds.normal(r, 2 * n, 3), dy = Seeds.normal(r, n, 1);
            gu[0] = -100f;
            if (gu.length > 1) gu[1] = 100f;
            float[] o1 = new float[n], o2 = new float[n];
            SwiGlu.forwardSimd(o1, 0, gu, 0, rows, f);
            SwiGlu.forwardScalar(o2, 0, gu, 0, rows, f);
            String at = " rows=" + rows + " F=" + f;
            Tolerance.assertClose("swiglu out" + at, o2, o1, 1e-6, 1e-5);
            double[] ref = new double[n];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < f; j++) {
                    double g = gu[i * 2 * f + j];
                    ref[i * f + j] = g / (1 + Math.exp(-g)) * gu[i * 2 * f + f + j];
                }
            Tolerance.assertClose("swiglu vs double" + at, ref, o2, 1e-6, 1e-5);
            float[] d1 = Seeds.uniform(r, 2 * n, 1), d2 = d1.clone();
            SwiGlu.backwardSimd(d1, 0, dy, 0, gu, 0, rows, f);
            SwiGlu.backwardScalar(d2, 0, dy, 0, gu, 0, rows, f);
            Tolerance.assertClose("swiglu dGateUp" + at, d2, d1, 1e-6, 1e-5);
        }
        // a call large enough for the parallel path
        int rows = 64, f = 704;
        float[] gu = Seeds.normal(r, 2 * rows * f, 2), o1 = new float[rows * f], o2 = new float[rows * f];
        SwiGlu.forwardSimd(o1, 0, gu, 0, rows, f);
        SwiGlu.forwardScalar(o2, 0, gu, 0, rows, f);
        Tolerance.assertClose("swiglu parallel", o2, o1, 1e-6, 1e-5);
    }

    @Test
    void crossEntropy() {
        SplittableRandom r = Seeds.rng("crossEntropyParity");
        for (int rows : new int[] {1, 3, 17, 40}) for (int v : AwkwardSizes.LENGTHS) {
            if ((long) rows * v > 70_000) continue;
            int n = rows * v;
            float[] logits = Seeds.normal(r, n, 4);
            int[] t = new int[rows + 2];
            for (int i = 0; i < rows; i++) t[2 + i] = (i % 5 == 4) ? -1 : r.nextInt(v);
            float[] l1 = new float[rows], l2 = new float[rows], e1 = new float[rows], e2 = new float[rows];
            double s1 = CrossEntropy.forward(l1, 0, e1, 0, logits, 0, t, 2, rows, v);
            CrossEntropy.forwardScalar(l2, 0, e2, 0, logits, 0, t, 2, rows, v);
            CrossEntropy.forwardSimd(l1, 0, e1, 0, logits, 0, t, 2, rows, v);
            String at = " rows=" + rows + " V=" + v;
            Tolerance.assertClose("ce lse" + at, e2, e1, 1e-6, 1e-6);
            Tolerance.assertClose("ce row loss" + at, l2, l1, 1e-5, 1e-5);
            double[] ref = new double[rows];
            double refSum = 0;
            for (int i = 0; i < rows; i++) {
                double m = Double.NEGATIVE_INFINITY, s = 0;
                for (int j = 0; j < v; j++) m = Math.max(m, logits[i * v + j]);
                for (int j = 0; j < v; j++) s += Math.exp(logits[i * v + j] - m);
                ref[i] = t[2 + i] < 0 ? 0 : m + Math.log(s) - logits[i * v + t[2 + i]];
                refSum += ref[i];
            }
            Tolerance.assertClose("ce vs double" + at, ref, l2, 1e-5, 1e-5);
            assertThat(s1).isCloseTo(refSum, org.assertj.core.data.Offset.offset(1e-5 * rows * (1 + Math.abs(refSum))));

            float scale = 0.37f;
            for (boolean acc : new boolean[] {false, true}) {
                float[] d1 = Seeds.uniform(r, n, 1), d2 = d1.clone();
                CrossEntropy.backwardSimd(d1, 0, logits, 0, e1, 0, t, 2, rows, v, scale, acc);
                CrossEntropy.backwardScalar(d2, 0, logits, 0, e1, 0, t, 2, rows, v, scale, acc);
                Tolerance.assertClose("ce dlogits acc=" + acc + at, d2, d1, 1e-7, 1e-5);
            }
        }
    }

    @Test
    void softmax() {
        SplittableRandom r = Seeds.rng("softmaxParity");
        for (int rows : new int[] {1, 3, 17, 40}) for (int c : AwkwardSizes.LENGTHS) {
            if ((long) rows * c > 70_000) continue;
            int n = rows * c;
            float[] x = Seeds.normal(r, n, 5), y1 = new float[n], y2 = new float[n], dy = Seeds.normal(r, n, 1);
            Softmax.forwardSimd(y1, 0, x, 0, rows, c);
            Softmax.forwardScalar(y2, 0, x, 0, rows, c);
            String at = " rows=" + rows + " C=" + c;
            Tolerance.assertClose("softmax" + at, y2, y1, 1e-7, 1e-5);
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < c; j++) s += y1[i * c + j];
                assertThat(s).as("row sum" + at).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            float[] d1 = Seeds.uniform(r, n, 1), d2 = d1.clone();
            Softmax.backwardSimd(d1, 0, dy, 0, y2, 0, rows, c);
            Softmax.backwardScalar(d2, 0, dy, 0, y2, 0, rows, c);
            Tolerance.assertClose("softmax backward" + at, d2, d1, 1e-6, 1e-4);
        }
        // in place
        float[] x = Seeds.normal(r, 300, 3), y = new float[300];
        Softmax.forward(y, 0, x, 0, 3, 100);
        Softmax.forward(x, 0, x, 0, 3, 100);
        assertThat(x).containsExactly(y);
    }

    @Test
    void embeddingBackwardIsExactAndOrderFixed() {
        SplittableRandom r = Seeds.rng("embeddingParity");
        for (int c : AwkwardSizes.LENGTHS) for (int n : new int[] {1, 5, 40}) {
            int vocab = 7;
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) ids[i] = r.nextInt(vocab);
            float[] dy = Seeds.normal(r, n * c, 1), t1 = Seeds.uniform(r, vocab * c, 1), t2 = t1.clone(), t3 = t1.clone();
            Embedding.backwardSimd(t1, 0, dy, 0, ids, 0, n, c);
            Embedding.backwardScalar(t2, 0, dy, 0, ids, 0, n, c);
            for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) t3[ids[i] * c + j] += dy[i * c + j];
            assertThat(t1).as("simd C=%d n=%d", c, n).containsExactly(t3);
            assertThat(t2).as("scalar C=%d n=%d", c, n).containsExactly(t3);
        }
    }

    @Test
    void adamW() {
        SplittableRandom r = Seeds.rng("adamWParity");
        for (int n : AwkwardSizes.LENGTHS) {
            float[] p1 = Seeds.normal(r, n + 3, 1), g = Seeds.normal(r, n + 3, 0.1), m1 = Seeds.normal(r, n + 3, 0.01),
                    v1 = Seeds.uniform(r, n + 3, 1e-3);
            for (int i = 0; i < v1.length; i++) v1[i] = Math.abs(v1[i]);
            float[] p2 = p1.clone(), m2 = m1.clone(), v2 = v1.clone();
            for (long s = 1; s <= 3; s++) {
                AdamW.stepSimd(p1, g, m1, v1, 3, n, 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, s);
                AdamW.stepScalar(p2, g, m2, v2, 3, n, 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, s);
            }
            Tolerance.assertClose("adamw p n=" + n, p2, p1, 1e-7, 1e-6);
            Tolerance.assertClose("adamw m n=" + n, m2, m1, 1e-9, 1e-6);
            Tolerance.assertClose("adamw v n=" + n, v2, v1, 1e-12, 1e-6);
        }
    }

    @Test
    void gradNormAndElementwise() {
        SplittableRandom r = Seeds.rng("gradNormParity");
        for (int n : new int[] {1, 3, 17, 1000, 4098, GradNorm.BLOCK + 1, 3 * GradNorm.BLOCK + 77}) {
            float[] g = Seeds.normal(r, n + 1, 1);
            double a = GradNorm.sumOfSquaresSimd(g, 1, n), b = GradNorm.sumOfSquaresScalar(g, 1, n);
            assertThat(a).as("sum of squares n=%d", n).isCloseTo(b, org.assertj.core.data.Offset.offset(1e-6 * b));
            float[] s1 = g.clone(), s2 = g.clone();
            GradNorm.scaleSimd(s1, 1, n, 0.3f);
            GradNorm.scaleScalar(s2, 1, n, 0.3f);
            assertThat(s1).containsExactly(s2);
        }
        for (int n : new int[] {1, 3, 17, 1000, 4098, Elementwise.PARALLEL_MIN + 33}) {
            float[] a = Seeds.normal(r, n, 1), b = Seeds.normal(r, n, 1);
            for (int kind = 0; kind < 3; kind++) {
                float[] o1 = Seeds.normal(r, n, 1), o2 = o1.clone();
                Elementwise.run(kind, true, o1, 0, a, 0, b, 0, n);
                Elementwise.run(kind, false, o2, 0, a, 0, b, 0, n);
                assertThat(o1).as("elementwise kind %d n=%d", kind, n).containsExactly(o2);
            }
        }
    }

    private static float[] pad(float[] a, int front) {
        float[] p = new float[a.length + front];
        System.arraycopy(a, 0, p, front, a.length);
        return p;
    }
}
