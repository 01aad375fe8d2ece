package dev.seedling.tensor;

/** Elementary op: {@code out = exp(x)} element-wise; {@code dx += dy · y}. */
public record ExpOp(Var x, Var out) implements Op {

    public static Var apply(Tape tape, Var x) {
        Tensor xv = x.value(), ov = tape.take(xv.shape());
        for (int i = 0; i < xv.size(); i++) ov.set(i, (float) Math.exp(xv.get(i)));
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new ExpOp(x, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x), y = out.value();
        for (int i = 0; i < dy.size(); i++) dx.set(i, dx.get(i) + dy.get(i) * y.get(i));
    }
}
