package dev.seedling.tensor;

/**
 * Elementary op: scales each column by its own factor, x (R, C) · w (C) → out (R, C);
 * {@code dx[r, j] += dy[r, j] · w[j]}, {@code dw[j] += sum_r dy[r, j] · x[r, j]} (rows in order).
 */
public record MulColsOp(Var x, Var w, Var out) implements Op {

    public static Var apply(Tape tape, Var x, Var w) {
        Tensor xv = x.value(), wv = w.value();
        int rows = xv.rows(), cols = xv.cols();
        if (wv.size() != cols) throw new IllegalArgumentException("mulCols: factors " + wv + " do not match columns of " + xv);
        Tensor ov = tape.take(xv.shape());
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) ov.set(r * cols + j, xv.get(r * cols + j) * wv.get(j));
        Var out = tape.result(ov, x, w);
        if (out.requiresGrad()) tape.record(new MulColsOp(x, w, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(out), xv = x.value(), wv = w.value();
        int rows = xv.rows(), cols = xv.cols();
        if (x.requiresGrad()) {
            Tensor dx = tape.grad(x);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++) dx.set(r * cols + j, dx.get(r * cols + j) + dy.get(r * cols + j) * wv.get(j));
        }
        if (w.requiresGrad()) {
            Tensor dw = tape.grad(w);
            for (int j = 0; j < cols; j++) {
                double acc = 0;
                for (int r = 0; r < rows; r++) acc += (double) dy.get(r * cols + j) * xv.get(r * cols + j);
                dw.set(j, dw.get(j) + (float) acc);
            }
        }
    }
}
