package dev.seedling.tensor.infer;

import dev.seedling.tensor.MatMul;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.Simd;
import dev.seedling.tensor.internal.VecMath;
import dev.seedling.tensor.quant.F32Matrix;
import dev.seedling.tensor.quant.WeightMatrix;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * An f32 {@link WeightMatrix} tuned for decoding: products with few rows of x (m ≤ {@value #MAX_GEMV_ROWS}, one
 * decoding step of a small batch) read W row after row, each row once, in address order, so that the hardware
 * prefetchers stream W from memory at full bandwidth (measured here, 2 threads, 226 MB of 3072×576 matrices from
 * DRAM: 12-20 GB/s against 8-10 GB/s for {@link MatMul#nt}'s matrix-vector path, which walks four rows side by side).
 * Larger m goes to {@link MatMul#nt} (blocked, compute-bound).
 *
 * <p>Each y element is the dot product of one x row and one W row with four vector accumulators over k, added in a
 * fixed order ({@link VecMath#sum}), then the tail; x rows go two at a time against each loaded W vector
 * ({@link #dot2}) or one at a time ({@link #dot1}) with exactly that arithmetic, so a row's
 * result is the same bits whatever m is (≤ the limit) and whatever the thread count. W rows are split over the
 * {@link Parallel} pool in contiguous ranges. Allocation-free (a per-thread job object carries the
 * call); safe to call from several threads at once.
 */
public final class F32DecodeMatrix implements WeightMatrix {
    /** Products with at most this many rows of x take the row-streaming path. */
    public static final int MAX_GEMV_ROWS = 8;
    /** Below this many multiply-adds a call runs on the calling thread. */
    private static final long SERIAL_WORK = 1L << 16;

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    private final F32Matrix w;

    public F32DecodeMatrix(F32Matrix w) {
        this.w = w;
    }

    /** The plain f32 matrix this one reads. */
    public F32Matrix matrix() {
        return w;
    }

    @Override
    public int rows() {
        return w.rows();
    }

    @Override
    public int cols() {
        return w.cols();
    }

    @Override
    public void matmul(float[] y, int yOff, float[] x, int xOff, int m) {
        int n = w.rows(), k = w.cols();
        if (m > MAX_GEMV_ROWS || !Simd.ENABLED) {
            w.matmul(y, yOff, x, xOff, m);
            return;
        }
        if (m <= 0) return;
        if (xOff < 0 || (long) xOff + (long) m * k > x.length || yOff < 0 || (long) yOff + (long) m * n > y.length)
            throw new IndexOutOfBoundsException("F32DecodeMatrix: x or y too small for " + m + " rows of " + k + " -> " + n);
        Job job = JOBS.get();
        job.set(y, yOff, x, xOff, m, w.data(), w.offset(), n, k);
        try {
            if (Parallel.threads() == 1 || (long) m * n * k < SERIAL_WORK) job.run(0, 0, n);
            else Parallel.forRange(n, job);
        } finally {
            job.clear();
        }
    }

    @Override
    public long bytes() {
        return w.bytes();
    }

    @Override
    public void row(int r, float[] dst, int dstOff) {
        w.row(r, dst, dstOff);
    }

    @Override
    public String format() {
        return "f32";
    }

    /** The arguments of one call and its body over a range of W rows. */
    private static final class Job implements Parallel.RangeBody {
        float[] y, x, w;
        int yOff, xOff, m, wOff, n, k;

        void set(float[] y, int yOff, float[] x, int xOff, int m, float[] w, int wOff, int n, int k) {
            this.y = y; this.yOff = yOff; this.x = x; this.xOff = xOff; this.m = m;
            this.w = w; this.wOff = wOff; this.n = n; this.k = k;
        }

        void clear() {
            y = null; x = null; w = null;
        }

        @Override
        public void run(int worker, int lo, int hi) {
            for (int j = lo; j < hi; j++) {
                int wo = wOff + j * k, i = 0;
                for (; i + 2 <= m; i += 2) dot2(y, yOff + i * n + j, n, x, xOff + i * k, k, w, wo);
                for (; i < m; i++) y[yOff + i * n + j] = dot1(x, xOff + i * k, w, wo, k);
            }
        }
    }

    /**
     * y[yo] and y[yo + yStride] = dot(x row, W row) for the two x rows at xo and xo + k, W row at wo: each with the
     * arithmetic of {@link #dot1}, W loaded once for both.
     */
    static void dot2(float[] y, int yo, int yStride, float[] x, int xo, int k, float[] w, int wo) {
        FloatVector z = FloatVector.zero(F), a0 = z, a1 = z, a2 = z, a3 = z, b0 = z, b1 = z, b2 = z, b3 = z;
        int x1 = xo + k, p = 0;
        for (; p + 4 * L <= k; p += 4 * L) {
            FloatVector w0 = FloatVector.fromArray(F, w, wo + p), w1 = FloatVector.fromArray(F, w, wo + p + L);
            FloatVector w2 = FloatVector.fromArray(F, w, wo + p + 2 * L), w3 = FloatVector.fromArray(F, w, wo + p + 3 * L);
            a0 = w0.fma(FloatVector.fromArray(F, x, xo + p), a0);
            a1 = w1.fma(FloatVector.fromArray(F, x, xo + p + L), a1);
            a2 = w2.fma(FloatVector.fromArray(F, x, xo + p + 2 * L), a2);
            a3 = w3.fma(FloatVector.fromArray(F, x, xo + p + 3 * L), a3);
            b0 = w0.fma(FloatVector.fromArray(F, x, x1 + p), b0);
            b1 = w1.fma(FloatVector.fromArray(F, x, x1 + p + L), b1);
            b2 = w2.fma(FloatVector.fromArray(F, x, x1 + p + 2 * L), b2);
            b3 = w3.fma(FloatVector.fromArray(F, x, x1 + p + 3 * L), b3);
        }
        for (; p + L <= k; p += L) {
            FloatVector w0 = FloatVector.fromArray(F, w, wo + p);
            a0 = w0.fma(FloatVector.fromArray(F, x, xo + p), a0);
            b0 = w0.fma(FloatVector.fromArray(F, x, x1 + p), b0);
        }
        float ta = VecMath.sum(a0.add(a1).add(a2.add(a3))), tb = VecMath.sum(b0.add(b1).add(b2.add(b3)));
        for (; p < k; p++) {
            ta += x[xo + p] * w[wo + p];
            tb += x[x1 + p] * w[wo + p];
        }
        y[yo] = ta;
        y[yo + yStride] = tb;
    }

    /** dot(x[xo, xo+k), W row at wo) with four vector accumulators over k, added in a fixed order. */
    static float dot1(float[] x, int xo, float[] w, int wo, int k) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int p = 0;
        for (; p + 4 * L <= k; p += 4 * L) {
            a0 = FloatVector.fromArray(F, w, wo + p).fma(FloatVector.fromArray(F, x, xo + p), a0);
            a1 = FloatVector.fromArray(F, w, wo + p + L).fma(FloatVector.fromArray(F, x, xo + p + L), a1);
            a2 = FloatVector.fromArray(F, w, wo + p + 2 * L).fma(FloatVector.fromArray(F, x, xo + p + 2 * L), a2);
            a3 = FloatVector.fromArray(F, w, wo + p + 3 * L).fma(FloatVector.fromArray(F, x, xo + p + 3 * L), a3);
        }
        for (; p + L <= k; p += L) a0 = FloatVector.fromArray(F, w, wo + p).fma(FloatVector.fromArray(F, x, xo + p), a0);
        float t = VecMath.sum(a0.add(a1).add(a2.add(a3)));
        for (; p < k; p++) t += x[xo + p] * w[wo + p];
        return t;
    }
}
