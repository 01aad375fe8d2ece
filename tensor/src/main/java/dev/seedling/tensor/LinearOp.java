package dev.seedling.tensor;

/**
 * {@code y = x · wᵀ}: a bias-free linear layer with the weight stored {@code [out, in]} as in PyTorch/HF.
 * x: (M, K) (any leading dims, flattened), w: (N, K), y: (M, N).
 * Backward: {@code dx += dy · w} ({@link MatMul#nn}), {@code dw += dyᵀ · x} ({@link MatMul#tn}).
 */
public record LinearOp(Var x, Var w, Var y) implements Op {

    public static Var apply(Tape tape, Var x, Var w) {
        Tensor xv = x.value(), wv = w.value();
        int k = xv.cols(), m = xv.rows(), n = wv.dim(0);
        if (wv.rank() != 2 || wv.dim(1) != k)
            throw new IllegalArgumentException("linear: x " + xv + " does not match weight " + wv);
        int[] shape = xv.shape();
        shape[shape.length - 1] = n;
        Tensor yv = tape.take(shape);
        MatMul.nt(yv.data(), yv.offset(), n, xv.data(), xv.offset(), k, wv.data(), wv.offset(), k, m, n, k, false);
        Var y = tape.result(yv, x, w);
        if (y.requiresGrad()) tape.record(new LinearOp(x, w, y));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        Tensor dy = tape.grad(y), xv = x.value(), wv = w.value();
        int k = xv.cols(), m = xv.rows(), n = wv.dim(0);
        if (x.requiresGrad()) {
            Tensor fresh = tape.freshGrad(x); // usually the first writer: overwrite instead of zero-fill + add
            Tensor dx = fresh != null ? fresh : tape.grad(x);
            MatMul.nn(dx.data(), dx.offset(), k, dy.data(), dy.offset(), n, wv.data(), wv.offset(), k, m, k, n, fresh == null);
        }
        if (w.requiresGrad()) {
            Tensor dw = tape.grad(w);
            MatMul.tn(dw.data(), dw.offset(), k, dy.data(), dy.offset(), n, xv.data(), xv.offset(), k, n, k, m, true);
        }
    }
}
