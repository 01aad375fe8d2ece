package dev.seedling.tensor;

/**
 * Fused SwiGLU as one autograd primitive ({@link SwiGlu}): gateUp (R, 2F) holding {@code [gate | up]} per row
 * (any leading dims, flattened) → out (R, F) = silu(gate) · up.
 */
public record SwiGluOp(Var gateUp, Var out) implements Op {

    public static Var apply(Tape tape, Var gateUp) {
        Tensor gv = gateUp.value();
        int cols = gv.cols(), rows = gv.rows();
        if (cols % 2 != 0) throw new IllegalArgumentException("swiglu: gate|up input " + gv + " needs an even last dimension");
        int ffn = cols / 2;
        int[] shape = gv.shape();
        shape[shape.length - 1] = ffn;
        Tensor ov = tape.take(shape);
        SwiGlu.forward(ov.data(), ov.offset(), gv.data(), gv.offset(), rows, ffn);
        Var out = tape.result(ov, gateUp);
        if (out.requiresGrad()) tape.record(new SwiGluOp(gateUp, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!gateUp.requiresGrad()) return;
        Tensor dy = tape.grad(out), gv = gateUp.value(), dg = tape.grad(gateUp);
        SwiGlu.backward(dg.data(), dg.offset(), dy.data(), dy.offset(), gv.data(), gv.offset(), gv.rows(), gv.cols() / 2);
    }
}
