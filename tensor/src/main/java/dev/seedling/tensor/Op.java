package dev.seedling.tensor;

/**
 * A primitive operation recorded on the {@link Tape}: its forward ran when it was applied (each op record has a
 * static {@code apply(Tape, ...)} that computes the output and records the op), and {@link #backward} adds the
 * gradients of its inputs given the gradient of its output. The set of ops is closed; each op passes a
 * finite-difference gradient check, and each fused op is also checked against the same layer composed of the
 * elementary ops or a double-precision reference.
 *
 * <p>Conventions for every backward rule: gradients are ADDED into the inputs' gradients (a value used twice
 * receives the sum), and only for inputs that {@link Var#requiresGrad()}.
 */
public sealed interface Op
        // fused layers (each also checked against the composite of elementary ops, or a double reference)
        permits LinearOp, EmbeddingOp, RmsNormOp, RopeOp, AttentionOp, SwiGluOp, CrossEntropyOp,
        // elementary ops
        AddOp, MulOp, ScaleOp, SigmoidOp, ExpOp, LogOp, RsqrtOp, RowSumOp, SumOp, MulRowsOp, MulColsOp,
        SliceColsOp, GatherOp {
    /** Adds this op's contribution to its inputs' gradients; reads the output gradient via {@link Tape#grad}. */
    void backward(Tape tape);
}
