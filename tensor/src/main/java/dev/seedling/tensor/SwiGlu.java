package dev.seedling.tensor;

import dev.seedling.tensor.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused SwiGLU: {@code out = silu(gate) · up} where each row of {@code gateUp} holds {@code [gate | up]} (the
 * model fuses gate_proj and up_proj into one matmul). Legend: R rows (tokens), F ffn size.
 * gateUp, dGateUp: (R, 2F); out, dout: (R, F). {@code silu(g) = g · sigmoid(g)}.
 * The backward recomputes the sigmoid instead of saving it.
 */
public final class SwiGlu {
    private SwiGlu() {}

    private static final VectorSpecies<Float> S = Simd.F;
    static final int PARALLEL_MIN = 1 << 15;

    /** Forward: out (R, F) from gateUp (R, 2F). */
    public static void forward(float[] out, int outOff, float[] gateUp, int guOff, int rows, int ffn) {
        if (Simd.ENABLED) forwardSimd(out, outOff, gateUp, guOff, rows, ffn);
        else forwardScalar(out, outOff, gateUp, guOff, rows, ffn);
    }

    /** Backward: ADDS into dGateUp (R, 2F) given dout (R, F) and the forward's gateUp. */
    public static void backward(float[] dGateUp, int dguOff, float[] dout, int doutOff, float[] gateUp, int guOff,
                                int rows, int ffn) {
        if (Simd.ENABLED) backwardSimd(dGateUp, dguOff, dout, doutOff, gateUp, guOff, rows, ffn);
        else backwardScalar(dGateUp, dguOff, dout, doutOff, gateUp, guOff, rows, ffn);
    }

    static void forwardSimd(float[] out, int outOff, float[] gateUp, int guOff, int rows, int ffn) {
        if ((long) rows * ffn < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowForwardSimd(out, outOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowForwardSimd(out, outOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
        });
    }

    static void forwardScalar(float[] out, int outOff, float[] gateUp, int guOff, int rows, int ffn) {
        if ((long) rows * ffn < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++) rowForwardScalar(out, outOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++) rowForwardScalar(out, outOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
        });
    }

    static void backwardSimd(float[] dGateUp, int dguOff, float[] dout, int doutOff, float[] gateUp, int guOff,
                             int rows, int ffn) {
        if ((long) rows * ffn < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++)
                rowBackwardSimd(dGateUp, dguOff + 2 * r * ffn, dout, doutOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++)
                rowBackwardSimd(dGateUp, dguOff + 2 * r * ffn, dout, doutOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
        });
    }

    static void backwardScalar(float[] dGateUp, int dguOff, float[] dout, int doutOff, float[] gateUp, int guOff,
                               int rows, int ffn) {
        if ((long) rows * ffn < PARALLEL_MIN) {
            for (int r = 0; r < rows; r++)
                rowBackwardScalar(dGateUp, dguOff + 2 * r * ffn, dout, doutOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
            return;
        }
        Parallel.forRange(rows, (p, lo, hi) -> {
            for (int r = lo; r < hi; r++)
                rowBackwardScalar(dGateUp, dguOff + 2 * r * ffn, dout, doutOff + r * ffn, gateUp, guOff + 2 * r * ffn, ffn);
        });
    }

    // ---- per-row micro-kernels ---------------------------------------------------------------------------------------

    private static void rowForwardSimd(float[] out, int o, float[] gu, int g, int f) {
        int L = S.length(), i = 0;
        for (; i <= f - L; i += L) {
            FloatVector gate = FloatVector.fromArray(S, gu, g + i), up = FloatVector.fromArray(S, gu, g + f + i);
            FloatVector sig = VecMath.exp(gate.neg()).add(1f);
            gate.div(sig).mul(up).intoArray(out, o + i);
        }
        for (; i < f; i++) {
            float gate = gu[g + i];
            out[o + i] = gate / (1f + VecMath.exp(-gate)) * gu[g + f + i];
        }
    }

    private static void rowForwardScalar(float[] out, int o, float[] gu, int g, int f) {
        for (int i = 0; i < f; i++) {
            float gate = gu[g + i];
            out[o + i] = gate / (1f + (float) Math.exp(-gate)) * gu[g + f + i];
        }
    }

    // s = sigmoid(g): dg += dy·up·s·(1 + g·(1 − s)), dup += dy·g·s
    private static void rowBackwardSimd(float[] dgu, int d, float[] dy, int o, float[] gu, int g, int f) {
        int L = S.length(), i = 0;
        for (; i <= f - L; i += L) {
            FloatVector gate = FloatVector.fromArray(S, gu, g + i), up = FloatVector.fromArray(S, gu, g + f + i);
            FloatVector y = FloatVector.fromArray(S, dy, o + i);
            FloatVector s = VecMath.exp(gate.neg()).add(1f);
            s = FloatVector.broadcast(S, 1f).div(s);
            FloatVector silu = gate.mul(s);
            FloatVector dSilu = s.fma(gate.neg(), gate).mul(s).add(s);          // s + g·s·(1−s)
            y.mul(up).fma(dSilu, FloatVector.fromArray(S, dgu, d + i)).intoArray(dgu, d + i);
            y.fma(silu, FloatVector.fromArray(S, dgu, d + f + i)).intoArray(dgu, d + f + i);
        }
        for (; i < f; i++) {
            float gate = gu[g + i], up = gu[g + f + i], y = dy[o + i];
            float s = 1f / (1f + VecMath.exp(-gate));
            dgu[d + i] += y * up * (s + gate * s * (1f - s));
            dgu[d + f + i] += y * gate * s;
        }
    }

    private static void rowBackwardScalar(float[] dgu, int d, float[] dy, int o, float[] gu, int g, int f) {
        for (int i = 0; i < f; i++) {
            float gate = gu[g + i], up = gu[g + f + i], y = dy[o + i];
            float s = 1f / (1f + (float) Math.exp(-gate));
            dgu[d + i] += y * up * (s + gate * s * (1f - s));
            dgu[d + f + i] += y * gate * s;
        }
    }
}
