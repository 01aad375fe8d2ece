package dev.seedling.tensor;

/**
 * Elementary op: scales each row by its own factor, x (R, C) · s (R, 1) → out (R, C);
 * {@code dx[r, j] += dy[r, j] · s[r]}, {@code ds[r] += sum_j dy[r, j] · x[r, j]}.
 */
public record MulRowsOp(Var x, Var s, Var out) implements Op {

    public static Var apply(Tape tape, Var x, Var s) {
        Tensor xv = x.value(), sv = s.value();
        int rows = xv.rows(), cols = xv.cols();
        if (sv.size() != rows) throw new IllegalArgumentException("mulRows: factors " + sv + " do not match rows of " + xv);
        Tensor ov = tape.take(xv.shape());
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) ov.set(r * cols + j, xv.get(r * cols + j) * sv.get(r));
        Var out = tape.result(ov, x, s);
        if (out.requiresGrad()) tape.record(new MulRowsOp(x, s, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(out), xv = x.value(), sv = s.value();
        int rows = xv.rows(), cols = xv.cols();
        if (x.requiresGrad()) {
            Tensor dx = tape.grad(x);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++) dx.set(r * cols + j, dx.get(r * cols + j) + dy.get(r * cols + j) * sv.get(r));
        }
        if (s.requiresGrad()) {
            Tensor ds = tape.grad(s);
            for (int r = 0; r < rows; r++) {
                double acc = 0;
                for (int j = 0; j < cols; j++) acc += (double) dy.get(r * cols + j) * xv.get(r * cols + j);
                ds.set(r, ds.get(r) + (float) acc);
            }
        }
    }
}
