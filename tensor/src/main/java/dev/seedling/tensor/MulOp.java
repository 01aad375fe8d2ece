package dev.seedling.tensor;

/** {@code out = a · b} element-wise; a, b, out: the same number of elements, out has a's shape. */
public record MulOp(Var a, Var b, Var out) implements Op {

    public static Var apply(Tape tape, Var a, Var b) {
        Tensor av = a.value(), bv = b.value();
        if (av.size() != bv.size()) throw new IllegalArgumentException("mul: " + av + " and " + bv + " differ in size");
        Tensor ov = tape.take(av.shape());
        Elementwise.mul(ov.data(), ov.offset(), av.data(), av.offset(), bv.data(), bv.offset(), av.size());
        Var out = tape.result(ov, a, b);
        if (out.requiresGrad()) tape.record(new MulOp(a, b, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(out), av = a.value(), bv = b.value();
        if (a.requiresGrad()) {
            Tensor da = tape.grad(a);
            Elementwise.addProductTo(da.data(), da.offset(), dy.data(), dy.offset(), bv.data(), bv.offset(), dy.size());
        }
        if (b.requiresGrad()) {
            Tensor db = tape.grad(b);
            Elementwise.addProductTo(db.data(), db.offset(), dy.data(), dy.offset(), av.data(), av.offset(), dy.size());
        }
    }
}
