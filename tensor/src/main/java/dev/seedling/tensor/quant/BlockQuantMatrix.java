package dev.seedling.tensor.quant;

import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.quant.internal.QuantKernels;
import dev.seedling.tensor.quant.internal.QuantMatmul;

/**
 * A {@link WeightMatrix} in one of ggml's block-quantised formats: each row of W is {@code cols/32} blocks of 32
 * weights with one f16 scale, stored in a byte array laid out exactly as a GGUF tensor of that type (so an exporter
 * writes {@link #data()} as it is, and a GGUF tensor's bytes can be wrapped without conversion).
 *
 * <p>{@link #matmul}: for m &lt; 16 rows of x, the activations are quantised to Q8 blocks (f32 scale) and each output
 * is an integer dot product (llama.cpp's q8_0·q8_0 / q4_0·q8_0 scheme), so row i of y equals what a call with row i
 * alone gives; for m ≥ 16 (prompt processing) W is dequantised in 64-row panels and multiplied in f32. Both are
 * parallel over {@link Parallel}, deterministic for any thread count, and allocation-free once their per-thread
 * scratch has grown to the shape. {@code -Dseedling.scalar=true} (or a CPU without 512-bit vectors) takes the scalar
 * twins. Immutable after construction; safe to share between threads (calls take turns on the pool).
 */
public abstract sealed class BlockQuantMatrix implements WeightMatrix permits Q8_0Matrix, Q4_0Matrix {
    /** Weights per block. */
    public static final int BLOCK_SIZE = QuantKernels.QK;

    private final byte[] data; // rows · cols/32 blocks of blockBytes()
    private final int rows, cols;

    BlockQuantMatrix(byte[] data, int rows, int cols) {
        checkShape(format(), rows, cols);
        long expected = (long) rows * (cols / BLOCK_SIZE) * blockBytes();
        if (data.length != expected)
            throw new IllegalArgumentException(format() + " data of [" + rows + "×" + cols + "] must be " + expected
                    + " bytes, got " + data.length);
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Bytes per block of 32 weights (34 for Q8_0, 18 for Q4_0). */
    public abstract int blockBytes();

    abstract boolean q4();

    /** Throws a one-line error unless W[rows × cols] can be stored in this block format. */
    static void checkShape(String format, int rows, int cols) {
        if (rows <= 0 || cols <= 0)
            throw new IllegalArgumentException(format + " matrix shape [" + rows + "×" + cols + "] must be positive");
        if (cols % BLOCK_SIZE != 0)
            throw new SeedlingException(format + " needs rows whose length is a multiple of " + BLOCK_SIZE + ", got "
                    + cols + " columns; keep this model in f32 or f16");
        if ((long) rows * cols > Integer.MAX_VALUE - 8)
            throw new SeedlingException(format + " matrix [" + rows + "×" + cols + "] is too large for one array");
    }

    /** Quantises W row by row (in parallel) into the byte layout of {@code format}. */
    static byte[] quantize(WeightMatrix src, int blockBytes, boolean q4) {
        int rows = src.rows(), cols = src.cols();
        checkShape(q4 ? "q4_0" : "q8_0", rows, cols);
        int rowBytes = cols / BLOCK_SIZE * blockBytes;
        byte[] out = new byte[Math.toIntExact((long) rows * rowBytes)];
        Parallel.forRange(rows, (worker, lo, hi) -> {
            float[] row = src instanceof F32Matrix ? null : new float[cols];
            for (int r = lo; r < hi; r++) {
                float[] a;
                int off;
                if (src instanceof F32Matrix f) {
                    a = f.data();
                    off = f.offset() + r * cols;
                } else {
                    src.row(r, row, 0);
                    a = row;
                    off = 0;
                }
                if (q4) QuantKernels.quantizeQ4_0(out, r * rowBytes, a, off, cols);
                else QuantKernels.quantizeQ8_0(out, r * rowBytes, a, off, cols);
            }
        });
        return out;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    /** The blocks, row-major, in GGUF's layout. Not a copy: do not modify. */
    public final byte[] data() {
        return data;
    }

    @Override
    public final void matmul(float[] y, int yOff, float[] x, int xOff, int m) {
        if (m < 0) throw new IllegalArgumentException("m = " + m);
        if (yOff < 0 || (long) yOff + (long) m * rows > y.length || xOff < 0 || (long) xOff + (long) m * cols > x.length)
            throw new IllegalArgumentException("matmul of " + m + " rows: x[" + xOff + " + " + m + "×" + cols
                    + "] or y[" + yOff + " + " + m + "×" + rows + "] out of bounds (" + x.length + ", " + y.length + ")");
        QuantMatmul.matmul(q4(), data, rows, cols, y, yOff, x, xOff, m, !dev.seedling.tensor.Simd.ENABLED);
    }

    /** The scalar-twin product (reference path for tests); same contract as {@link #matmul}. */
    public final void matmulScalar(float[] y, int yOff, float[] x, int xOff, int m) {
        QuantMatmul.matmul(q4(), data, rows, cols, y, yOff, x, xOff, m, true);
    }

    @Override
    public final long bytes() {
        return data.length;
    }

    @Override
    public final void row(int r, float[] dst, int dstOff) {
        if (r < 0 || r >= rows) throw new IndexOutOfBoundsException("row " + r + " of " + rows);
        int rowBytes = cols / BLOCK_SIZE * blockBytes();
        if (q4()) QuantKernels.dequantizeQ4_0(dst, dstOff, data, r * rowBytes, cols);
        else QuantKernels.dequantizeQ8_0(dst, dstOff, data, r * rowBytes, cols);
    }

    @Override
    public String toString() {
        return format() + "[" + rows + "×" + cols + "]";
    }
}
