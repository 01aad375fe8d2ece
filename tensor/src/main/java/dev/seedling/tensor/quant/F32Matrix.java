package dev.seedling.tensor.quant;

import dev.seedling.tensor.MatMul;

/** An f32 {@link WeightMatrix}: a row-major [rows × cols] view of a float array (no copy). */
public record F32Matrix(float[] data, int offset, int rows, int cols) implements WeightMatrix {
    public F32Matrix {
        if (rows <= 0 || cols <= 0 || offset < 0 || (long) offset + (long) rows * cols > data.length)
            throw new IllegalArgumentException("F32Matrix [" + rows + "×" + cols + "] at " + offset
                    + " does not fit an array of " + data.length);
    }

    @Override
    public void matmul(float[] y, int yOff, float[] x, int xOff, int m) {
        MatMul.nt(y, yOff, rows, x, xOff, cols, data, offset, cols, m, rows, cols, false);
    }

    @Override
    public long bytes() {
        return 4L * rows * cols;
    }

    @Override
    public void row(int r, float[] dst, int dstOff) {
        System.arraycopy(data, offset + r * cols, dst, dstOff, cols);
    }

    @Override
    public String format() {
        return "f32";
    }
}
