package dev.seedling.tensor;

/**
 * Elementary op: a block of columns, x (R, C) → out (R, width) = x[:, from : from + width];
 * {@code dx[:, from + j] += dy[:, j]}.
 */
public record SliceColsOp(Var x, int from, int width, Var out) implements Op {

    public static Var apply(Tape tape, Var x, int from, int width) {
        Tensor xv = x.value();
        int rows = xv.rows(), cols = xv.cols();
        if (from < 0 || width < 0 || from + width > cols)
            throw new IllegalArgumentException("sliceCols: [" + from + ", " + (from + width) + ") outside the columns of " + xv);
        Tensor ov = tape.take(rows, width);
        for (int r = 0; r < rows; r++)
            System.arraycopy(xv.data(), xv.offset() + r * cols + from, ov.data(), ov.offset() + r * width, width);
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new SliceColsOp(x, from, width, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x);
        int rows = dx.rows(), cols = dx.cols();
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < width; j++) dx.set(r * cols + from + j, dx.get(r * cols + from + j) + dy.get(r * width + j));
    }
}
