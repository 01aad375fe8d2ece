package dev.seedling.tensor;

/**
 * Fused RMSNorm as one autograd primitive ({@link RmsNorm}): x (R, C) (any leading dims, flattened), w (C),
 * out (R, C); saves rstd (R) for the backward.
 */
public record RmsNormOp(Var x, Var w, Var out, Tensor rstd) implements Op {

    public static Var apply(Tape tape, Var x, Var w, float eps) {
        Tensor xv = x.value(), wv = w.value();
        int cols = xv.cols(), rows = xv.rows();
        if (wv.size() != cols) throw new IllegalArgumentException("rmsnorm: weight " + wv + " does not match input " + xv);
        Tensor ov = tape.take(xv.shape()), rstd = tape.take(rows);
        RmsNorm.forward(ov.data(), ov.offset(), rstd.data(), rstd.offset(), xv.data(), xv.offset(), wv.data(), wv.offset(),
                rows, cols, eps);
        Var out = tape.result(ov, x, w);
        if (out.requiresGrad()) tape.record(new RmsNormOp(x, w, out, rstd));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(out), xv = x.value(), wv = w.value();
        Tensor dx = x.requiresGrad() ? tape.grad(x) : null, dw = w.requiresGrad() ? tape.grad(w) : null;
        RmsNorm.backward(dx == null ? null : dx.data(), dx == null ? 0 : dx.offset(),
                dw == null ? null : dw.data(), dw == null ? 0 : dw.offset(),
                dy.data(), dy.offset(), xv.data(), xv.offset(), wv.data(), wv.offset(), rstd.data(), rstd.offset(),
                xv.rows(), xv.cols());
    }
}
