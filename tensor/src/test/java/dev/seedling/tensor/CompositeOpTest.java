package dev.seedling.tensor;

import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Each fused op equals the same layer composed from the elementary ops, forward and gradients, at sizes that use
 * the SIMD bodies, their tails and (for the larger case) the parallel path.
 * Tolerance: 1e-5 abs + 1e-4 rel (float, different summation orders).
 */
class CompositeOpTest {
    private static final double ATOL = 1e-5, RTOL = 1e-4;

    /** Runs {@code build} on a recording tape over fresh leaves, backward with {@code seed}; returns out + input grads. */
    private static float[][] run(float[][] inputs, int[][] shapes, float[] seed, BiFunction<Tape, Var[], Var> build) {
        Tape tape = Tape.training();
        Var[] leaves = new Var[inputs.length];
        for (int k = 0; k < inputs.length; k++) leaves[k] = tape.input(new Tensor(inputs[k].clone(), 0, shapes[k]));
        Var out = build.apply(tape, leaves);
        Tensor g = tape.grad(out);
        for (int i = 0; i < g.size(); i++) g.set(i, seed[i]);
        tape.backward();
        float[][] res = new float[inputs.length + 1][];
        res[0] = out.value().toArray();
        for (int k = 0; k < inputs.length; k++) res[k + 1] = leaves[k].grad().toArray();
        return res;
    }

    private static void compare(String name, float[][] fused, float[][] composed) {
        Tolerance.assertClose(name + " forward", composed[0], fused[0], ATOL, RTOL);
        for (int k = 1; k < fused.length; k++) Tolerance.assertClose(name + " grad of input " + (k - 1), composed[k], fused[k], ATOL, RTOL);
    }

    @Test
    void rmsNormEqualsComposition() {
        SplittableRandom r = Seeds.rng("rmsNormComposite");
        float eps = 1e-5f;
        for (int[] rc : new int[][] {{1, 1}, {3, 17}, {5, 207}, {64, 1000}}) {
            int rows = rc[0], c = rc[1];
            float[][] in = {Seeds.normal(r, rows * c, 1), Seeds.uniform(r, c, 2)};
            int[][] shapes = {{rows, c}, {c}};
            float[] seed = Seeds.normal(r, rows * c, 1);
            float[][] fused = run(in, shapes, seed, (t, v) -> RmsNormOp.apply(t, v[0], v[1], eps));
            float[][] composed = run(in, shapes, seed, (t, v) -> {
                Var ms = ScaleOp.apply(t, RowSumOp.apply(t, MulOp.apply(t, v[0], v[0])), 1f / c);
                Var rstd = RsqrtOp.apply(t, ms, eps);
                return MulColsOp.apply(t, MulRowsOp.apply(t, v[0], rstd), v[1]);
            });
            compare("rmsnorm " + rows + "x" + c, fused, composed);
        }
    }

    @Test
    void swiGluEqualsComposition() {
        SplittableRandom r = Seeds.rng("swiGluComposite");
        for (int[] rf : new int[][] {{1, 1}, {3, 17}, {5, 207}, {64, 704}}) {
            int rows = rf[0], f = rf[1];
            float[][] in = {Seeds.normal(r, rows * 2 * f, 2)};
            int[][] shapes = {{rows, 2 * f}};
            float[] seed = Seeds.normal(r, rows * f, 1);
            float[][] fused = run(in, shapes, seed, (t, v) -> SwiGluOp.apply(t, v[0]));
            float[][] composed = run(in, shapes, seed, (t, v) -> {
                Var gate = SliceColsOp.apply(t, v[0], 0, f), up = SliceColsOp.apply(t, v[0], f, f);
                return MulOp.apply(t, MulOp.apply(t, gate, SigmoidOp.apply(t, gate)), up);
            });
            compare("swiglu " + rows + "x" + f, fused, composed);
        }
    }

    @Test
    void crossEntropyEqualsComposition() {
        SplittableRandom r = Seeds.rng("crossEntropyComposite");
        for (int[] rv : new int[][] {{1, 1}, {3, 17}, {6, 255}, {40, 1000}}) {
            int rows = rv[0], vocab = rv[1];
            int[] targets = new int[rows];
            float[] mask = new float[rows];
            int count = 0;
            for (int i = 0; i < rows; i++) {
                targets[i] = (i % 3 == 1) ? CrossEntropy.IGNORE : r.nextInt(vocab);
                mask[i] = targets[i] < 0 ? 0 : 1;
                count += (int) mask[i];
            }
            float inv = 1f / count;
            float[][] in = {Seeds.normal(r, rows * vocab, 2)};
            int[][] shapes = {{rows, vocab}};
            float[] seed = {0.7f};
            float[][] fused = run(in, shapes, seed, (t, v) -> CrossEntropyOp.apply(t, v[0], targets, 0));
            float[][] composed = run(in, shapes, seed, (t, v) -> {
                // logits are small here, so exp/sum/log without the max shift is accurate
                Var lse = LogOp.apply(t, RowSumOp.apply(t, ExpOp.apply(t, v[0])));
                Var picked = GatherOp.apply(t, v[0], targets, 0);
                Var perRow = MulOp.apply(t, AddOp.apply(t, lse, ScaleOp.apply(t, picked, -1f)),
                        t.constant(Tensor.of(mask, rows, 1)));
                return ScaleOp.apply(t, SumOp.apply(t, perRow), inv);
            });
            compare("cross-entropy " + rows + "x" + vocab, fused, composed);
        }
    }
}
