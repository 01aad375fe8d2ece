package dev.seedling.tensor;

/** Elementary op: sum of all elements → a scalar (shape [1]); {@code dx += dy[0]}. */
public record SumOp(Var x, Var out) implements Op {

    public static Var apply(Tape tape, Var x) {
        Tensor xv = x.value(), ov = tape.take(1);
        double s = 0;
        for (int i = 0; i < xv.size(); i++) s += xv.get(i);
        ov.set(0, (float) s);
        Var out = tape.result(ov, x);
        if (out.requiresGrad()) tape.record(new SumOp(x, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!x.requiresGrad()) return;
        float g = tape.grad(out).get(0);
        Tensor dx = tape.grad(x);
        for (int i = 0; i < dx.size(); i++) dx.set(i, dx.get(i) + g);
    }
}
