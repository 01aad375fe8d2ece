package dev.seedling.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One AdamW step over a flat range of parameters, exactly as {@code torch.optim.AdamW} (amsgrad off):
 * <pre>
 *   p -= lr·wd·p                                   (decoupled weight decay)
 *   m  = β1·m + (1−β1)·g
 *   v  = β2·v + (1−β2)·g²
 *   p -= lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps)
 * </pre>
 * p, g, m, v: (n) at the same offset. {@code step} is t, counted from 1. Parallel over ranges for large n.
 */
public final class AdamW {
    private AdamW() {}

    private static final VectorSpecies<Float> S = Simd.F;
    static final int PARALLEL_MIN = 1 << 16;

    public static void step(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float beta1,
                            float beta2, float eps, float weightDecay, long step) {
        if (step < 1) throw new IllegalArgumentException("AdamW step counts from 1, got " + step);
        if (Simd.ENABLED) stepSimd(p, g, m, v, off, n, lr, beta1, beta2, eps, weightDecay, step);
        else stepScalar(p, g, m, v, off, n, lr, beta1, beta2, eps, weightDecay, step);
    }

    static void stepSimd(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float beta1,
                         float beta2, float eps, float weightDecay, long step) {
        float decay = (float) (1.0 - (double) lr * weightDecay);
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, step)));
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(1.0 - Math.pow(beta2, step)));
        if (n < PARALLEL_MIN) rangeSimd(p, g, m, v, off, off + n, beta1, beta2, eps, decay, stepSize, invBc2Sqrt);
        else Parallel.forRange(n, (w, lo, hi) -> rangeSimd(p, g, m, v, off + lo, off + hi, beta1, beta2, eps, decay, stepSize, invBc2Sqrt));
    }

    static void stepScalar(float[] p, float[] g, float[] m, float[] v, int off, int n, float lr, float beta1,
                           float beta2, float eps, float weightDecay, long step) {
        float decay = (float) (1.0 - (double) lr * weightDecay);
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, step)));
        float invBc2Sqrt = (float) (1.0 / Math.sqrt(1.0 - Math.pow(beta2, step)));
        if (n < PARALLEL_MIN) rangeScalar(p, g, m, v, off, off + n, beta1, beta2, eps, decay, stepSize, invBc2Sqrt);
        else Parallel.forRange(n, (w, lo, hi) -> rangeScalar(p, g, m, v, off + lo, off + hi, beta1, beta2, eps, decay, stepSize, invBc2Sqrt));
    }

    private static void rangeSimd(float[] p, float[] g, float[] m, float[] v, int lo, int hi, float b1, float b2,
                                  float eps, float decay, float stepSize, float invBc2Sqrt) {
        int L = S.length(), i = lo;
        float c1 = 1f - b1, c2 = 1f - b2;
        for (; i <= hi - L; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector mv = FloatVector.fromArray(S, m, i).mul(b1).add(gv.mul(c1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(gv.mul(gv).mul(c2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector denom = vv.sqrt().mul(invBc2Sqrt).add(eps);
            FloatVector pv = FloatVector.fromArray(S, p, i).mul(decay);
            pv.sub(mv.div(denom).mul(stepSize)).intoArray(p, i);
        }
        if (i < hi) rangeScalar(p, g, m, v, i, hi, b1, b2, eps, decay, stepSize, invBc2Sqrt);
    }

    private static void rangeScalar(float[] p, float[] g, float[] m, float[] v, int lo, int hi, float b1, float b2,
                                    float eps, float decay, float stepSize, float invBc2Sqrt) {
        float c1 = 1f - b1, c2 = 1f - b2;
        for (int i = lo; i < hi; i++) {
            float gi = g[i];
            float mi = m[i] * b1 + gi * c1;
            float vi = v[i] * b2 + gi * gi * c2;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) * invBc2Sqrt + eps;
            p[i] = p[i] * decay - mi / denom * stepSize;
        }
    }
}
