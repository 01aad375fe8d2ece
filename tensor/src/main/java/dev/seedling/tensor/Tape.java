package dev.seedling.tensor;

import java.util.ArrayList;

/**
 * The autograd tape: ops applied in order record themselves here; {@link #backward} runs their backward rules in
 * reverse. Buffers for outputs and gradients come from one {@link Workspace}, rewound by {@link #reset()} at the
 * start of each step, so a steady-state step allocates no tensor storage.
 *
 * <p>With {@code recording == false} (inference) ops compute their outputs but record nothing and no gradients
 * are kept.
 *
 * <p>Not thread-safe: one tape per training or inference loop.
 */
public final class Tape {
    private final Workspace workspace = new Workspace();
    private final ArrayList<Op> ops = new ArrayList<>();
    private boolean recording;

    public Tape(boolean recording) {
        this.recording = recording;
    }

    /** A tape that records (for training). */
    public static Tape training() {
        return new Tape(true);
    }

    /** A tape that records nothing (for inference). */
    public static Tape inference() {
        return new Tape(false);
    }

    public boolean recording() {
        return recording;
    }

    public void setRecording(boolean recording) {
        this.recording = recording;
    }

    /** A trainable leaf: {@code grad} (same shape) receives its gradient and is never cleared by the tape. */
    public Var param(Tensor value, Tensor grad) {
        if (grad != null && grad.size() != value.size()) throw new IllegalArgumentException("grad size mismatch");
        return new Var(value, grad, recording && grad != null);
    }

    /** A leaf that needs no gradient (inputs, targets, frozen weights). */
    public Var constant(Tensor value) {
        return new Var(value, null, false);
    }

    /** A leaf whose gradient the tape allocates when needed (used by gradient checks). */
    public Var input(Tensor value) {
        return new Var(value, null, recording);
    }

    /** Output buffer of an op: contents undefined. */
    public Tensor take(int... shape) {
        return workspace.take(shape);
    }

    /** Zero-filled output buffer of an op. */
    public Tensor takeZeroed(int... shape) {
        return workspace.takeZeroed(shape);
    }

    /**
     * Wraps an op's output. It requires a gradient when the tape records and any input does; the op records itself
     * with {@link #record} only in that case.
     */
    public Var result(Tensor value, Var... inputs) {
        boolean rg = false;
        if (recording) for (Var v : inputs) rg |= v.requiresGrad();
        return new Var(value, null, rg);
    }

    /** Appends an op (call only when its output {@link Var#requiresGrad()}). */
    public void record(Op op) {
        ops.add(op);
    }

    /** The gradient of {@code v}, created zero-filled on first use. */
    public Tensor grad(Var v) {
        if (v.grad == null) v.grad = workspace.takeZeroed(v.value().shape());
        return v.grad;
    }

    /**
     * For a backward rule that writes (not adds) a whole gradient: when {@code v} has no gradient yet, creates one
     * WITHOUT zero-filling it and returns it — the caller must overwrite every element; when {@code v} already has
     * a gradient (another consumer wrote first), returns null and the caller adds into {@link #grad(Var)}.
     * Saves a pass over the largest buffers (the logits' gradient, projection inputs).
     */
    public Tensor freshGrad(Var v) {
        if (v.grad != null) return null;
        v.grad = workspace.take(v.value().shape());
        return v.grad;
    }

    /** Runs every recorded op's backward rule in reverse order, seeding {@code d root = seed} (all elements). */
    public void backward(Var root, float seed) {
        if (!root.requiresGrad()) throw new IllegalStateException("backward from a value that needs no gradient");
        grad(root).fill(seed);
        for (int i = ops.size() - 1; i >= 0; i--) ops.get(i).backward(this);
    }

    /** Runs backward with the root's gradient already set by the caller (e.g. by a fused loss). */
    public void backward() {
        for (int i = ops.size() - 1; i >= 0; i--) ops.get(i).backward(this);
    }

    /** Forgets the recorded ops and rewinds the workspace: call at the start of every step. */
    public void reset() {
        ops.clear();
        workspace.rewind();
    }

    /** Number of ops recorded since the last reset. */
    public int size() {
        return ops.size();
    }

    /** Bytes of activation/gradient storage the tape holds. */
    public long workspaceBytes() {
        return workspace.bytes();
    }
}
