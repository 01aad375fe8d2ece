package dev.seedling.tensor.quant.internal;

import dev.seedling.tensor.MatMul;
import dev.seedling.tensor.Parallel;

/**
 * The driver of y[m × rows] = x[m × cols] · Wᵀ for a block-quantised W (Q8_0 or Q4_0 bytes, row-major, each row
 * {@code cols/32} blocks).
 *
 * <ul>
 *   <li>m &lt; {@link #PANEL_ROWS} (decoding, small batches): the activation rows are quantised to Q8 blocks once,
 *       then every output element is one integer dot product ({@link QuantKernels}), four activation rows per pass
 *       over a weight row (for Q4_0 with m = 1: the activation row against two weight rows per pass,
 *       {@link QuantKernels#dotQ4_0Pairs}); split over the weight rows with {@link Parallel#forRange}. Row i of y is
 *       bit-identical to what a call with that row alone gives.</li>
 *   <li>m ≥ {@link #PANEL_ROWS} (prompt processing): compute-bound, so W is dequantised in panels of
 *       {@link #PANEL} rows into per-thread f32 scratch and multiplied with the f32 activations by the register-tiled
 *       {@link MatMul#nt}; panels are aligned to the matrix and handed out with {@link Parallel#forEach}.</li>
 * </ul>
 * Each output element is computed by one task in a fixed order, so results do not depend on the thread count.
 * Scratch (quantised activations, panels) belongs to the calling thread's job object and is grown to the largest
 * shape seen, so steady-state calls allocate nothing.
 */
public final class QuantMatmul {
    private QuantMatmul() {}

    /** Rows of x from which W is dequantised in panels and multiplied in f32. */
    public static final int PANEL_ROWS = 16;
    /** Weight rows per dequantised panel. */
    public static final int PANEL = 64;
    /** Below this many multiply-adds one thread does the whole product (waking the pool costs more). */
    private static final long SERIAL_WORK = 1L << 17; // as Gemm: ~20 µs of work on one core

    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    /**
     * y[m × rows] (row stride rows) = x[m × cols] (row stride cols) · Wᵀ.
     *
     * @param q4     W holds Q4_0 blocks (else Q8_0)
     * @param scalar use the scalar twins (reference path)
     */
    public static void matmul(boolean q4, byte[] w, int rows, int cols, float[] y, int yOff, float[] x, int xOff,
                              int m, boolean scalar) {
        if (m <= 0) return;
        Job job = JOBS.get();
        job.set(q4, w, rows, cols, y, yOff, x, xOff, m, scalar);
        try {
            if (m >= PANEL_ROWS) {
                job.panels = true;
                job.ensurePanels();
                Parallel.forEach((rows + PANEL - 1) / PANEL, job);
            } else {
                job.panels = false;
                job.quantizeActivations();
                if ((long) rows * cols * m < SERIAL_WORK) job.run(0, 0, rows);
                else Parallel.forRange(rows, job);
            }
        } finally {
            job.w = null;
            job.y = null;
            job.x = null;
        }
    }

    /** One call's parameters and the calling thread's scratch; the pool runs it. */
    static final class Job implements Parallel.RangeBody, Parallel.TaskBody {
        boolean q4, scalar, panels;
        byte[] w;
        int rows, cols, blocks, rowBytes, yOff, xOff, m;
        float[] y, x;
        short[] xq = new short[0];
        short[] xc = new short[0]; // Q4_0 offsets of the activation rows (two-row kernel)
        float[] xs = new float[0];
        float[][] panelScratch = new float[Parallel.threads()][];

        void set(boolean q4, byte[] w, int rows, int cols, float[] y, int yOff, float[] x, int xOff, int m,
                 boolean scalar) {
            this.q4 = q4;
            this.w = w;
            this.rows = rows;
            this.cols = cols;
            this.blocks = cols / QuantKernels.QK;
            this.rowBytes = blocks * (q4 ? QuantKernels.Q4_0_BYTES : QuantKernels.Q8_0_BYTES);
            this.y = y;
            this.yOff = yOff;
            this.x = x;
            this.xOff = xOff;
            this.m = m;
            this.scalar = scalar;
        }

        void quantizeActivations() {
            if (xq.length < m * cols) xq = new short[m * cols];
            if (xs.length < m * blocks) xs = new float[m * blocks];
            for (int i = 0; i < m; i++)
                QuantKernels.quantizeActivations(xq, i * cols, xs, i * blocks, x, xOff + i * cols, cols);
            if (q4 && m == 1 && !scalar && QuantKernels.SIMD) { // offsets for the two-row kernel
                if (xc.length < blocks * 16) xc = new short[blocks * 16];
                QuantKernels.q4Offsets(xc, 0, xq, 0, blocks);
            }
        }

        void ensurePanels() {
            int need = PANEL * cols;
            for (int t = 0; t < panelScratch.length; t++)
                if (panelScratch[t] == null || panelScratch[t].length < need) panelScratch[t] = new float[need];
        }

        /** Integer path: output rows [lo, hi) of W for every activation row. */
        @Override
        public void run(int worker, int lo, int hi) {
            int r = lo;
            if (q4 && m == 1 && !scalar && QuantKernels.SIMD) {
                int pairs = (hi - lo) / 2;
                QuantKernels.dotQ4_0Pairs(y, yOff + lo, w, lo * rowBytes, rowBytes, pairs, xq, 0, xc, 0, xs, 0, blocks);
                r += 2 * pairs;
            }
            for (; r < hi; r++) {
                int wOff = r * rowBytes;
                int i = 0;
                if (!scalar && QuantKernels.SIMD) {
                    for (; i + 4 <= m; i += 4) {
                        if (q4) QuantKernels.dotQ4_0x4(y, yOff + i * rows + r, rows, w, wOff, xq, i * cols, cols, xs,
                                i * blocks, blocks, blocks);
                        else QuantKernels.dotQ8_0x4(y, yOff + i * rows + r, rows, w, wOff, xq, i * cols, cols, xs,
                                i * blocks, blocks, blocks);
                    }
                    for (; i < m; i++) {
                        y[yOff + i * rows + r] = q4
                                ? QuantKernels.dotQ4_0(w, wOff, xq, i * cols, xs, i * blocks, blocks)
                                : QuantKernels.dotQ8_0(w, wOff, xq, i * cols, xs, i * blocks, blocks);
                    }
                } else {
                    for (; i < m; i++) {
                        y[yOff + i * rows + r] = q4
                                ? QuantKernels.dotQ4_0Scalar(w, wOff, xq, i * cols, xs, i * blocks, blocks)
                                : QuantKernels.dotQ8_0Scalar(w, wOff, xq, i * cols, xs, i * blocks, blocks);
                    }
                }
            }
        }

        /** Panel path: panel {@code task} (rows [task·PANEL, …)) dequantised and multiplied in f32. */
        @Override
        public void run(int worker, int task) {
            int r0 = task * PANEL, n = Math.min(PANEL, rows - r0);
            float[] panel = panelScratch[worker];
            if (q4) QuantKernels.dequantizeQ4_0(panel, 0, w, r0 * rowBytes, n * cols);
            else QuantKernels.dequantizeQ8_0(panel, 0, w, r0 * rowBytes, n * cols);
            if (scalar) MatMul.ntScalar(y, yOff + r0, rows, x, xOff, cols, panel, 0, cols, m, n, cols, false);
            else MatMul.nt(y, yOff + r0, rows, x, xOff, cols, panel, 0, cols, m, n, cols, false);
        }
    }
}
