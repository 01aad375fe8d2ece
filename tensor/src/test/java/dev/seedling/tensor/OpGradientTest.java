package dev.seedling.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.GradCheck;
import dev.seedling.testkit.Seeds;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference gradient check for every op (testkit {@link GradCheck}): L = sum(seed · out) for a random
 * upstream gradient seed; central differences with h = 1e-2 in double around float inputs.
 * Tolerance: 2e-3 abs + 1e-2 rel (float forward, O(h²) truncation).
 */
class OpGradientTest {
    private static final double H = 1e-2, ATOL = 2e-3, RTOL = 1e-2;
    private static final int PROBES = 40;

    /**
     * Runs the check: {@code build} applies the op(s) to leaves made from {@code inputs} (shapes {@code shapes});
     * {@code differentiable[k]} says whether input k gets a gradient.
     */
    static void check(String name, float[][] inputs, int[][] shapes, boolean[] differentiable, BiFunction<Tape, Var[], Var> build) {
        SplittableRandom r = Seeds.rng("grad-" + name);
        // analytic
        Tape tape = Tape.training();
        Var[] leaves = new Var[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = new Tensor(inputs[k].clone(), 0, shapes[k]);
            leaves[k] = differentiable[k] ? tape.input(t) : tape.constant(t);
        }
        Var out = build.apply(tape, leaves);
        float[] seed = Seeds.normal(r, out.value().size(), 1);
        Tensor g = tape.grad(out);
        for (int i = 0; i < seed.length; i++) g.set(i, seed[i]);
        tape.backward();
        float[][] analytic = new float[inputs.length][];
        for (int k = 0; k < inputs.length; k++)
            if (differentiable[k]) analytic[k] = leaves[k].grad() == null ? new float[inputs[k].length] : leaves[k].grad().toArray();
        // numeric
        GradCheck.Forward f = in -> {
            Tape t = Tape.inference();
            Var[] vs = new Var[in.length];
            for (int k = 0; k < in.length; k++) vs[k] = t.constant(new Tensor(in[k], 0, shapes[k]));
            return build.apply(t, vs).value().toArray();
        };
        GradCheck.check(name, f, inputs, seed, analytic, H, ATOL, RTOL, PROBES);
    }

    static void check1(String name, float[] x, int[] shape, BiFunction<Tape, Var, Var> build) {
        check(name, new float[][] {x}, new int[][] {shape}, new boolean[] {true}, (tp, v) -> build.apply(tp, v[0]));
    }

    private static SplittableRandom rng(String n) {
        return Seeds.rng(n);
    }

    // ---- fused ops ---------------------------------------------------------------------------------------------------

    @Test
    void rmsNormOp() {
        SplittableRandom r = rng("rmsNormOp");
        for (int c : new int[] {1, 7, 33}) {
            int rows = 4;
            check("rmsnorm C=" + c, new float[][] {Seeds.normal(r, rows * c, 1), Seeds.uniform(r, c, 2)},
                    new int[][] {{rows, c}, {c}}, new boolean[] {true, true}, (tp, v) -> RmsNormOp.apply(tp, v[0], v[1], 1e-5f));
        }
    }

    @Test
    void swiGluOp() {
        SplittableRandom r = rng("swiGluOp");
        for (int f : new int[] {1, 5, 19}) check1("swiglu F=" + f, Seeds.normal(r, 3 * 2 * f, 2), new int[] {3, 2 * f}, (tp, v) -> SwiGluOp.apply(tp, v));
    }

    @Test
    void crossEntropyOp() {
        SplittableRandom r = rng("crossEntropyOp");
        for (int vocab : new int[] {1, 3, 29}) {
            int rows = 6;
            int[] t = new int[rows + 1];
            for (int i = 0; i < rows; i++) t[1 + i] = i == 2 ? -1 : r.nextInt(vocab);
            check1("cross-entropy V=" + vocab, Seeds.normal(r, rows * vocab, 2), new int[] {rows, vocab},
                    (tp, v) -> CrossEntropyOp.apply(tp, v, t, 1));
        }
    }

    @Test
    void embeddingOp() {
        SplittableRandom r = rng("embeddingOp");
        int[] ids = {9, 3, 1, 3, 0, 3, 2};
        check1("embedding", Seeds.normal(r, 5 * 6, 1), new int[] {5, 6}, (tp, v) -> EmbeddingOp.apply(tp, v, ids, 1, 6));
    }

    @Test
    void linearOp() {
        SplittableRandom r = rng("linearOp");
        for (int[] mnk : new int[][] {{1, 1, 1}, {3, 5, 7}, {17, 9, 33}}) {
            int m = mnk[0], n = mnk[1], k = mnk[2];
            check("linear " + m + "x" + n + "x" + k, new float[][] {Seeds.normal(r, m * k, 1), Seeds.normal(r, n * k, 1)},
                    new int[][] {{m, k}, {n, k}}, new boolean[] {true, true}, (tp, v) -> LinearOp.apply(tp, v[0], v[1]));
        }
    }

    // ---- elementary ops ----------------------------------------------------------------------------------------------

    @Test
    void elementaryOps() {
        SplittableRandom r = rng("elementaryOps");
        int rows = 3, c = 7, n = rows * c;
        int[] s = {rows, c};
        check("add", new float[][] {Seeds.normal(r, n, 1), Seeds.normal(r, n, 1)}, new int[][] {s, s}, new boolean[] {true, true},
                (tp, v) -> AddOp.apply(tp, v[0], v[1]));
        check("mul", new float[][] {Seeds.normal(r, n, 1), Seeds.normal(r, n, 1)}, new int[][] {s, s}, new boolean[] {true, true},
                (tp, v) -> MulOp.apply(tp, v[0], v[1]));
        check1("add same", Seeds.normal(r, n, 1), s, (tp, v) -> AddOp.apply(tp, v, v));
        check1("mul same", Seeds.normal(r, n, 1), s, (tp, v) -> MulOp.apply(tp, v, v));
        check1("scale", Seeds.normal(r, n, 1), s, (tp, v) -> ScaleOp.apply(tp, v, -1.7f));
        check1("sigmoid", Seeds.normal(r, n, 2), s, (tp, v) -> SigmoidOp.apply(tp, v));
        check1("exp", Seeds.normal(r, n, 1), s, (tp, v) -> ExpOp.apply(tp, v));
        check1("log", positive(r, n), s, (tp, v) -> LogOp.apply(tp, v));
        check1("rsqrt", positive(r, n), s, (tp, v) -> RsqrtOp.apply(tp, v, 1e-3f));
        check1("rowSum", Seeds.normal(r, n, 1), s, (tp, v) -> RowSumOp.apply(tp, v));
        check1("sum", Seeds.normal(r, n, 1), s, (tp, v) -> SumOp.apply(tp, v));
        check("mulRows", new float[][] {Seeds.normal(r, n, 1), Seeds.normal(r, rows, 1)}, new int[][] {s, {rows, 1}},
                new boolean[] {true, true}, (tp, v) -> MulRowsOp.apply(tp, v[0], v[1]));
        check("mulCols", new float[][] {Seeds.normal(r, n, 1), Seeds.normal(r, c, 1)}, new int[][] {s, {c}},
                new boolean[] {true, true}, (tp, v) -> MulColsOp.apply(tp, v[0], v[1]));
        check1("sliceCols", Seeds.normal(r, n, 1), s, (tp, v) -> SliceColsOp.apply(tp, v, 2, 4));
        int[] idx = {0, 6, -1, 3};
        check1("gather", Seeds.normal(r, n, 1), s, (tp, v) -> GatherOp.apply(tp, v, idx, 1));
        // a constant input gets no gradient, and the op is not recorded when nothing needs one
        Tape t = Tape.training();
        Var a = t.constant(Tensor.of(new float[] {1, 2}, 2)), b = t.constant(Tensor.of(new float[] {3, 4}, 2));
        Var y = AddOp.apply(t, a, b);
        assertThat(y.requiresGrad()).isFalse();
        assertThat(t.size()).isZero();
        assertThat(y.value().toArray()).containsExactly(4f, 6f);
    }

    @Test
    void softmaxKernelBackward() {
        SplittableRandom r = rng("softmaxBackward");
        int rows = 3, c = 11;
        float[] x = Seeds.normal(r, rows * c, 2), dy = Seeds.normal(r, rows * c, 1), y = new float[rows * c], dx = new float[rows * c];
        Softmax.forward(y, 0, x, 0, rows, c);
        Softmax.backward(dx, 0, dy, 0, y, 0, rows, c);
        GradCheck.check("softmax", in -> {
            float[] o = new float[rows * c];
            Softmax.forward(o, 0, in[0], 0, rows, c);
            return o;
        }, new float[][] {x}, dy, new float[][] {dx}, H, ATOL, RTOL, PROBES);
    }

    private static float[] positive(SplittableRandom r, int n) {
        float[] a = Seeds.uniform(r, n, 1);
        for (int i = 0; i < n; i++) a[i] = 0.5f + Math.abs(a[i]);
        return a;
    }
}
