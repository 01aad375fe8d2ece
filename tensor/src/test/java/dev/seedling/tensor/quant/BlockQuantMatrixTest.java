package dev.seedling.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.quant.internal.QuantKernels;
import dev.seedling.tensor.quant.internal.QuantMatmul;
import dev.seedling.testkit.Seeds;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Q8_0 and Q4_0 weight matrices: the block layout ggml uses (checked on hand-computed blocks), SIMD kernels against
 * their scalar twins bit for bit at awkward sizes, batched rows equal to single rows, and the product against an
 * f64 reference within the quantisation error bound.
 */
class BlockQuantMatrixTest {
    private static final int[] ROWS = {1, 3, 17, 255};
    private static final int[] COLS = {32, 96, 4096};
    private static final int[] MS = {1, 3, 4, 5, 8};

    private static final Function<F32Matrix, BlockQuantMatrix> Q8 = Q8_0Matrix::quantize;
    private static final Function<F32Matrix, BlockQuantMatrix> Q4 = Q4_0Matrix::quantize;

    /** x[j] = j − 16: amax 16 at j = 0. */
    private static float[] rampBlock() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) x[j] = j - 16;
        return x;
    }

    @Test
    void q8_0BlockLayoutIsGgmls() {
        float[] x = rampBlock();
        Q8_0Matrix q = Q8_0Matrix.quantize(new F32Matrix(x, 0, 1, 32));
        byte[] b = q.data();
        assertThat(b).hasSize(34);
        short d = (short) ((b[0] & 0xFF) | (b[1] << 8));
        assertThat(d).isEqualTo(Float.floatToFloat16(16f / 127f));
        for (int j = 0; j < 32; j++) {
            float v = (j - 16) * (1f / (16f / 127f)); // x·(1/d) in f32, rounded as C's roundf (halves away from 0)
            assertThat(b[2 + j]).as("q[%d]", j).isEqualTo((byte) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5)));
        }
        assertThat(b[2]).isEqualTo((byte) -127);
        assertThat(b[2 + 8]).isEqualTo((byte) -64); // −8·127/16 = −63.5 → −64, not Java's Math.round −63
        float[] back = new float[32];
        q.row(0, back, 0);
        for (int j = 0; j < 32; j++) assertThat(back[j]).isEqualTo(Float.float16ToFloat(d) * b[2 + j]);
    }

    @Test
    void q4_0BlockLayoutIsGgmls() {
        float[] x = rampBlock();
        Q4_0Matrix q = Q4_0Matrix.quantize(new F32Matrix(x, 0, 1, 32));
        byte[] b = q.data();
        assertThat(b).hasSize(18);
        // max = −16 (largest magnitude, with sign), d = max / −8 = 2, q = min(15, (int)(x/2 + 8.5))
        assertThat((short) ((b[0] & 0xFF) | (b[1] << 8))).isEqualTo(Float.floatToFloat16(2f));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) ((j - 16) / 2f + 8.5f)), hi = Math.min(15, (int) (j / 2f + 8.5f));
            assertThat(b[2 + j] & 0xFF).as("byte %d", j).isEqualTo(lo | hi << 4);
        }
        assertThat(b[2] & 0xFF).isEqualTo(0x80); // x[0] = −16 → 0, x[16] = 0 → 8
        float[] back = new float[32];
        q.row(0, back, 0);
        assertThat(back[0]).isEqualTo(-16f);
        assertThat(back[31]).isEqualTo(14f); // 15 → q = min(15, 16) = 15 → (15−8)·2
    }

    @Test
    void roundingIsHalfAwayFromZeroAsInC() {
        float[] x = new float[32];
        x[0] = 127f;  // d = 1, id = 1
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 0.5f;
        x[4] = -0.5f;
        byte[] b = Q8_0Matrix.quantize(new F32Matrix(x, 0, 1, 32)).data();
        assertThat(new byte[] {b[2], b[3], b[4], b[5], b[6]}).containsExactly(127, 3, -3, 1, -1);
    }

    @Test
    void simdKernelsEqualScalarTwinsBitForBit() {
        SplittableRandom r = Seeds.rng("quant-parity");
        for (var quant : java.util.List.of(Q8, Q4)) {
            for (int rows : ROWS) {
                for (int cols : COLS) {
                    BlockQuantMatrix w = quant.apply(randomMatrix(r, rows, cols));
                    for (int m : MS) {
                        float[] x = Seeds.normal(r, m * cols + 5, 1.0);
                        float[] ySimd = new float[m * rows + 3], yScalar = ySimd.clone();
                        w.matmul(ySimd, 3, x, 5, m);
                        w.matmulScalar(yScalar, 3, x, 5, m);
                        assertThat(ySimd).as("%s rows %d cols %d m %d", w.format(), rows, cols, m).isEqualTo(yScalar);
                    }
                }
            }
        }
    }

    @Test
    void eachBatchedRowEqualsTheRowAlone() {
        SplittableRandom r = Seeds.rng("quant-batch");
        for (var quant : java.util.List.of(Q8, Q4)) {
            BlockQuantMatrix w = quant.apply(randomMatrix(r, 17, 96));
            int m = QuantMatmul.PANEL_ROWS - 1;
            float[] x = Seeds.normal(r, m * 96, 1.0);
            float[] y = new float[m * 17];
            w.matmul(y, 0, x, 0, m);
            for (int i = 0; i < m; i++) {
                float[] one = new float[17];
                w.matmul(one, 0, x, i * 96, 1);
                for (int j = 0; j < 17; j++) assertThat(y[i * 17 + j]).isEqualTo(one[j]);
            }
        }
    }

    /**
     * The integer path against f64 over the DEQUANTISED weights: the only error is the activations' rounding,
     * |x − d_x·q_x| ≤ d_x/2 per element, so |err| ≤ Σ_blocks d_x/2 · Σ_j |w_j| (+ f32 rounding, 1e-5 relative).
     * The panel path (m ≥ 16) multiplies the dequantised weights in f32: error within f32 rounding.
     */
    @Test
    void productIsWithinTheQuantisationBound() {
        SplittableRandom r = Seeds.rng("quant-bound");
        for (var quant : java.util.List.of(Q8, Q4)) {
            for (int rows : new int[] {3, 17}) {
                for (int cols : COLS) {
                    BlockQuantMatrix w = quant.apply(randomMatrix(r, rows, cols));
                    float[] wd = new float[rows * cols];
                    for (int i = 0; i < rows; i++) w.row(i, wd, i * cols);
                    for (int m : new int[] {1, 5, QuantMatmul.PANEL_ROWS + 1}) {
                        float[] x = Seeds.normal(r, m * cols, 1.0);
                        float[] y = new float[m * rows];
                        w.matmul(y, 0, x, 0, m);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < rows; j++) {
                                double exact = 0, bound = 0, mag = 0;
                                for (int b = 0; b < cols / 32; b++) {
                                    double amax = 0, wabs = 0;
                                    for (int k = b * 32; k < b * 32 + 32; k++) {
                                        double xv = x[i * cols + k], wv = wd[j * cols + k];
                                        exact += xv * wv;
                                        mag += Math.abs(xv * wv);
                                        amax = Math.max(amax, Math.abs(xv));
                                        wabs += Math.abs(wv);
                                    }
                                    if (m < QuantMatmul.PANEL_ROWS) bound += amax / 127 / 2 * wabs;
                                }
                                bound += 1e-5 * mag + 1e-6;
                                assertThat(Math.abs(y[i * rows + j] - exact))
                                        .as("%s rows %d cols %d m %d (%d,%d)", w.format(), rows, cols, m, i, j)
                                        .isLessThanOrEqualTo(bound);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Against the original f32 weights: relative error of the whole product, as the formats' precision allows. */
    @Test
    void productIsCloseToTheF32Product() {
        SplittableRandom r = Seeds.rng("quant-f32");
        int rows = 64, cols = 256, m = 3;
        F32Matrix f = randomMatrix(r, rows, cols);
        float[] x = Seeds.normal(r, m * cols, 1.0);
        float[] ref = new float[m * rows];
        f.matmul(ref, 0, x, 0, m);
        for (var c : new Object[][] {{Q8, 0.01}, {Q4, 0.15}}) {
            @SuppressWarnings("unchecked")
            BlockQuantMatrix w = ((Function<F32Matrix, BlockQuantMatrix>) c[0]).apply(f);
            float[] y = new float[m * rows];
            w.matmul(y, 0, x, 0, m);
            double num = 0, den = 0;
            for (int i = 0; i < y.length; i++) {
                num += (y[i] - ref[i]) * (double) (y[i] - ref[i]);
                den += ref[i] * (double) ref[i];
            }
            assertThat(Math.sqrt(num / den)).as(w.format()).isLessThan((double) c[1]);
        }
    }

    @Test
    void dotKernelsAgreeWithTheirTwinsOnExtremeValues() {
        // all weights and activations at ±127 / nibble extremes: the int16 pair sums must not overflow
        byte[] w8 = new byte[34 * 4], w4 = new byte[18 * 4];
        short[] xq = new short[128];
        float[] xs = {1f, 0.5f, 2f, 1f};
        for (int b = 0; b < 4; b++) {
            w8[b * 34] = 0x00;
            w8[b * 34 + 1] = 0x3C; // f16 1.0
            w4[b * 18 + 1] = 0x3C;
            for (int j = 0; j < 32; j++) w8[b * 34 + 2 + j] = (byte) (b % 2 == 0 ? -127 : 127);
            for (int j = 0; j < 16; j++) w4[b * 18 + 2 + j] = 0x00; // q = 0 → −8
        }
        for (int k = 0; k < 128; k++) xq[k] = -127;
        if (QuantKernels.SIMD) {
            assertThat(QuantKernels.dotQ8_0(w8, 0, xq, 0, xs, 0, 4))
                    .isEqualTo(QuantKernels.dotQ8_0Scalar(w8, 0, xq, 0, xs, 0, 4));
            assertThat(QuantKernels.dotQ4_0(w4, 0, xq, 0, xs, 0, 4))
                    .isEqualTo(QuantKernels.dotQ4_0Scalar(w4, 0, xq, 0, xs, 0, 4));
        }
        // block sums: ±127·127·32 scaled by 1, 0.5, 2, 1
        float q8 = QuantKernels.dotQ8_0Scalar(w8, 0, xq, 0, xs, 0, 4);
        assertThat(q8).isEqualTo(127f * 127 * 32 * (1 - 0.5f + 2 - 1));
        assertThat(QuantKernels.dotQ4_0Scalar(w4, 0, xq, 0, xs, 0, 4)).isEqualTo(8f * 127 * 32 * (1 + 0.5f + 2 + 1));
    }

    @Test
    void twoRowQ4KernelEqualsTheOneRowKernelAndItsTwin() {
        SplittableRandom r = Seeds.rng("quant-rows2");
        int blocks = 5, rowBytes = blocks * 18;
        byte[] w = new byte[3 * rowBytes + 7];
        for (int i = 0; i < w.length; i++) w[i] = (byte) r.nextInt(256);
        for (int row = 0; row < 3; row++)
            for (int b = 0; b < blocks; b++) { // finite f16 scales, both signs
                int o = 7 + row * rowBytes + b * 18;
                w[o] = (byte) r.nextInt(256);
                w[o + 1] = (byte) ((r.nextBoolean() ? 0x80 : 0) | (0x20 + r.nextInt(24)));
            }
        short[] xq = new short[blocks * 32 + 3];
        for (int k = 0; k < xq.length; k++) xq[k] = (short) (r.nextInt(255) - 127);
        xq[3] = -127;
        float[] xs = new float[blocks + 1];
        for (int b = 0; b < xs.length; b++) xs[b] = (float) (r.nextDouble() * 0.1);
        if (!QuantKernels.SIMD) return; // the two-row kernel is SIMD-only; the parity test above covers the rest
        short[] xc = new short[blocks * 16 + 2];
        QuantKernels.q4Offsets(xc, 2, xq, 3, blocks);
        float[] y = new float[4];
        QuantKernels.dotQ4_0Pairs(y, 1, w, 7 + rowBytes, rowBytes, 1, xq, 3, xc, 2, xs, 1, blocks);
        for (int j = 0; j < 2; j++) {
            int wOff = 7 + (1 + j) * rowBytes;
            assertThat(y[1 + j]).isEqualTo(QuantKernels.dotQ4_0(w, wOff, xq, 3, xs, 1, blocks))
                    .isEqualTo(QuantKernels.dotQ4_0Scalar(w, wOff, xq, 3, xs, 1, blocks));
        }
        assertThat(y[0]).isZero();
        assertThat(y[3]).isZero();
    }

    @Test
    void wrapTakesTheBytesAsTheyAre() {
        SplittableRandom r = Seeds.rng("quant-wrap");
        F32Matrix f = randomMatrix(r, 5, 64);
        Q4_0Matrix q = Q4_0Matrix.quantize(f);
        Q4_0Matrix again = Q4_0Matrix.wrap(q.data().clone(), 5, 64);
        float[] a = new float[64], b = new float[64];
        q.row(4, a, 0);
        again.row(4, b, 0);
        assertThat(a).isEqualTo(b);
        assertThat(q.bytes()).isEqualTo(5 * 2 * 18);
        assertThat(WeightFormat.parse("Q8_0").convert(f)).isInstanceOf(Q8_0Matrix.class);
        assertThatThrownBy(() -> Q8_0Matrix.wrap(new byte[33], 1, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void columnsNotAMultipleOf32AreAClearError() {
        F32Matrix f = new F32Matrix(new float[3 * 40], 0, 3, 40);
        assertThatThrownBy(() -> Q8_0Matrix.quantize(f)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("multiple of 32").hasMessageContaining("40");
        assertThatThrownBy(() -> Q4_0Matrix.quantize(f)).isInstanceOf(SeedlingException.class);
        assertThatThrownBy(() -> WeightFormat.parse("q5_k")).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("q5_k");
    }

    private static F32Matrix randomMatrix(SplittableRandom r, int rows, int cols) {
        float[] a = Seeds.normal(r, rows * cols + 7, 0.05);
        return new F32Matrix(a, 7, rows, cols);
    }
}
