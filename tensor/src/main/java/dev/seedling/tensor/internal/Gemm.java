package dev.seedling.tensor.internal;

import static dev.seedling.tensor.internal.GemmKernels.L;
import static dev.seedling.tensor.internal.GemmKernels.MR;
import static dev.seedling.tensor.internal.GemmKernels.NR;

import dev.seedling.tensor.Parallel;

/**
 * The blocked, parallel SIMD driver behind {@link dev.seedling.tensor.MatMul} (GotoBLAS/BLIS-style).
 *
 * <p>Legend: C [m×n], reduction length k; A(i,p) and B(p,j) are the logical operands, stored as
 * <ul>
 *   <li>{@link #NT}: A row-major [m×k], B row-major [n×k] (B(p,j) = b[j·ldb + p]);</li>
 *   <li>{@link #NN}: A row-major [m×k], B row-major [k×n];</li>
 *   <li>{@link #TN}: A row-major [k×m] (A(i,p) = a[p·lda + i]), B row-major [k×n].</li>
 * </ul>
 *
 * <p>Blocking. Columns go in blocks of at most {@value #NC} (so a {@value #KC}-deep slice of the packed B block,
 * ≤ 512 KiB, stays in L2); for each column block, B is packed once for the whole k into NR-wide panels (in parallel,
 * one panel per unit of work), then the output rows are cut into tasks of up to {@value #MC} rows (and, when there
 * are few rows, the panels into groups) and handed out dynamically. A task walks k in slices of {@value #KC}; for
 * each slice and each MR-row strip it sweeps the panels, so the strip of A (MR×KC, 8 KiB) stays in L1 while the B
 * slice streams from L2. nt/nn read A in place (row tails are packed with zero padding); tn packs its rows of A for
 * the slice first, since A is stored transposed. nt packs B with gathers (B is stored [n×k]), nn/tn with vector
 * copies. Edge tiles run the full kernel into a per-thread tile and copy the valid part. Few-row products (m ≤ 8
 * for nt, m ≤ 2 for nn/tn) skip packing and take a matrix-vector path split over the columns of C.
 *
 * <p>Determinism: every element of C is computed by exactly one task, with p in increasing order within each slice
 * and slices added into C in increasing order. Tiles, panels and slices are aligned to the matrix (strips at
 * multiples of MR, panels at multiples of NR, matrix-vector groups at multiples of 4 or 4L), never to a thread's
 * share, so the result does not even depend on the thread count.
 *
 * <p>Scratch: per thread (a {@link ThreadLocal}), grown on demand and never shrunk: the packed B block
 * (k × min(n, 512) floats, padded to NR columns; fewer columns when k is large, at most 16 MiB), the packed A
 * block (MC × KC floats, 256 KiB) and one MR×NR tile. So steady-state calls allocate nothing, calls may come
 * from several threads (they take turns on the pool), and calls made from inside a {@link Parallel} task (which
 * run serially on that thread) are safe too.
 */
public final class Gemm {
    private Gemm() {}

    /** Operand layouts (see the class comment). */
    public static final int NT = 0, NN = 1, TN = 2;

    static final int KC = 256;
    static final int NC = 512;
    static final int MC = 256;
    /** The most floats of packed B per column block (columns are narrowed to fit when k is large). */
    static final int MAX_PACKED_B = 1 << 22;
    /** Below this many multiply-adds a call runs on the calling thread alone. */
    static final long SERIAL_WORK = 1L << 17;
    /**
     * Row counts up to these use the matrix-vector path: nt computes dot products against B rows in place (packing
     * a transposed B costs more than a few rows of work), nn/tn sweep B rows with vector multiply-adds.
     */
    static final int GEMV_ROWS_NT = 8, GEMV_ROWS_NN = 2;

    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    /** C[m×n] (+)= A·B with the layout given by {@code variant}; arguments already validated. */
    public static void gemm(int variant, float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff,
                            int ldb, int m, int n, int k, boolean accumulate) {
        Job job = JOBS.get();
        job.variant = variant;
        job.c = c; job.cOff = cOff; job.ldc = ldc;
        job.a = a; job.aOff = aOff; job.lda = lda;
        job.b = b; job.bOff = bOff; job.ldb = ldb;
        job.m = m; job.n = n; job.k = k; job.acc = accumulate;
        try {
            if (m <= (variant == NT ? GEMV_ROWS_NT : GEMV_ROWS_NN)) job.gemv();
            else job.blocked();
        } finally {
            job.c = null; job.a = null; job.b = null;
        }
    }

    /** One thread's reusable state: the call's arguments, the current block, and this thread's scratch arrays. */
    static final class Job implements Parallel.RangeBody, Parallel.TaskBody {
        // the call
        int variant, cOff, ldc, aOff, lda, bOff, ldb, m, n, k;
        float[] c, a, b;
        boolean acc;
        // the current phase and column block
        boolean packing;
        int j0, nb, panels, kc, mc, mTasks, nSplit, qPerTask;
        // scratch owned by the thread that made the call (packed B) or the thread running a task (the rest)
        float[] packB = new float[0];
        float[] packA = new float[0];
        final float[] tile = new float[MR * NR];
        /** j·ldb for j in [0, L): the gather map of {@link GemmKernels#packPanelT} (filled by the calling thread). */
        final int[] rowIndex = new int[L];

        void blocked() {
            int ncMax = Math.max(NR, Math.min(NC, (MAX_PACKED_B / k) / NR * NR));
            int nBlocks = (n + ncMax - 1) / ncMax;
            int ncb = roundUp((n + nBlocks - 1) / nBlocks, NR);
            int kBlocks = (k + KC - 1) / KC;
            kc = (k + kBlocks - 1) / kBlocks;
            if (packB.length < (long) k * ncb) packB = new float[k * ncb];
            for (int j = 0; j < L; j++) rowIndex[j] = j * ldb;
            int threads = Parallel.threads();
            for (j0 = 0; j0 < n; j0 += ncb) {
                nb = Math.min(ncb, n - j0);
                panels = (nb + NR - 1) / NR;
                boolean parallel = threads > 1 && (long) m * nb * k >= SERIAL_WORK;
                int target = parallel ? 4 * threads : 1;
                mc = Math.min(MC, roundUp((m + target - 1) / target, MR));
                mTasks = (m + mc - 1) / mc;
                nSplit = Math.min(panels, Math.max(1, (target + mTasks - 1) / mTasks));
                qPerTask = (panels + nSplit - 1) / nSplit;
                nSplit = (panels + qPerTask - 1) / qPerTask;
                packing = true;
                if (parallel) Parallel.forRange(panels, this);
                else run(0, 0, panels);
                packing = false;
                int tasks = mTasks * nSplit;
                if (parallel) Parallel.forEach(tasks, this);
                else for (int t = 0; t < tasks; t++) run(0, t);
            }
        }

        /** Packing phase: packs panels [lo, hi) of the current column block. */
        @Override
        public void run(int worker, int lo, int hi) {
            if (!packing) {
                gemvRange(lo, hi);
                return;
            }
            for (int q = lo; q < hi; q++) {
                int j = j0 + q * NR, nr = Math.min(NR, j0 + nb - j);
                int dst = q * k * NR;
                if (variant == NT) GemmKernels.packPanelT(packB, dst, b, bOff + j * ldb, ldb, nr, k, rowIndex);
                else GemmKernels.packPanelN(packB, dst, b, bOff + j, ldb, nr, k);
            }
        }

        /** Compute phase: one task = up to MC rows × a group of panels of the current column block, all of k. */
        @Override
        public void run(int worker, int task) {
            Job mine = JOBS.get(); // the running thread's scratch (this job's packed B is shared, read-only here)
            int mt = task / nSplit, ns = task - mt * nSplit;
            int i0 = mt * mc, i1 = Math.min(m, i0 + mc);
            int q0 = ns * qPerTask, q1 = Math.min(panels, q0 + qPerTask);
            int rows = i1 - i0;
            int need = roundUp(rows, MR) * kc;
            if (mine.packA.length < need) mine.packA = new float[need];
            float[] pa = mine.packA, tile = mine.tile, pb = packB;
            for (int pc = 0; pc < k; pc += kc) {
                int kb = Math.min(kc, k - pc);
                boolean accb = acc || pc > 0;
                if (variant == TN) GemmKernels.packColumns(pa, 0, a, aOff + pc * lda + i0, lda, rows, kb);
                for (int i = i0; i < i1; i += MR) {
                    int mr = Math.min(MR, i1 - i);
                    boolean packedA = variant == TN || mr < MR;
                    int ai;
                    if (variant == TN) ai = (i - i0) * kb;
                    else if (mr < MR) {
                        GemmKernels.packRows(pa, 0, a, aOff + i * lda + pc, lda, mr, kb);
                        ai = 0;
                    } else ai = aOff + i * lda + pc;
                    int ci = cOff + i * ldc;
                    for (int q = q0; q < q1; q++) {
                        int j = j0 + q * NR, nr = Math.min(NR, j0 + nb - j);
                        int bi = q * k * NR + pc * NR;
                        if (mr == MR && nr == NR) {
                            if (packedA) GemmKernels.tile(kb, pa, ai, 1, MR, pb, bi, c, ci + j, ldc, accb);
                            else GemmKernels.tile(kb, a, ai, lda, 1, pb, bi, c, ci + j, ldc, accb);
                        } else {
                            if (packedA) GemmKernels.tile(kb, pa, ai, 1, MR, pb, bi, tile, 0, NR, false);
                            else GemmKernels.tile(kb, a, ai, lda, 1, pb, bi, tile, 0, NR, false);
                            GemmKernels.mergeTile(tile, c, ci + j, ldc, mr, nr, accb);
                        }
                    }
                }
            }
        }

        // ---- few rows: matrix-vector products, split over the columns of C --------------------------------

        void gemv() {
            boolean parallel = Parallel.threads() > 1 && (long) m * n * k >= SERIAL_WORK;
            packing = false;
            if (variant == NT) {
                int groups = (n + 3) / 4;
                if (parallel) Parallel.forRange(groups, this);
                else gemvRange(0, groups);
            } else {
                int groups = (n + 4 * L - 1) / (4 * L);
                if (parallel) Parallel.forRange(groups, this);
                else gemvRange(0, groups);
            }
        }

        /** Column groups [lo, hi): groups of 4 columns for nt (4 rows of B), of 4 vectors for nn/tn. */
        private void gemvRange(int lo, int hi) {
            if (variant == NT) {
                int jEnd = Math.min(n, hi * 4);
                for (int j = lo * 4; j < jEnd; j += 4) {
                    for (int i = 0; i < m; i++) {
                        int ai = aOff + i * lda, ci = cOff + i * ldc + j;
                        if (j + 4 <= jEnd) {
                            GemmKernels.dot4(k, a, ai, b, bOff + j * ldb, ldb, c, ci, acc);
                        } else {
                            for (int jj = j; jj < jEnd; jj++, ci++) {
                                float t = GemmKernels.dot(k, a, ai, b, bOff + jj * ldb);
                                c[ci] = acc ? c[ci] + t : t;
                            }
                        }
                    }
                }
            } else {
                int jStart = lo * 4 * L, jEnd = Math.min(n, hi * 4 * L);
                int as = variant == NN ? 1 : lda;
                for (int i = 0; i < m; i++) {
                    int ai = variant == NN ? aOff + i * lda : aOff + i;
                    int ci = cOff + i * ldc;
                    int j = jStart;
                    for (; j + 4 * L <= jEnd; j += 4 * L) GemmKernels.axpy4(k, a, ai, as, b, bOff + j, ldb, c, ci + j, acc);
                    for (; j + L <= jEnd; j += L) GemmKernels.axpy1(k, a, ai, as, b, bOff + j, ldb, c, ci + j, acc);
                    for (; j < jEnd; j++) {
                        float t = 0f;
                        for (int p = 0; p < k; p++) t += a[ai + p * as] * b[bOff + p * ldb + j];
                        c[ci + j] = acc ? c[ci + j] + t : t;
                    }
                }
            }
        }
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
