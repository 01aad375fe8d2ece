package dev.seedling.tensor;

/** Elementary op: {@code out = 1 / (1 + exp(−x))} element-wise; {@code dx += dy · y · (1 − y)}. */
public record SigmoidOp(Var x, Var out) implements Op {

    public static Var apply(Tape tape, Var x) {
        Tensor xv = x.value(), ov = tape.take(xv.shape());
        for (int i = 0; i < xv.size(); i++) ov.set(i, (float) (1.0 / (1.0 + Math.exp(-xv.get(i)))));
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new SigmoidOp(x, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x), y = out.value();
        for (int i = 0; i < dy.size(); i++) dx.set(i, dx.get(i) + dy.get(i) * y.get(i) * (1f - y.get(i)));
    }
}
