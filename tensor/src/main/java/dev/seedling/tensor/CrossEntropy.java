package dev.seedling.tensor;

import dev.seedling.tensor.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused softmax + negative log-likelihood over the vocabulary, one row per token. Legend: R rows (tokens),
 * V vocab. logits, dlogits: (R, V); targets: (R) ints in {@code [0, V)}, or {@link #IGNORE} (-1) for a row that
 * takes no part (prompt tokens under an SFT mask, padding); rowLoss, logsumexp: (R).
 *
 * <p>Per row: {@code lse = max + log(sum(exp(x − max)))}, {@code loss = lse − x[target]}. The mean loss is
 * {@code sum(loss) / count} over the non-ignored rows, and its gradient is
 * {@code dlogits = (softmax − onehot(target)) · upstream / count} ({@code 0} on ignored rows). Row losses are
 * summed in row order in double, so the result does not depend on the thread count.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** The target value of a row that is ignored. */
    public static final int IGNORE = -1;

    /** Summed loss and number of counted rows of {@link #evaluate}. */
    public record Total(double loss, int count) {
        /** The mean loss per counted row (0 when no row counted). */
        public double mean() {
            return count == 0 ? 0 : loss / count;
        }
    }

    private static final VectorSpecies<Float> S = Simd.F;
    static final int PARALLEL_MIN = 1 << 15;

    /**
     * Forward for training: writes each row's loss (0 for ignored rows) and logsumexp (saved for the backward;
     * {@code logsumexp} may be null when no backward follows) and returns the summed loss of the counted rows.
     */
    public static double forward(float[] rowLoss, int rowLossOff, float[] logsumexp, int lseOff, float[] logits,
                                 int logitsOff, int[] targets, int targetsOff, int rows, int vocab) {
        checkTargets(targets, targetsOff, rows, vocab);
        if (Simd.ENABLED) forwardSimd(rowLoss, rowLossOff, logsumexp, lseOff, logits, logitsOff, targets, targetsOff, rows, vocab);
        else forwardScalar(rowLoss, rowLossOff, logsumexp, lseOff, logits, logitsOff, targets, targetsOff, rows, vocab);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += rowLoss[rowLossOff + r];
        return sum;
    }

    /** Evaluation: the summed loss and count of the non-ignored rows, no gradient state; rowLoss (R) is scratch/output. */
    public static Total evaluate(float[] rowLoss, int rowLossOff, float[] logits, int logitsOff, int[] targets,
                                 int targetsOff, int rows, int vocab) {
        double sum = forward(rowLoss, rowLossOff, null, 0, logits, logitsOff, targets, targetsOff, rows, vocab);
        return new Total(sum, count(targets, targetsOff, rows));
    }

    /** Number of rows whose target is not {@link #IGNORE}. */
    public static int count(int[] targets, int targetsOff, int rows) {
        int c = 0;
        for (int r = 0; r < rows; r++) if (targets[targetsOff + r] != IGNORE) c++;
        return c;
    }

    /**
     * Backward: {@code dlogits (+)= (softmax − onehot) · scale} per counted row, with {@code scale = upstream / count}.
     * With {@code accumulate} the gradient is added, otherwise written (ignored rows then get zeros).
     */
    public static void backward(float[] dlogits, int dOff, float[] logits, int logitsOff, float[] logsumexp, int lseOff,
                                int[] targets, int targetsOff, int rows, int vocab, float scale, boolean accumulate) {
        if (Simd.ENABLED) backwardSimd(dlogits, dOff, logits, logitsOff, logsumexp, lseOff, targets, targetsOff, rows, vocab, scale, accumulate);
        else backwardScalar(dlogits, dOff, logits, logitsOff, logsumexp, lseOff, targets, targetsOff, rows, vocab, scale, accumulate);
    }

    private static void checkTargets(int[] targets, int off, int rows, int vocab) {
        for (int r = 0; r < rows; r++) {
            int t = targets[off + r];
            if (t != IGNORE && (t < 0 || t >= vocab))
                throw new IllegalArgumentException("target " + t + " at row " + r + " is outside the vocabulary [0, " + vocab + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    static void forwardSimd(float[] rowLoss, int rowLossOff, float[] lse, int lseOff, float[] logits, int logitsOff,
                            int[] targets, int targetsOff, int rows, int vocab) {
        if ((long) rows * vocab < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowForward(true, rowLoss, rowLossOff, lse, lseOff, logits, logitsOff, targets, targetsOff, vocab, r);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowForward(true, rowLoss, rowLossOff, lse, lseOff, logits, logitsOff, targets, targetsOff, vocab, r);
        });
    }

    static void forwardScalar(float[] rowLoss, int rowLossOff, float[] lse, int lseOff, float[] logits, int logitsOff,
                              int[] targets, int targetsOff, int rows, int vocab) {
        if ((long) rows * vocab < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowForward(false, rowLoss, rowLossOff, lse, lseOff, logits, logitsOff, targets, targetsOff, vocab, r);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowForward(false, rowLoss, rowLossOff, lse, lseOff, logits, logitsOff, targets, targetsOff, vocab, r);
        });
    }

    private static void rowForward(boolean simd, float[] rowLoss, int rowLossOff, float[] lse, int lseOff, float[] logits,
                                   int logitsOff, int[] targets, int targetsOff, int vocab, int r) {
        int x = logitsOff + r * vocab;
        float l = simd ? logSumExpSimd(logits, x, vocab) : logSumExpScalar(logits, x, vocab);
        if (lse != null) lse[lseOff + r] = l;
        int t = targets[targetsOff + r];
        rowLoss[rowLossOff + r] = t == IGNORE ? 0f : l - logits[x + t];
    }

    static void backwardSimd(float[] d, int dOff, float[] logits, int logitsOff, float[] lse, int lseOff,
                             int[] targets, int targetsOff, int rows, int vocab, float scale, boolean accumulate) {
        if ((long) rows * vocab < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++)
                rowBackwardSimd(d, dOff + r * vocab, logits, logitsOff + r * vocab, lse[lseOff + r], targets[targetsOff + r], vocab, scale, accumulate);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++)
                rowBackwardSimd(d, dOff + r * vocab, logits, logitsOff + r * vocab, lse[lseOff + r], targets[targetsOff + r], vocab, scale, accumulate);
        });
    }

    static void backwardScalar(float[] d, int dOff, float[] logits, int logitsOff, float[] lse, int lseOff,
                               int[] targets, int targetsOff, int rows, int vocab, float scale, boolean accumulate) {
        if ((long) rows * vocab < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++)
                rowBackwardScalar(d, dOff + r * vocab, logits, logitsOff + r * vocab, lse[lseOff + r], targets[targetsOff + r], vocab, scale, accumulate);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++)
                rowBackwardScalar(d, dOff + r * vocab, logits, logitsOff + r * vocab, lse[lseOff + r], targets[targetsOff + r], vocab, scale, accumulate);
        });
    }

    // ---- per-row micro-kernels ---------------------------------------------------------------------------------------

    static float logSumExpSimd(float[] a, int o, int n) {
        float max = Softmax.maxSimd(a, o, n);
        int L = S.length(), i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= n - L; i += L) acc = acc.add(VecMath.exp(FloatVector.fromArray(S, a, o + i).sub(max)));
        float sum = VecMath.sum(acc);
        for (; i < n; i++) sum += VecMath.exp(a[o + i] - max);
        return max + (float) Math.log(sum);
    }

    static float logSumExpScalar(float[] a, int o, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, a[o + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(a[o + i] - max);
        return max + (float) Math.log(sum);
    }

    private static void rowBackwardSimd(float[] d, int o, float[] a, int x, float lse, int t, int n, float scale, boolean acc) {
        if (t == IGNORE) {
            if (!acc) java.util.Arrays.fill(d, o, o + n, 0f);
            return;
        }
        int L = S.length(), i = 0;
        if (acc) {
            FloatVector sc = FloatVector.broadcast(S, scale);
            for (; i <= n - L; i += L)
                VecMath.exp(FloatVector.fromArray(S, a, x + i).sub(lse)).fma(sc, FloatVector.fromArray(S, d, o + i)).intoArray(d, o + i);
            for (; i < n; i++) d[o + i] += VecMath.exp(a[x + i] - lse) * scale;
        } else {
            for (; i <= n - L; i += L) VecMath.exp(FloatVector.fromArray(S, a, x + i).sub(lse)).mul(scale).intoArray(d, o + i);
            for (; i < n; i++) d[o + i] = VecMath.exp(a[x + i] - lse) * scale;
        }
        d[o + t] -= scale;
    }

    private static void rowBackwardScalar(float[] d, int o, float[] a, int x, float lse, int t, int n, float scale, boolean acc) {
        if (t == IGNORE) {
            if (!acc) java.util.Arrays.fill(d, o, o + n, 0f);
            return;
        }
        for (int i = 0; i < n; i++) {
            float g = (float) Math.exp(a[x + i] - lse) * scale;
            d[o + i] = acc ? d[o + i] + g : g;
        }
        d[o + t] -= scale;
    }
}
