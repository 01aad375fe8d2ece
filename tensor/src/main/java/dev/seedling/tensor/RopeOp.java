package dev.seedling.tensor;

/**
 * Rotary position embeddings on the fused projection: {@code y = rope(qkv)}, q and k heads rotated by the angle of
 * their position {@code t = row mod T}, v heads passed through ({@link Rope}).
 * Legend: B batch, T sequence, H query heads, KV key/value heads, D head dim.
 * qkv, y: (B·T, (H + 2·KV)·D). Backward: {@code dqkv += Rᵀ · dy} (rotation by −angle; v part {@code += dy}).
 */
public record RopeOp(Var qkv, Var y, RopeTable table, int batch, int seq, int numHeads, int numKvHeads, int headDim)
        implements Op {

    public static Var apply(Tape tape, Var qkv, RopeTable table, int batch, int seq, int numHeads, int numKvHeads,
                            int headDim) {
        Tensor x = qkv.value();
        checkShape("rope", x, batch, seq, numHeads, numKvHeads, headDim);
        Tensor yv = tape.take(x.shape());
        Rope.forward(yv.data(), yv.offset(), x.data(), x.offset(), table, batch * seq, seq, numHeads, numKvHeads,
                headDim);
        Var y = tape.result(yv, qkv);
        if (y.requiresGrad()) tape.record(new RopeOp(qkv, y, table, batch, seq, numHeads, numKvHeads, headDim));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        if (!qkv.requiresGrad()) return;
        Tensor dy = tape.grad(y), dx = tape.grad(qkv);
        Rope.backward(dx.data(), dx.offset(), dy.data(), dy.offset(), table, batch * seq, seq, numHeads, numKvHeads,
                headDim);
    }

    /** Checks that {@code x} holds B·T rows of (H + 2·KV)·D floats (any leading dims). */
    static void checkShape(String what, Tensor x, int batch, int seq, int numHeads, int numKvHeads, int headDim) {
        if (batch <= 0 || seq <= 0 || numHeads <= 0 || numKvHeads <= 0 || headDim <= 0 || numHeads % numKvHeads != 0)
            throw new IllegalArgumentException(what + ": bad sizes batch=" + batch + " seq=" + seq + " heads="
                    + numHeads + " kvHeads=" + numKvHeads + " headDim=" + headDim);
        long width = (long) (numHeads + 2L * numKvHeads) * headDim;
        if (x.cols() != width || (long) x.rows() != (long) batch * seq)
            throw new IllegalArgumentException(what + ": qkv " + x + " is not (" + batch + "·" + seq + ", " + width
                    + ") for heads=" + numHeads + " kvHeads=" + numKvHeads + " headDim=" + headDim);
    }
}
