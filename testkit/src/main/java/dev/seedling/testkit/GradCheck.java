package dev.seedling.testkit;

/**
 * Finite-difference gradient check. The function under test maps its inputs to an output; the checked scalar is
 * {@code L = sum_i seed[i] * output[i]} for a fixed random {@code seed}, so one backward pass with upstream gradient
 * {@code seed} must give {@code dL/dinput}. Central differences are taken in double precision around the float
 * inputs: {@code (L(x+h) - L(x-h)) / 2h}.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Forward function: reads {@code inputs} (which the check perturbs in place) and returns the output. */
    @FunctionalInterface
    public interface Forward {
        float[] apply(float[][] inputs);
    }

    /**
     * Checks {@code analytic[k]} (the gradient of L w.r.t. {@code inputs[k]}) for every input with a non-null
     * analytic gradient, at up to {@code maxProbes} evenly spread elements per input.
     */
    public static void check(String name, Forward f, float[][] inputs, float[] seed, float[][] analytic,
                             double h, double atol, double rtol, int maxProbes) {
        for (int k = 0; k < inputs.length; k++) {
            if (analytic[k] == null) continue;
            float[] x = inputs[k];
            int stride = Math.max(1, x.length / maxProbes);
            for (int i = 0; i < x.length; i += stride) {
                float orig = x[i];
                x[i] = (float) (orig + h);
                double hi = (double) x[i];
                double lp = dot(seed, f.apply(inputs));
                x[i] = (float) (orig - h);
                double lo = (double) x[i];
                double lm = dot(seed, f.apply(inputs));
                x[i] = orig;
                double numeric = (lp - lm) / (hi - lo);
                double a = analytic[k][i];
                double err = Math.abs(a - numeric), allowed = atol + rtol * Math.max(Math.abs(numeric), Math.abs(a));
                if (!(err <= allowed))
                    throw new AssertionError(String.format(
                            "%s: d/d input[%d][%d]: analytic %.7g vs numeric %.7g (|diff| %.3g > %.3g); seed %d",
                            name, k, i, a, numeric, err, allowed, Seeds.base()));
            }
        }
    }

    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("seed length " + a.length + " != output length " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
