package dev.seedling.tensor.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decode-attention kernel: vector path against its scalar twin and against a double-precision softmax, at
 * awkward head dims and key counts; a row's result does not depend on the other rows of the batch.
 */
class DecodeAttentionTest {
    @Test
    void vectorMatchesScalarAndDoubleReferenceAtAwkwardSizes() {
        SplittableRandom r = Seeds.rng("decode-attention");
        for (int headDim : new int[] {1, 3, 8, 13, 17, 64, 65}) {
            for (int[] heads : new int[][] {{1, 1}, {4, 2}, {6, 3}}) {
                int H = heads[0], KV = heads[1], rows = 3, maxSeq = 70, kvStride = KV * headDim + 5;
                int W = (H + 2 * KV) * headDim;
                float[] q = new float[rows * W], k = new float[rows * maxSeq * kvStride], v = new float[k.length];
                for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
                for (int i = 0; i < k.length; i++) { k[i] = (float) r.nextGaussian(); v[i] = (float) r.nextGaussian(); }
                int[] keys = {1, 31, 70}, base = {0, maxSeq * kvStride, 2 * maxSeq * kvStride};
                float[] simd = new float[rows * H * headDim], scalar = new float[simd.length];
                new DecodeAttention().forward(simd, 0, q, 0, W, k, v, base, kvStride, keys, rows, H, KV, headDim, true);
                new DecodeAttention().forward(scalar, 0, q, 0, W, k, v, base, kvStride, keys, rows, H, KV, headDim, false);
                double[] ref = reference(q, W, k, v, base, kvStride, keys, rows, H, KV, headDim);
                String what = "D=" + headDim + " H=" + H + " KV=" + KV;
                Tolerance.assertClose(what + " simd", ref, simd, 1e-5, 1e-4);
                Tolerance.assertClose(what + " scalar", ref, scalar, 1e-5, 1e-4);
                // row 2 alone gives the same bits as inside the batch
                float[] alone = new float[H * headDim];
                new DecodeAttention().forward(alone, 0, q, 2 * W, W, k, v, new int[] {base[2]}, kvStride, new int[] {keys[2]}, 1, H, KV, headDim, true);
                assertThat(alone).containsExactly(java.util.Arrays.copyOfRange(simd, 2 * H * headDim, 3 * H * headDim));
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        float[] q = new float[8], kv = new float[8], out = new float[8];
        assertThatThrownBy(() -> new DecodeAttention().forward(out, 0, q, 0, 8, kv, kv, new int[] {0}, 4, new int[] {3}, 1, 2, 1, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit the cache");
        assertThatThrownBy(() -> new DecodeAttention().forward(out, 0, q, 0, 8, kv, kv, new int[] {0}, 4, new int[] {0}, 1, 2, 1, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no keys");
    }

    private static double[] reference(float[] q, int W, float[] k, float[] v, int[] base, int kvStride, int[] keys, int rows,
                                      int H, int KV, int D) {
        double[] out = new double[rows * H * D];
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < H; h++) {
                int g = h / (H / KV), n = keys[r];
                double[] s = new double[n];
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int j = 0; j < n; j++) {
                    for (int d = 0; d < D; d++) s[j] += (double) q[r * W + h * D + d] * k[base[r] + j * kvStride + g * D + d];
                    s[j] /= Math.sqrt(D);
                    max = Math.max(max, s[j]);
                }
                for (int j = 0; j < n; j++) z += s[j] = Math.exp(s[j] - max);
                for (int d = 0; d < D; d++) {
                    double acc = 0;
                    for (int j = 0; j < n; j++) acc += s[j] * v[base[r] + j * kvStride + g * D + d];
                    out[(r * H + h) * D + d] = acc / z;
                }
            }
        }
        return out;
    }
}
