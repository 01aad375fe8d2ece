package dev.seedling.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.testkit.AwkwardSizes;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Parity of the SIMD path ({@code nt/nn/tn}) and the scalar twins against a double-precision reference, at awkward
 * sizes, with offsets and row strides wider than the rows, overwriting and accumulating. The whole C buffer is
 * compared, so writes outside the m×n window (into the stride padding) are caught too.
 */
class MatMulTest {
    enum Variant { NT, NN, TN }

    /** A problem: operands with random offsets and padded strides, and C pre-filled with random values. */
    record Problem(Variant v, int m, int n, int k, boolean acc, float[] a, int aOff, int lda, float[] b, int bOff,
                   int ldb, float[] c0, int cOff, int ldc) {

        static Problem random(SplittableRandom r, Variant v, int m, int n, int k, boolean acc) {
            int aRows = v == Variant.TN ? k : m, aCols = v == Variant.TN ? m : k;
            int bRows = v == Variant.NT ? n : k, bCols = v == Variant.NT ? k : n;
            int lda = aCols + r.nextInt(5), ldb = bCols + r.nextInt(5), ldc = n + r.nextInt(5);
            int aOff = r.nextInt(7), bOff = r.nextInt(7), cOff = r.nextInt(7);
            float[] a = Seeds.uniform(r, aOff + aRows * lda + 3, 1.0);
            float[] b = Seeds.uniform(r, bOff + bRows * ldb + 3, 1.0);
            float[] c = Seeds.uniform(r, cOff + m * ldc + 3, 1.0);
            return new Problem(v, m, n, k, acc, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        double aAt(int i, int p) {
            return v == Variant.TN ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double bAt(int p, int j) {
            return v == Variant.NT ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** The whole expected C buffer, in double precision. */
        double[] reference() {
            double[] e = new double[c0.length];
            for (int i = 0; i < e.length; i++) e[i] = c0[i];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = acc ? c0[cOff + i * ldc + j] : 0;
                    for (int p = 0; p < k; p++) s += aAt(i, p) * bAt(p, j);
                    e[cOff + i * ldc + j] = s;
                }
            }
            return e;
        }

        float[] run(boolean scalar) {
            float[] c = c0.clone();
            switch (v) {
                case NT -> {
                    if (scalar) MatMul.ntScalar(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, acc);
                    else MatMul.nt(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, acc);
                }
                case NN -> {
                    if (scalar) MatMul.nnScalar(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, acc);
                    else MatMul.nn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, acc);
                }
                case TN -> {
                    if (scalar) MatMul.tnScalar(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, acc);
                    else MatMul.tn(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, acc);
                }
            }
            return c;
        }

        void check() {
            double[] expected = reference();
            String what = v + " m=" + m + " n=" + n + " k=" + k + " acc=" + acc;
            double atol = 1e-5 * Math.max(1, k), rtol = 1e-5;
            Tolerance.assertClose(what + " simd", expected, run(false), atol, rtol);
            Tolerance.assertClose(what + " scalar", expected, run(true), atol, rtol);
        }
    }

    @Test
    void awkwardSizesMatchTheReference() {
        SplittableRandom r = Seeds.rng("MatMulTest.awkwardSizes");
        int[] dims = AwkwardSizes.DIMS;
        for (Variant v : Variant.values()) {
            for (int m : dims) {
                for (int n : dims) {
                    for (int k : dims) {
                        Problem.random(r, v, m, n, k, r.nextBoolean()).check();
                    }
                }
            }
        }
    }

    @Test
    void largerShapesCrossEveryBlockBoundary() {
        SplittableRandom r = Seeds.rng("MatMulTest.larger");
        int[][] shapes = {
            {257, 129, 300}, // row, column and reduction tails
            {40, 530, 70},   // two column blocks, few rows (panels split across tasks)
            {33, 70, 600},   // three reduction slices
            {1, 1000, 513},  // matrix-vector, tails of the 4-wide groups
            {2, 77, 1000},   // two rows, still the matrix-vector path
            {3, 40, 17},     // smallest blocked shape
            {300, 3, 5}};    // thin output
        for (Variant v : Variant.values()) {
            for (int[] s : shapes) {
                Problem.random(r, v, s[0], s[1], s[2], false).check();
                Problem.random(r, v, s[0], s[1], s[2], true).check();
            }
        }
    }

    @Test
    void resultsAreBitForBitRepeatable() {
        SplittableRandom r = Seeds.rng("MatMulTest.repeatable");
        for (Variant v : Variant.values()) {
            Problem p = Problem.random(r, v, 130, 300, 520, true);
            assertThat(p.run(false)).isEqualTo(p.run(false));
        }
    }

    @Test
    void zeroReductionLengthClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5, 6};
        MatMul.nt(c, 0, 3, new float[0], 0, 0, new float[0], 0, 0, 2, 2, 0, true);
        assertThat(c).containsExactly(1, 2, 3, 4, 5, 6);
        MatMul.nn(c, 0, 3, new float[0], 0, 0, new float[0], 0, 0, 2, 2, 0, false);
        assertThat(c).containsExactly(0, 0, 3, 0, 0, 6);
    }

    @Test
    void operandsThatDoNotFitAreRejected() {
        float[] small = new float[10];
        assertThatThrownBy(() -> MatMul.nt(new float[16], 0, 4, small, 0, 4, new float[16], 0, 4, 4, 4, 4, false))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("A [4×4]");
        assertThatThrownBy(() -> MatMul.tn(new float[16], 0, 4, new float[16], 0, 4, new float[16], 0, 3, 4, 4, 4, false))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("B [4×4]");
    }
}
