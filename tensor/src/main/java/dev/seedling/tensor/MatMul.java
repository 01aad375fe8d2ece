package dev.seedling.tensor;

import dev.seedling.tensor.internal.Gemm;

/**
 * Matrix multiplication kernels: the three products a Linear layer needs, on row-major {@code float[]} matrices
 * with explicit offsets and leading dimensions (row strides), outputs first.
 *
 * <p>Legend: C [m×n] output; k the reduction length; {@code ld*} the row stride of each operand (≥ its row length).
 * <ul>
 *   <li>{@link #nt}: C = A[m×k] · B[n×k]ᵀ — forward {@code y = x · Wᵀ}, W stored [out, in];</li>
 *   <li>{@link #nn}: C = A[m×k] · B[k×n] — backward {@code dX = dY · W};</li>
 *   <li>{@link #tn}: C = A[k×m]ᵀ · B[k×n] — backward {@code dW = dYᵀ · X} (k = tokens).</li>
 * </ul>
 * {@code accumulate = false} overwrites C, {@code true} adds into it (gradient accumulation). C must not overlap A
 * or B.
 *
 * <p>The public methods take the SIMD path ({@link Simd#ENABLED}; cache-blocked, packed, register-tiled 8 rows × 2 vectors (8×32 on AVX-512),
 * parallel over {@link Parallel}) and the {@code *Scalar} twins are the plain triple loops, kept as the algorithmic
 * reference and fallback ({@code -Dseedling.scalar=true}). Few rows (m ≤ 8 for nt, m ≤ 2 for nn/tn; m = 1 is
 * token-by-token generation) take a matrix-vector path without packing.
 *
 * <p>Threads and memory: scratch (packed panels) is per thread, allocated on first use and grown to the largest
 * shape seen (on the calling thread up to {@code 4·k·min(n,512)} bytes of packed B, at most 16 MiB; on each pool
 * thread up to 256 KiB of packed A), so steady-state calls allocate nothing. Call it from one thread at a time
 * for best speed; it is nevertheless safe to call from several threads at once (each has its own scratch and the
 * calls take turns on the pool) and from inside {@link Parallel} tasks (the call then runs serially on that
 * thread). Results are deterministic and even independent of the thread count: each element of C is reduced by
 * one thread in a fixed order, with tiles aligned to the matrix rather than to a thread's share.
 */
public final class MatMul {
    private MatMul() {}

    /** C[m×n] (+)= A[m×k] · B[n×k]ᵀ (forward of a Linear layer: x · Wᵀ with W stored [out, in]). */
    public static void nt(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          int m, int n, int k, boolean accumulate) {
        check(c, cOff, ldc, m, n, "C");
        check(a, aOff, lda, m, k, "A");
        check(b, bOff, ldb, n, k, "B");
        if (trivial(c, cOff, ldc, m, n, k, accumulate)) return;
        if (Simd.ENABLED) Gemm.gemm(Gemm.NT, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, accumulate);
        else ntScalar(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, accumulate);
    }

    /** C[m×n] (+)= A[m×k] · B[k×n] (backward dX = dY · W). */
    public static void nn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          int m, int n, int k, boolean accumulate) {
        check(c, cOff, ldc, m, n, "C");
        check(a, aOff, lda, m, k, "A");
        check(b, bOff, ldb, k, n, "B");
        if (trivial(c, cOff, ldc, m, n, k, accumulate)) return;
        if (Simd.ENABLED) Gemm.gemm(Gemm.NN, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, accumulate);
        else nnScalar(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, accumulate);
    }

    /** C[m×n] (+)= A[k×m]ᵀ · B[k×n] (backward dW = dYᵀ · X; accumulate=true for gradient accumulation). */
    public static void tn(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          int m, int n, int k, boolean accumulate) {
        check(c, cOff, ldc, m, n, "C");
        check(a, aOff, lda, k, m, "A");
        check(b, bOff, ldb, k, n, "B");
        if (trivial(c, cOff, ldc, m, n, k, accumulate)) return;
        if (Simd.ENABLED) Gemm.gemm(Gemm.TN, c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, accumulate);
        else tnScalar(c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, n, k, accumulate);
    }

    /** Scalar twin of {@link #nt}: the plain triple loop (i, j, p). */
    public static void ntScalar(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff,
                                int ldb, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float s = 0f;
                for (int p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
                c[ci + j] = accumulate ? c[ci + j] + s : s;
            }
        }
    }

    /** Scalar twin of {@link #nn}: the triple loop in (i, p, j) order so the inner loop runs along rows. */
    public static void nnScalar(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff,
                                int ldb, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float x = a[ai + p];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
            }
        }
    }

    /** Scalar twin of {@link #tn}: the triple loop in (i, p, j) order, A read down its columns. */
    public static void tnScalar(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, float[] b, int bOff,
                                int ldb, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float x = a[aOff + p * lda + i];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
            }
        }
    }

    /** Handles empty shapes; returns true when there is nothing more to do. */
    private static boolean trivial(float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        if (m == 0 || n == 0) return true;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return true;
        }
        return false;
    }

    /** Checks that a [rows×cols] matrix at {@code off} with row stride {@code ld} lies inside {@code x}. */
    private static void check(float[] x, int off, int ld, int rows, int cols, String name) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative size for " + name + ": " + rows + "×" + cols);
        if (rows == 0 || cols == 0) return;
        if (off < 0 || (rows > 1 && ld < cols) || (long) off + (long) (rows - 1) * ld + cols > x.length) {
            throw new IndexOutOfBoundsException(name + " [" + rows + "×" + cols + "] at offset " + off + " with row stride "
                    + ld + " does not fit in an array of " + x.length);
        }
    }
}
