package dev.seedling.tensor;

/**
 * Elementary op: picks one column per row, x (R, V), indices (R) from {@code indices[off..]} → out (R, 1) with
 * {@code out[r] = x[r, indices[r]]}, or 0 where the index is -1 (ignored); {@code dx[r, indices[r]] += dy[r]}.
 */
public record GatherOp(Var x, int[] indices, int off, Var out) implements Op {

    public static Var apply(Tape tape, Var x, int[] indices, int off) {
        Tensor xv = x.value();
        int rows = xv.rows(), cols = xv.cols();
        Tensor ov = tape.take(rows, 1);
        for (int r = 0; r < rows; r++) {
            int t = indices[off + r];
            if (t < -1 || t >= cols) throw new IllegalArgumentException("gather: index " + t + " at row " + r + " outside [0, " + cols + ")");
            ov.set(r, t < 0 ? 0f : xv.get(r * cols + t));
        }
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new GatherOp(x, indices, off, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x);
        int rows = dx.rows(), cols = dx.cols();
        for (int r = 0; r < rows; r++) {
            int t = indices[off + r];
            if (t >= 0) dx.set(r * cols + t, dx.get(r * cols + t) + dy.get(r));
        }
    }
}
