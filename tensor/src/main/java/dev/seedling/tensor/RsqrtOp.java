package dev.seedling.tensor;

/** Elementary op: {@code out = 1 / sqrt(x + eps)} element-wise; {@code dx += dy · (−½) · y³}. */
public record RsqrtOp(Var x, float eps, Var out) implements Op {

    public static Var apply(Tape tape, Var x, float eps) {
        Tensor xv = x.value(), ov = tape.take(xv.shape());
        for (int i = 0; i < xv.size(); i++) ov.set(i, (float) (1.0 / Math.sqrt(xv.get(i) + eps)));
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new RsqrtOp(x, eps, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        Tensor dy = tape.grad(out), dx = tape.grad(x), y = out.value();
        for (int i = 0; i < dy.size(); i++) {
            float yi = y.get(i);
            dx.set(i, dx.get(i) - 0.5f * dy.get(i) * yi * yi * yi);
        }
    }
}
