package dev.seedling.tensor;

/** Elementary op: sum of each row, x (R, C) → out (R, 1); {@code dx[r, j] += dy[r]}. */
public record RowSumOp(Var x, Var out) implements Op {

    public static Var apply(Tape tape, Var x) {
        Tensor xv = x.value();
        int rows = xv.rows(), cols = xv.cols();
        Tensor ov = tape.take(rows, 1);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += xv.get(r * cols + j);
            ov.set(r, (float) s);
        }
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new RowSumOp(x, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x);
        int rows = dx.rows(), cols = dx.cols();
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) dx.set(r * cols + j, dx.get(r * cols + j) + dy.get(r));
    }
}
