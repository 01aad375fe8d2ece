package dev.seedling.tensor.internal;

import dev.seedling.tensor.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD micro-kernels and packing routines behind {@link dev.seedling.tensor.MatMul}. Each method is small on
 * purpose: C2 keeps {@code FloatVector} values in registers only when the whole loop inlines into one compiled
 * method (DESIGN.md §3), so nothing here may grow large, and nothing here allocates.
 *
 * <p>Layouts. A packed B panel holds {@code NR} consecutive output columns for a range of the reduction index
 * {@code p}: element {@code (p, j)} at {@code b0 + p·NR + j}, zero-padded past the last real column. A packed A
 * panel holds {@code MR} consecutive output rows: element {@code (r, p)} at {@code a0 + p·MR + r}, zero-padded past
 * the last real row. The register tile is {@code MR × NR} = 8 rows × 2 vectors (16 accumulators).
 */
public final class GemmKernels {
    private GemmKernels() {}

    static final VectorSpecies<Float> F = Simd.F;
    /** Lanes per vector. */
    public static final int L = F.length();
    /** Columns of a register tile (two vectors). */
    public static final int NR = 2 * L;
    /** Rows of a register tile. */
    public static final int MR = 8;


    /**
     * C[8×NR] (+)= A[8×kc] · Bp[kc×NR] (packed panel at b0), A element (r, p) at {@code a0 + r·rowStride + p·pStride}:
     * rows of a row-major matrix ({@code rowStride = lda, pStride = 1}) or a packed A panel
     * ({@code rowStride = 1, pStride = MR}).
     */
    public static void tile(int kc, float[] a, int a0, int rowStride, int pStride, float[] b, int b0, float[] c, int c0,
                            int ldc, boolean acc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int rs = rowStride, r0 = a0, r1 = a0 + rs, r2 = a0 + 2 * rs, r3 = a0 + 3 * rs, r4 = a0 + 4 * rs, r5 = a0 + 5 * rs, r6 = a0 + 6 * rs, r7 = a0 + 7 * rs;
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            FloatVector x0 = FloatVector.fromArray(F, b, bi), x1 = FloatVector.fromArray(F, b, bi + L);
            int ap = p * pStride;
            FloatVector s;
            s = FloatVector.broadcast(F, a[r0 + ap]); c00 = s.fma(x0, c00); c01 = s.fma(x1, c01);
            s = FloatVector.broadcast(F, a[r1 + ap]); c10 = s.fma(x0, c10); c11 = s.fma(x1, c11);
            s = FloatVector.broadcast(F, a[r2 + ap]); c20 = s.fma(x0, c20); c21 = s.fma(x1, c21);
            s = FloatVector.broadcast(F, a[r3 + ap]); c30 = s.fma(x0, c30); c31 = s.fma(x1, c31);
            s = FloatVector.broadcast(F, a[r4 + ap]); c40 = s.fma(x0, c40); c41 = s.fma(x1, c41);
            s = FloatVector.broadcast(F, a[r5 + ap]); c50 = s.fma(x0, c50); c51 = s.fma(x1, c51);
            s = FloatVector.broadcast(F, a[r6 + ap]); c60 = s.fma(x0, c60); c61 = s.fma(x1, c61);
            s = FloatVector.broadcast(F, a[r7 + ap]); c70 = s.fma(x0, c70); c71 = s.fma(x1, c71);
        }
        // one branch around all the stores: a per-store branch makes C2 box some of the accumulators
        int o0 = c0, o1 = c0 + ldc, o2 = c0 + 2 * ldc, o3 = c0 + 3 * ldc, o4 = c0 + 4 * ldc, o5 = c0 + 5 * ldc, o6 = c0 + 6 * ldc, o7 = c0 + 7 * ldc;
        if (acc) {
            FloatVector.fromArray(F, c, o0).add(c00).intoArray(c, o0);
            FloatVector.fromArray(F, c, o0 + L).add(c01).intoArray(c, o0 + L);
            FloatVector.fromArray(F, c, o1).add(c10).intoArray(c, o1);
            FloatVector.fromArray(F, c, o1 + L).add(c11).intoArray(c, o1 + L);
            FloatVector.fromArray(F, c, o2).add(c20).intoArray(c, o2);
            FloatVector.fromArray(F, c, o2 + L).add(c21).intoArray(c, o2 + L);
            FloatVector.fromArray(F, c, o3).add(c30).intoArray(c, o3);
            FloatVector.fromArray(F, c, o3 + L).add(c31).intoArray(c, o3 + L);
            FloatVector.fromArray(F, c, o4).add(c40).intoArray(c, o4);
            FloatVector.fromArray(F, c, o4 + L).add(c41).intoArray(c, o4 + L);
            FloatVector.fromArray(F, c, o5).add(c50).intoArray(c, o5);
            FloatVector.fromArray(F, c, o5 + L).add(c51).intoArray(c, o5 + L);
            FloatVector.fromArray(F, c, o6).add(c60).intoArray(c, o6);
            FloatVector.fromArray(F, c, o6 + L).add(c61).intoArray(c, o6 + L);
            FloatVector.fromArray(F, c, o7).add(c70).intoArray(c, o7);
            FloatVector.fromArray(F, c, o7 + L).add(c71).intoArray(c, o7 + L);
        } else {
            c00.intoArray(c, o0); c01.intoArray(c, o0 + L);
            c10.intoArray(c, o1); c11.intoArray(c, o1 + L);
            c20.intoArray(c, o2); c21.intoArray(c, o2 + L);
            c30.intoArray(c, o3); c31.intoArray(c, o3 + L);
            c40.intoArray(c, o4); c41.intoArray(c, o4 + L);
            c50.intoArray(c, o5); c51.intoArray(c, o5 + L);
            c60.intoArray(c, o6); c61.intoArray(c, o6 + L);
            c70.intoArray(c, o7); c71.intoArray(c, o7 + L);
        }
    }

    /** Adds (or, without {@code acc}, writes) the top-left {@code mr × nr} of a tile [MR×NR] into C. */
    public static void mergeTile(float[] tile, float[] c, int c0, int ldc, int mr, int nr, boolean acc) {
        for (int r = 0; r < mr; r++) {
            int ci = c0 + r * ldc, ti = r * NR;
            if (acc) for (int j = 0; j < nr; j++) c[ci + j] = c[ci + j] + tile[ti + j];
            else System.arraycopy(tile, ti, c, ci, nr);
        }
    }

    // ---- packing ---------------------------------------------------------------------------------------------------

    /**
     * Packs one B panel from a row-major [n×k] B (row j at {@code src + j·ldb}): {@code nr ≤ NR} rows of B become the
     * columns of the panel, {@code kc} values of p each, into {@code dst + p·NR + j}. {@code rowIndex} holds
     * {@code j·ldb} for j in [0, L) (full panels are packed with gathers).
     */
    public static void packPanelT(float[] dst, int d0, float[] b, int src, int ldb, int nr, int kc, int[] rowIndex) {
        if (nr == NR) {
            // gather one p for L rows at a time; rowIndex[j] = j·ldb
            for (int p = 0; p < kc; p++) {
                int d = d0 + p * NR;
                for (int h = 0; h < NR; h += L) FloatVector.fromArray(F, b, src + h * ldb + p, rowIndex, 0).intoArray(dst, d + h);
            }
            return;
        }
        // transpose in blocks of 8 p so the destination lines stay in L1 while the 32 source rows stream by
        for (int p0 = 0; p0 < kc; p0 += 8) {
            int pe = Math.min(kc, p0 + 8);
            for (int j = 0; j < nr; j++) {
                int s = src + j * ldb;
                for (int p = p0; p < pe; p++) dst[d0 + p * NR + j] = b[s + p];
            }
            for (int j = nr; j < NR; j++) for (int p = p0; p < pe; p++) dst[d0 + p * NR + j] = 0f;
        }
    }

    /** Packs one B panel from a row-major [k×n] B (row p at {@code src + p·ldb}, {@code nr ≤ NR} columns). */
    public static void packPanelN(float[] dst, int d0, float[] b, int src, int ldb, int nr, int kc) {
        if (nr == NR) {
            for (int p = 0; p < kc; p++) {
                int s = src + p * ldb, d = d0 + p * NR;
                for (int h = 0; h < NR; h += L) FloatVector.fromArray(F, b, s + h).intoArray(dst, d + h);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int s = src + p * ldb, d = d0 + p * NR;
                System.arraycopy(b, s, dst, d, nr);
                for (int j = nr; j < NR; j++) dst[d + j] = 0f;
            }
        }
    }

    /**
     * Packs {@code mr ≤ MR} rows of a row-major A (row r at {@code src + r·lda}, {@code kc} values) into one packed
     * A panel, zero-padding the missing rows (used for the row tail of nt/nn).
     */
    public static void packRows(float[] dst, int d0, float[] a, int src, int lda, int mr, int kc) {
        for (int r = 0; r < MR; r++) {
            if (r < mr) {
                int s = src + r * lda;
                for (int p = 0; p < kc; p++) dst[d0 + p * MR + r] = a[s + p];
            } else {
                for (int p = 0; p < kc; p++) dst[d0 + p * MR + r] = 0f;
            }
        }
    }

    /**
     * Packs {@code rows} columns of a row-major [k×m] A (row p at {@code src + p·lda}) for {@code kc} values of p into
     * consecutive packed A panels of MR rows each (panel t at {@code d0 + t·kc·MR}), zero-padding the last one.
     */
    public static void packColumns(float[] dst, int d0, float[] a, int src, int lda, int rows, int kc) {
        int full = rows / MR, rem = rows - full * MR, panel = kc * MR;
        for (int p = 0; p < kc; p++) {
            int s = src + p * lda, d = d0 + p * MR;
            // plain copies: a 256-bit FloatVector here was sometimes left un-intrinsified next to the 512-bit
            // kernels (then it boxed every strip row, ~100 MB per 2048³ call)
            for (int t = 0; t < full; t++, s += MR, d += panel) {
                for (int r = 0; r < MR; r++) dst[d + r] = a[s + r];
            }
            if (rem > 0) {
                for (int r = 0; r < rem; r++) dst[d + r] = a[s + r];
                for (int r = rem; r < MR; r++) dst[d + r] = 0f;
            }
        }
    }

    // ---- matrix-vector (m = 1, token-by-token generation) ---------------------------------------------------------

    /** c[c0+t] (+)= dot(a[a0 .. a0+k), B row t) for t in 0..3, B rows at {@code b0 + t·ldb}. */
    public static void dot4(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0, boolean acc) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        int ub = F.loopBound(k), p = 0;
        for (; p < ub; p += L) {
            FloatVector x = FloatVector.fromArray(F, a, a0 + p);
            s0 = FloatVector.fromArray(F, b, b0 + p).fma(x, s0);
            s1 = FloatVector.fromArray(F, b, b1 + p).fma(x, s1);
            s2 = FloatVector.fromArray(F, b, b2 + p).fma(x, s2);
            s3 = FloatVector.fromArray(F, b, b3 + p).fma(x, s3);
        }
        // fixed-order lane sums: reduceLanes(ADD) orders differently interpreted and compiled (VecMath.sum)
        float t0 = VecMath.sum(s0), t1 = VecMath.sum(s1);
        float t2 = VecMath.sum(s2), t3 = VecMath.sum(s3);
        for (; p < k; p++) {
            float x = a[a0 + p];
            t0 += x * b[b0 + p];
            t1 += x * b[b1 + p];
            t2 += x * b[b2 + p];
            t3 += x * b[b3 + p];
        }
        if (acc) {
            t0 += c[c0];
            t1 += c[c0 + 1];
            t2 += c[c0 + 2];
            t3 += c[c0 + 3];
        }
        c[c0] = t0;
        c[c0 + 1] = t1;
        c[c0 + 2] = t2;
        c[c0 + 3] = t3;
    }

    /** Returns dot(a[a0 .. a0+k), b[b0 .. b0+k)). */
    public static float dot(int k, float[] a, int a0, float[] b, int b0) {
        FloatVector s0 = FloatVector.zero(F);
        int ub = F.loopBound(k), p = 0;
        for (; p < ub; p += L) s0 = FloatVector.fromArray(F, b, b0 + p).fma(FloatVector.fromArray(F, a, a0 + p), s0);
        float t = VecMath.sum(s0);
        for (; p < k; p++) t += a[a0 + p] * b[b0 + p];
        return t;
    }

    /**
     * c[c0 .. c0+4L) (+)= Σ_p a[a0 + p·as] · B[p, ·] over 4 vectors of columns, B row p at {@code b0 + p·ldb}.
     */
    public static void axpy4(int k, float[] a, int a0, int as, float[] b, int b0, int ldb, float[] c, int c0, boolean acc) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(F, a[a0 + p * as]);
            int bi = b0 + p * ldb;
            s0 = FloatVector.fromArray(F, b, bi).fma(x, s0);
            s1 = FloatVector.fromArray(F, b, bi + L).fma(x, s1);
            s2 = FloatVector.fromArray(F, b, bi + 2 * L).fma(x, s2);
            s3 = FloatVector.fromArray(F, b, bi + 3 * L).fma(x, s3);
        }
        if (acc) {
            s0 = s0.add(FloatVector.fromArray(F, c, c0));
            s1 = s1.add(FloatVector.fromArray(F, c, c0 + L));
            s2 = s2.add(FloatVector.fromArray(F, c, c0 + 2 * L));
            s3 = s3.add(FloatVector.fromArray(F, c, c0 + 3 * L));
            s0.intoArray(c, c0);
            s1.intoArray(c, c0 + L);
            s2.intoArray(c, c0 + 2 * L);
            s3.intoArray(c, c0 + 3 * L);
        } else {
            s0.intoArray(c, c0);
            s1.intoArray(c, c0 + L);
            s2.intoArray(c, c0 + 2 * L);
            s3.intoArray(c, c0 + 3 * L);
        }
    }

    /** c[c0 .. c0+L) (+)= Σ_p a[a0 + p·as] · B[p, ·] over one vector of columns. */
    public static void axpy1(int k, float[] a, int a0, int as, float[] b, int b0, int ldb, float[] c, int c0, boolean acc) {
        FloatVector s0 = FloatVector.zero(F);
        for (int p = 0; p < k; p++) {
            s0 = FloatVector.fromArray(F, b, b0 + p * ldb).fma(FloatVector.broadcast(F, a[a0 + p * as]), s0);
        }
        if (acc) FloatVector.fromArray(F, c, c0).add(s0).intoArray(c, c0);
        else s0.intoArray(c, c0);
    }
}
