package dev.seedling.tensor;

/**
 * A value on the autograd {@link Tape} and, when it takes part in differentiation, its gradient (same shape).
 * Parameters carry a persistent gradient tensor (a view of the model's flat gradient array) that backward adds
 * into; intermediate values get a zeroed gradient from the tape's workspace the first time one is needed.
 */
public final class Var {
    private final Tensor value;
    private final boolean requiresGrad;
    Tensor grad;

    Var(Tensor value, Tensor grad, boolean requiresGrad) {
        this.value = value;
        this.grad = grad;
        this.requiresGrad = requiresGrad;
    }

    public Tensor value() {
        return value;
    }

    /** The gradient if one was created (parameters always have one), else null. */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public int[] shape() {
        return value.shape();
    }

    @Override
    public String toString() {
        return "Var" + value + (requiresGrad ? " (grad)" : "");
    }
}
