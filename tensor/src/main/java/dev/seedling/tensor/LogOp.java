package dev.seedling.tensor;

/** Elementary op: {@code out = ln(x)} element-wise; {@code dx += dy / x}. */
public record LogOp(Var x, Var out) implements Op {

    public static Var apply(Tape tape, Var x) {
        Tensor xv = x.value(), ov = tape.take(xv.shape());
        for (int i = 0; i < xv.size(); i++) ov.set(i, (float) Math.log(xv.get(i)));
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new LogOp(x, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x), xv = x.value();
        for (int i = 0; i < dy.size(); i++) dx.set(i, dx.get(i) + dy.get(i) / xv.get(i));
    }
}
