package dev.seedling.tensor.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.tensor.MatMul;
import dev.seedling.tensor.quant.F32Matrix;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The row-streaming f32 matrix against the scalar triple loop at awkward sizes (tolerance scaled by k), and the
 * property the engine relies on: a row's result has the same bits whatever the number of rows in the call.
 */
class F32DecodeMatrixTest {
    @Test
    void matchesTheScalarProductAndEachRowIsIndependentOfM() {
        SplittableRandom r = Seeds.rng("f32-decode");
        for (int k : new int[] {1, 3, 7, 8, 13, 17, 31, 64, 65, 100, 207, 576}) {
            for (int n : new int[] {1, 5, 33}) {
                float[] w = Seeds.uniform(r, 3 + n * k, 1.0);
                F32DecodeMatrix m = new F32DecodeMatrix(new F32Matrix(w, 3, n, k));
                float[] x = Seeds.uniform(r, 11 * k, 1.0);
                float[] single = new float[11 * n];
                for (int i = 0; i < 11; i++) m.matmul(single, i * n, x, i * k, 1);
                for (int rows = 1; rows <= 11; rows++) {
                    float[] y = new float[rows * n], ref = new float[rows * n];
                    m.matmul(y, 0, x, 0, rows);
                    MatMul.ntScalar(ref, 0, n, x, 0, k, w, 3, k, rows, n, k, false);
                    Tolerance.assertClose("k=" + k + " n=" + n + " m=" + rows, ref, y, 1e-6 * k, 1e-5);
                    if (rows <= F32DecodeMatrix.MAX_GEMV_ROWS)
                        assertThat(y).as("k=%d n=%d m=%d rows equal single-row calls", k, n, rows)
                                .containsExactly(Arrays.copyOf(single, rows * n));
                }
            }
        }
    }
}
