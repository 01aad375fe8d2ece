package dev.seedling.tensor;

/**
 * Fused causal grouped-query self-attention on the fused projection ({@link Attention}), scale {@code 1/√D}.
 * Legend: B batch, T sequence, H query heads, KV key/value heads, D head dim.
 * qkv: (B·T, (H + 2·KV)·D), rows {@code [q heads | k heads | v heads]}; y: (B·T, H·D);
 * lse: (B, H, T), kept from the forward (a workspace buffer) for the backward, which recomputes the
 * probabilities and adds into {@code dqkv}.
 */
public record AttentionOp(Var qkv, Var y, Tensor lse, int batch, int seq, int numHeads, int numKvHeads, int headDim)
        implements Op {

    public static Var apply(Tape tape, Var qkv, int batch, int seq, int numHeads, int numKvHeads, int headDim) {
        Tensor x = qkv.value();
        RopeOp.checkShape("attention", x, batch, seq, numHeads, numKvHeads, headDim);
        Tensor yv = tape.take(batch * seq, numHeads * headDim);
        Tensor lse = tape.recording() && qkv.requiresGrad() ? tape.take(batch, numHeads, seq) : null;
        Attention.forward(yv.data(), yv.offset(), lse == null ? null : lse.data(), lse == null ? 0 : lse.offset(),
                x.data(), x.offset(), batch, seq, numHeads, numKvHeads, headDim);
        Var y = tape.result(yv, qkv);
        if (y.requiresGrad()) tape.record(new AttentionOp(qkv, y, lse, batch, seq, numHeads, numKvHeads, headDim));
        return y;
    }

    @Override
    public void backward(Tape tape) {
        if (!qkv.requiresGrad()) return;
        Tensor dy = tape.grad(y), dx = tape.grad(qkv), x = qkv.value(), yv = y.value();
        Attention.backward(dx.data(), dx.offset(), dy.data(), dy.offset(), x.data(), x.offset(), yv.data(),
                yv.offset(), lse.data(), lse.offset(), batch, seq, numHeads, numKvHeads, headDim);
    }
}
