package dev.seedling.tensor;

/** {@code out = a + b} element-wise (residual connections); a, b, out: the same number of elements, out has a's shape. */
public record AddOp(Var a, Var b, Var out) implements Op {

    public static Var apply(Tape tape, Var a, Var b) {
        Tensor av = a.value(), bv = b.value();
        if (av.size() != bv.size()) throw new IllegalArgumentException("add: " + av + " and " + bv + " differ in size");
        Tensor ov = tape.take(av.shape());
        Elementwise.add(ov.data(), ov.offset(), av.data(), av.offset(), bv.data(), bv.offset(), av.size());
        Var out = tape.result(ov, a, b);
        if (out.requiresGrad()) tape.record(new AddOp(a, b, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(out);
        if (a.requiresGrad()) {
            Tensor da = tape.grad(a);
            Elementwise.addTo(da.data(), da.offset(), dy.data(), dy.offset(), dy.size());
        }
        if (b.requiresGrad()) {
            Tensor db = tape.grad(b);
            Elementwise.addTo(db.data(), db.offset(), dy.data(), dy.offset(), dy.size());
        }
    }
}
