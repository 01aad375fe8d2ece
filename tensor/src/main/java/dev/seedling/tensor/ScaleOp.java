package dev.seedling.tensor;

/** Elementary op: {@code out = s · x} for a constant s; out has x's shape. */
public record ScaleOp(Var x, float s, Var out) implements Op {

    public static Var apply(Tape tape, Var x, float s) {
        Tensor xv = x.value(), ov = tape.take(xv.shape());
        for (int i = 0; i < xv.size(); i++) ov.set(i, s * xv.get(i));
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new ScaleOp(x, s, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x);
        for (int i = 0; i < dy.size(); i++) dx.set(i, dx.get(i) + s * dy.get(i));
    }
}
