package dev.seedling.tensor;

/**
 * Token embedding as one autograd primitive ({@link Embedding}): table (V, C), ids {@code ids[idsOff..idsOff+n)}
 * → out (n, C). The backward scatter-adds into the table's gradient. The ids array is read again by the backward:
 * do not change it in between.
 */
public record EmbeddingOp(Var table, int[] ids, int idsOff, int n, Var out) implements Op {

    public static Var apply(Tape tape, Var table, int[] ids, int idsOff, int n) {
        Tensor tv = table.value();
        if (tv.rank() != 2) throw new IllegalArgumentException("embedding: table " + tv + " must be (vocab, channels)");
        if (idsOff < 0 || n < 0 || idsOff + n > ids.length)
            throw new IllegalArgumentException("embedding: " + n + " ids from " + idsOff + " do not fit " + ids.length);
        int vocab = tv.dim(0), cols = tv.dim(1);
        Tensor ov = tape.take(n, cols);
        Embedding.forward(ov.data(), ov.offset(), tv.data(), tv.offset(), ids, idsOff, n, vocab, cols);
        Var out = tape.result(ov, table);
        if (out.requiresGrad()) tape.record(new EmbeddingOp(table, ids, idsOff, n, out));
        return out;
    }

    @Override
    public void backward(Tape tape) {
        if (!table.requiresGrad()) return;
        Tensor dy = tape.grad(out), dt = tape.grad(table), tv = table.value();
        Embedding.backward(dt.data(), dt.offset(), dy.data(), dy.offset(), ids, idsOff, n, tv.dim(0), tv.dim(1));
    }
}
