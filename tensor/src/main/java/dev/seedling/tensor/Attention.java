package dev.seedling.tensor;

import dev.seedling.tensor.internal.VecMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused causal grouped-query attention (FlashAttention-style: online softmax, no T×T matrix, logsumexp saved for
 * backward) reading q, k and v straight from the fused projection.
 *
 * <p>Legend: B batch, T sequence, H query heads, KV key/value heads (H a multiple of KV; query head {@code h} uses
 * kv head {@code h / (H/KV)}, as HF's {@code repeat_kv}), D head dim, W = (H + 2·KV)·D.
 * <ul>
 *   <li>{@code qkv: (B·T, W)}, each row {@code [q heads (H·D) | k heads (KV·D) | v heads (KV·D)]};</li>
 *   <li>{@code out: (B·T, H·D)}, {@code out[b,t,h] = Σ_{j≤t} softmax_j(q·k_j / √D) v_j};</li>
 *   <li>{@code lse: (B, H, T)}, the natural-log logsumexp of each row's scaled scores.</li>
 * </ul>
 *
 * <p>Vector path: for a block of 64 query rows and a block of 64 keys, the score tile is a register-tiled product
 * ({@link #tile}: 4 rows × 2 vectors, the one micro-kernel of this class) of the pre-scaled queries with the
 * transposed keys; the online softmax and the P·V product follow on the same tile. Keys are packed transposed in
 * key blocks and values as padded rows (the training forward packs every (b, kv head) once per call, in parallel;
 * backward once per task), so every product runs on full tiles with short strides. Backward recomputes P from q,
 * k and lse: per (query block, key block) S, dP = dO·Vᵀ, dS = P∘(dP − Δ), dV += Pᵀ·dO, dK += dSᵀ·Q, dQ += dS·K.
 * One backward task per (b, kv head) owns that head's dk/dv and the dq of its query heads, so the summation order
 * is fixed (parallelism is B·KV tasks).
 *
 * <p>Determinism: results are bit-for-bit reproducible for a given thread count and also between the first
 * (interpreted) and later (JIT-compiled) calls: the kernels use {@link VecMath#exp} (IEEE add/mul/fma only) rather
 * than the Vector API's EXP, and add lanes in a fixed order rather than with {@code reduceLanes(ADD)}, whose
 * rounding differs between the Java fallback and the compiled intrinsic.
 *
 * <p>The scalar twin is the plain per-row algorithm (float, {@code StrictMath.exp}). Kernels allocate nothing but
 * the pool's lambdas: scratch is per thread, grown when a larger problem comes (the training forward keeps packed
 * k and v, 2·B·KV·T·D floats, in the calling thread's scratch; a backward task about 8·T·D floats).
 */
public final class Attention {
    private Attention() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Columns of one register tile (two vectors). */
    private static final int NC = 2 * L;
    /** Keys per block (a multiple of NC). */
    private static final int BK = Math.max(64, NC);
    /** Query rows per block / forward task. */
    private static final int BQ = 64;

    // ---------------------------------------------------------------------------------------------------------------
    // public entry points

    /**
     * Training forward over whole sequences (each starts at position 0).
     * out: (B·T, H·D); lse: (B, H, T) or null when no backward will follow; qkv: (B·T, W).
     */
    public static void forward(float[] out, int outOff, float[] lse, int lseOff, float[] qkv, int qkvOff,
                               int batch, int seq, int numHeads, int numKvHeads, int headDim) {
        forward(out, outOff, lse, lseOff, qkv, qkvOff, batch, seq, numHeads, numKvHeads, headDim, Simd.ENABLED);
    }

    /** {@link #forward} on the chosen path (parity tests and benchmarks). */
    public static void forward(float[] out, int outOff, float[] lse, int lseOff, float[] qkv, int qkvOff,
                               int batch, int seq, int numHeads, int numKvHeads, int headDim, boolean simd) {
        checkSizes(batch, seq, numHeads, numKvHeads, headDim);
        int w = (numHeads + 2 * numKvHeads) * headDim, hd = numHeads * headDim;
        long rows = (long) batch * seq;
        checkFits("qkv", qkv, qkvOff, rows * w);
        checkFits("out", out, outOff, rows * hd);
        if (lse != null) checkFits("lse", lse, lseOff, rows * numHeads);
        int kOff = numHeads * headDim, vOff = (numHeads + numKvHeads) * headDim;
        if (simd) {
            int nqb = (seq + BQ - 1) / BQ, pairs = batch * numKvHeads, group = numHeads / numKvHeads;
            int dp = roundUp(headDim, NC), per = dp * roundUp(seq, BK);
            // pack k (transposed, in key blocks) and v (padded rows) of every (b, kv head) once, into the calling
            // thread's scratch; the query-block tasks then only read them
            Scratch caller = Scratch.get();
            float[] kt = caller.packedK = Scratch.grow(caller.packedK, pairs * per);
            float[] vn = caller.packedV = Scratch.grow(caller.packedV, pairs * per);
            Parallel.forEach(pairs, (worker, pair) -> {
                int b = pair / numKvHeads, kvh = pair % numKvHeads, base = qkvOff + b * seq * w + kvh * headDim;
                pack(kt, pair * per, vn, pair * per, qkv, base + kOff, qkv, base + vOff, w, seq, headDim);
            });
            // heaviest query blocks (the last ones) first, for balance
            Parallel.forEach(nqb * pairs, (worker, task) -> {
                int qb = nqb - 1 - task / pairs, pair = task % pairs, b = pair / numKvHeads, kvh = pair % numKvHeads;
                int i0 = qb * BQ, i1 = Math.min(seq, i0 + BQ);
                forwardBlock(Scratch.get(), out, outOff + b * seq * hd, hd, lse,
                        lse == null ? 0 : lseOff + b * numHeads * seq, seq,
                        qkv, qkvOff + b * seq * w, w, kt, pair * per, vn, pair * per, 0, i0, i1, kvh, group, headDim);
            });
        } else {
            Parallel.forEach(batch * numHeads, (worker, task) -> {
                int b = task / numHeads, h = task % numHeads, base = qkvOff + b * seq * w;
                forwardRowsScalar(Scratch.get(), out, outOff + b * seq * hd, hd, lse,
                        lse == null ? 0 : lseOff + b * numHeads * seq, seq,
                        qkv, base, w, qkv, base + kOff, qkv, base + vOff, w,
                        0, 0, seq, h, numHeads / numKvHeads, headDim);
            });
        }
    }

    /**
     * Forward for decoding with a KV cache: {@code count} query rows of one sequence at positions
     * {@code [start, start+count)} attend to keys/values {@code [0, start+count)} (the new tokens' keys and values
     * must already be in the cache).
     * out: (count, H·D); q: rows of stride {@code qStride}, head h at {@code h·D}; k, v: rows {@code j} at
     * {@code kOff/vOff + j·kvStride}, kv head g at {@code g·D}.
     */
    public static void forwardCached(float[] out, int outOff, float[] q, int qOff, int qStride,
                                     float[] k, int kOff, float[] v, int vOff, int kvStride,
                                     int start, int count, int numHeads, int numKvHeads, int headDim) {
        forwardCached(out, outOff, q, qOff, qStride, k, kOff, v, vOff, kvStride, start, count, numHeads, numKvHeads,
                headDim, Simd.ENABLED);
    }

    /** {@link #forwardCached} on the chosen path. */
    public static void forwardCached(float[] out, int outOff, float[] q, int qOff, int qStride,
                                     float[] k, int kOff, float[] v, int vOff, int kvStride,
                                     int start, int count, int numHeads, int numKvHeads, int headDim, boolean simd) {
        checkSizes(1, Math.max(count, 1), numHeads, numKvHeads, headDim);
        if (start < 0 || count < 0) throw new IllegalArgumentException("attention: bad start " + start + " / count " + count);
        if (count == 0) return;
        int hd = numHeads * headDim, nk = start + count;
        checkFits("out", out, outOff, (long) count * hd);
        checkFits("q", q, qOff, (long) (count - 1) * qStride + hd);
        checkFits("k", k, kOff, (long) (nk - 1) * kvStride + (long) numKvHeads * headDim);
        checkFits("v", v, vOff, (long) (nk - 1) * kvStride + (long) numKvHeads * headDim);
        int group = numHeads / numKvHeads;
        if (simd) {
            int nqb = (count + BQ - 1) / BQ;
            Parallel.forEach(nqb * numKvHeads, (worker, task) -> {
                int qb = nqb - 1 - task / numKvHeads, kvh = task % numKvHeads, i1 = Math.min(count, qb * BQ + BQ);
                Scratch sc = Scratch.get();
                int dp = roundUp(headDim, NC), per = dp * roundUp(start + i1, BK);
                float[] kt = sc.kt = Scratch.grow(sc.kt, per), vn = sc.vn = Scratch.grow(sc.vn, per);
                pack(kt, 0, vn, 0, k, kOff + kvh * headDim, v, vOff + kvh * headDim, kvStride, start + i1, headDim);
                forwardBlock(sc, out, outOff, hd, null, 0, 0, q, qOff, qStride, kt, 0, vn, 0, start, qb * BQ, i1, kvh,
                        group, headDim);
            });
        } else {
            Parallel.forEach(numHeads, (worker, h) ->
                    forwardRowsScalar(Scratch.get(), out, outOff, hd, null, 0, 0, q, qOff, qStride, k, kOff, v, vOff,
                            kvStride, start, 0, count, h, group, headDim));
        }
    }

    /**
     * Training backward: adds the gradients of q, k and v into {@code dqkv}.
     * dqkv, qkv: (B·T, W); dout, out: (B·T, H·D); lse: (B, H, T) as written by {@link #forward}.
     */
    public static void backward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] qkv, int qkvOff,
                                float[] out, int outOff, float[] lse, int lseOff,
                                int batch, int seq, int numHeads, int numKvHeads, int headDim) {
        backward(dqkv, dqkvOff, dout, doutOff, qkv, qkvOff, out, outOff, lse, lseOff, batch, seq, numHeads,
                numKvHeads, headDim, Simd.ENABLED);
    }

    /** {@link #backward} on the chosen path (parity tests and benchmarks). */
    public static void backward(float[] dqkv, int dqkvOff, float[] dout, int doutOff, float[] qkv, int qkvOff,
                                float[] out, int outOff, float[] lse, int lseOff,
                                int batch, int seq, int numHeads, int numKvHeads, int headDim, boolean simd) {
        checkSizes(batch, seq, numHeads, numKvHeads, headDim);
        int w = (numHeads + 2 * numKvHeads) * headDim, hd = numHeads * headDim;
        long rows = (long) batch * seq;
        checkFits("qkv", qkv, qkvOff, rows * w);
        checkFits("dqkv", dqkv, dqkvOff, rows * w);
        checkFits("out", out, outOff, rows * hd);
        checkFits("dout", dout, doutOff, rows * hd);
        checkFits("lse", lse, lseOff, rows * numHeads);
        Parallel.forEach(batch * numKvHeads, (worker, task) -> {
            int b = task / numKvHeads, kvh = task % numKvHeads;
            int qkvBase = qkvOff + b * seq * w, dqkvBase = dqkvOff + b * seq * w;
            int outBase = outOff + b * seq * hd, doutBase = doutOff + b * seq * hd, lseBase = lseOff + b * numHeads * seq;
            if (simd) backwardHeadVector(Scratch.get(), dqkv, dqkvBase, dout, doutBase, qkv, qkvBase, out, outBase,
                    lse, lseBase, seq, numHeads, numKvHeads, headDim, kvh);
            else backwardHeadScalar(Scratch.get(), dqkv, dqkvBase, dout, doutBase, qkv, qkvBase, out, outBase,
                    lse, lseBase, seq, numHeads, numKvHeads, headDim, kvh);
        });
    }

    private static void checkSizes(int batch, int seq, int numHeads, int numKvHeads, int headDim) {
        if (batch <= 0 || seq <= 0 || numHeads <= 0 || numKvHeads <= 0 || headDim <= 0 || numHeads % numKvHeads != 0)
            throw new IllegalArgumentException("attention: bad sizes batch=" + batch + " seq=" + seq + " heads="
                    + numHeads + " kvHeads=" + numKvHeads + " headDim=" + headDim
                    + " (heads must be a multiple of kvHeads)");
    }

    private static void checkFits(String what, float[] a, int off, long n) {
        if (off < 0 || off + n > a.length)
            throw new IllegalArgumentException("attention: " + what + " needs " + n + " floats from offset " + off
                    + ", array has " + a.length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // per-thread scratch

    private static final class Scratch {
        private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

        float[] kt = new float[0], vt = new float[0], kn = new float[0], vn = new float[0];
        float[] q = new float[0], o = new float[0], dout = new float[0], dq = new float[0];
        float[] dk = new float[0], dv = new float[0], packedK = new float[0], packedV = new float[0];
        float[] s = new float[0], dp = new float[0], m = new float[0], l = new float[0], delta = new float[0];

        static Scratch get() {
            return LOCAL.get();
        }

        static float[] grow(float[] a, int n) {
            return a.length >= n ? a : new float[Math.max(n, a.length + (a.length >> 1))];
        }
    }

    private static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // vector forward: one kv head, query rows [i0, i1) at positions start+i0.., all query heads of the group

    /**
     * Query rows [i0, i1) (positions start+i0..) of the group's query heads against keys [0, start+i1) of kv head
     * {@code kvh}, packed by {@link #pack} at {@code ktOff} / {@code vnOff}.
     */
    private static void forwardBlock(Scratch sc, float[] out, int outOff, int outStride,
                                     float[] lse, int lseOff, int lseStride, float[] q, int qOff, int qStride,
                                     float[] kt, int ktOff, float[] vn, int vnOff,
                                     int start, int i0, int i1, int kvh, int group, int headDim) {
        int dp = roundUp(headDim, NC), nk = start + i1;
        int rows = i1 - i0, rq = roundUp(rows, 4);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] qs = sc.q = Scratch.grow(sc.q, rq * dp), o = sc.o = Scratch.grow(sc.o, rq * dp);
        float[] s = sc.s = Scratch.grow(sc.s, rq * BK);
        float[] m = sc.m = Scratch.grow(sc.m, rq), l = sc.l = Scratch.grow(sc.l, rq * L);
        for (int g = 0; g < group; g++) {
            int h = kvh * group + g;
            copyRows(qs, 0, dp, rq, q, qOff + i0 * qStride + h * headDim, qStride, rows, headDim, scale);
            java.util.Arrays.fill(o, 0, rq * dp, 0f);
            java.util.Arrays.fill(m, 0, rq, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(l, 0, rq * L, 0f);
            int firstPos = start + i0;
            for (int jb = 0; jb < nk; jb += BK) {
                int kw = Math.min(BK, roundUp(nk - jb, NC));
                // rows whose position is before jb see no key of this block: skip whole 4-row groups of them;
                // on the diagonal each group stops at the tile holding its last visible key
                int r4 = Math.max(0, (jb - firstPos) / 4 * 4);
                for (int r = r4; r < rq; r += 4) {
                    int kwr = Math.min(kw, roundUp(firstPos + r + 4 - jb, NC));
                    for (int c = 0; c < kwr; c += NC) tile(s, r * BK + c, BK, false, qs, r * dp, dp, 1, kt, ktOff + jb * dp + c, BK, dp);
                    for (int rr = r; rr < r + 4; rr++) {
                        float alpha = softmaxBlockRow(s, rr * BK, kwr, firstPos + rr + 1 - jb, m, l, rr);
                        if (alpha != 1f) scaleRow(o, rr * dp, dp, alpha);
                    }
                    for (int c = 0; c < dp; c += NC) tile(o, r * dp + c, dp, true, s, r * BK, BK, 1, vn, vnOff + jb * dp + c, dp, kwr);
                }
            }
            for (int r = 0; r < rows; r++) {
                float sum = sumLanes(l, r * L);
                scaleRowInto(out, outOff + (i0 + r) * outStride + h * headDim, o, r * dp, headDim, 1f / sum);
                if (lse != null) lse[lseOff + h * lseStride + i0 + r] = m[r] + (float) Math.log(sum);
            }
        }
    }

    /**
     * Online softmax on one row of a score block: the first {@code valid} keys are visible (the rest masked),
     * updates the running max {@code m[r]} and the lane-wise running sums {@code l[r·L .. r·L+L)}, leaves P in
     * {@code s}, returns the rescale factor of the row's accumulated output. The sums stay lane-wise until the row
     * is done (a horizontal add per block would cost time, and {@code reduceLanes(ADD)} may sum in a different
     * order before and after JIT compilation, which would break bit-for-bit reproducibility).
     */
    private static float softmaxBlockRow(float[] s, int so, int kw, int valid, float[] m, float[] l, int r) {
        FloatVector ninf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), vmax = ninf;
        for (int c = 0; c < kw; c += L) {
            FloatVector x = FloatVector.fromArray(F, s, so + c);
            if (c + L > valid) x = ninf.blend(x, F.indexInRange(c, valid));
            vmax = vmax.max(x);
        }
        float mOld = m[r], mNew = Math.max(mOld, vmax.reduceLanes(VectorOperators.MAX));
        FloatVector vsum = FloatVector.zero(F), mv = FloatVector.broadcast(F, mNew);
        for (int c = 0; c < kw; c += L) {
            FloatVector p = VecMath.exp(FloatVector.fromArray(F, s, so + c).sub(mv));
            if (c + L > valid) p = p.blend(0f, F.indexInRange(c, valid).not());
            p.intoArray(s, so + c);
            vsum = vsum.add(p);
        }
        float alpha = mOld == mNew ? 1f : VecMath.exp(mOld - mNew); // 0 on the first block (mOld = -inf)
        FloatVector.fromArray(F, l, r * L).mul(alpha).add(vsum).intoArray(l, r * L);
        m[r] = mNew;
        return alpha;
    }

    /** The lanes of {@code l[o .. o+L)} added in order. */
    private static float sumLanes(float[] l, int o) {
        float sum = 0f;
        for (int i = 0; i < L; i++) sum += l[o + i];
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // vector backward: one (b, kv head) task; owns dk/dv of that kv head and dq of its query heads

    private static void backwardHeadVector(Scratch sc, float[] dqkv, int dqkvBase, float[] dout, int doutBase,
                                           float[] qkv, int qkvBase, float[] out, int outBase,
                                           float[] lse, int lseBase, int seq, int numHeads, int numKvHeads,
                                           int headDim, int kvh) {
        int w = (numHeads + 2 * numKvHeads) * headDim, hd = numHeads * headDim, group = numHeads / numKvHeads;
        int dp = roundUp(headDim, NC), tp = roundUp(seq, BK);
        int kCol = numHeads * headDim + kvh * headDim, vCol = (numHeads + numKvHeads) * headDim + kvh * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] kt = sc.kt = Scratch.grow(sc.kt, dp * tp), vt = sc.vt = Scratch.grow(sc.vt, dp * tp);
        float[] kn = sc.kn = Scratch.grow(sc.kn, tp * dp);
        float[] qs = sc.q = Scratch.grow(sc.q, tp * dp), dos = sc.dout = Scratch.grow(sc.dout, tp * dp);
        float[] dq = sc.dq = Scratch.grow(sc.dq, tp * dp);
        float[] dk = sc.dk = Scratch.grow(sc.dk, tp * dp), dv = sc.dv = Scratch.grow(sc.dv, tp * dp);
        float[] s = sc.s = Scratch.grow(sc.s, BQ * BK), dps = sc.dp = Scratch.grow(sc.dp, BQ * BK);
        float[] delta = sc.delta = Scratch.grow(sc.delta, tp);
        transposeBlocked(kt, 0, dp, qkv, qkvBase + kCol, w, seq, headDim);
        transposeBlocked(vt, 0, dp, qkv, qkvBase + vCol, w, seq, headDim);
        copyRows(kn, 0, dp, tp, qkv, qkvBase + kCol, w, seq, headDim, 1f);
        java.util.Arrays.fill(dk, 0, tp * dp, 0f);
        java.util.Arrays.fill(dv, 0, tp * dp, 0f);
        for (int g = 0; g < group; g++) {
            int h = kvh * group + g, lseRow = lseBase + h * seq;
            copyRows(qs, 0, dp, tp, qkv, qkvBase + h * headDim, w, seq, headDim, scale);
            copyRows(dos, 0, dp, tp, dout, doutBase + h * headDim, hd, seq, headDim, 1f);
            for (int t = 0; t < seq; t++)
                delta[t] = dot(dout, doutBase + t * hd + h * headDim, out, outBase + t * hd + h * headDim, headDim);
            java.util.Arrays.fill(dq, 0, tp * dp, 0f);
            for (int jb = 0; jb < seq; jb += BK) {
                int kw = Math.min(BK, roundUp(seq - jb, NC));
                for (int i0 = jb; i0 < seq; i0 += BQ) {
                    int rows = Math.min(BQ, seq - i0), rq = roundUp(rows, 4);
                    for (int r = 0; r < rq; r += 4) {
                        // on the diagonal a 4-row group needs only the tiles up to its last visible key
                        int kwr = Math.min(kw, roundUp(i0 + r + 4 - jb, NC));
                        for (int c = 0; c < kwr; c += NC) {
                            tile(s, r * kw + c, kw, false, qs, (i0 + r) * dp, dp, 1, kt, jb * dp + c, BK, dp);
                            tile(dps, r * kw + c, kw, false, dos, (i0 + r) * dp, dp, 1, vt, jb * dp + c, BK, dp);
                        }
                        for (int rr = r; rr < r + 4; rr++) {
                            int i = i0 + rr;
                            if (i < seq) probsAndGradRow(s, dps, rr * kw, kwr, i - jb + 1, lse[lseRow + i], delta[i]);
                            else clearRow(s, dps, rr * kw, kwr);
                            if (kwr < kw) clearRow(s, dps, rr * kw + kwr, kw - kwr);
                        }
                        for (int c = 0; c < dp; c += NC)
                            tile(dq, (i0 + r) * dp + c, dp, true, dps, r * kw, kw, 1, kn, jb * dp + c, dp, kwr);
                    }
                    for (int c = 0; c < kw; c += 4) {
                        // query rows before key jb+c see none of these 4 keys
                        int p0 = Math.max(0, jb + c - i0), n = rq - p0;
                        if (n <= 0) break;
                        for (int d = 0; d < dp; d += NC) {
                            tile(dv, (jb + c) * dp + d, dp, true, s, c + p0 * kw, 1, kw, dos, (i0 + p0) * dp + d, dp, n);
                            tile(dk, (jb + c) * dp + d, dp, true, dps, c + p0 * kw, 1, kw, qs, (i0 + p0) * dp + d, dp, n);
                        }
                    }
                }
            }
            for (int t = 0; t < seq; t++)
                addScaled(dqkv, dqkvBase + t * w + h * headDim, dq, t * dp, headDim, scale);
        }
        for (int t = 0; t < seq; t++) {
            addScaled(dqkv, dqkvBase + t * w + kCol, dk, t * dp, headDim, 1f);
            addScaled(dqkv, dqkvBase + t * w + vCol, dv, t * dp, headDim, 1f);
        }
    }

    /** P = exp(S − lse) on the first {@code valid} keys (0 elsewhere) into {@code s}; dS = P ∘ (dP − Δ) into {@code dp}. */
    private static void probsAndGradRow(float[] s, float[] dp, int so, int kw, int valid, float lse, float delta) {
        FloatVector zero = FloatVector.zero(F), lv = FloatVector.broadcast(F, lse), dv = FloatVector.broadcast(F, delta);
        for (int c = 0; c < kw; c += L) {
            FloatVector p = VecMath.exp(FloatVector.fromArray(F, s, so + c).sub(lv));
            if (c + L > valid) p = zero.blend(p, F.indexInRange(c, valid));
            p.intoArray(s, so + c);
            p.mul(FloatVector.fromArray(F, dp, so + c).sub(dv)).intoArray(dp, so + c);
        }
    }

    private static void clearRow(float[] s, float[] dp, int so, int kw) {
        java.util.Arrays.fill(s, so, so + kw, 0f);
        java.util.Arrays.fill(dp, so, so + kw, 0f);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the register-tiled micro-kernel and small helpers (each small, so C2 inlines and keeps vectors in registers)

    /**
     * {@code c[4 × NC] (+)= a[4 × n] · b[n × NC]}: c row r at {@code cOff + r·ldc}; a(r, p) at
     * {@code a[aOff + r·aRs + p·aCs]}; b row p at {@code bOff + p·ldb}.
     */
    private static void tile(float[] c, int cOff, int ldc, boolean accumulate, float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int ldb, int n) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        int o0 = cOff, o1 = cOff + ldc, o2 = cOff + 2 * ldc, o3 = cOff + 3 * ldc;
        if (accumulate) {
            c00 = FloatVector.fromArray(F, c, o0);
            c01 = FloatVector.fromArray(F, c, o0 + L);
            c10 = FloatVector.fromArray(F, c, o1);
            c11 = FloatVector.fromArray(F, c, o1 + L);
            c20 = FloatVector.fromArray(F, c, o2);
            c21 = FloatVector.fromArray(F, c, o2 + L);
            c30 = FloatVector.fromArray(F, c, o3);
            c31 = FloatVector.fromArray(F, c, o3 + L);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(F);
        }
        int a0 = aOff, a1 = aOff + aRs, a2 = aOff + 2 * aRs, a3 = aOff + 3 * aRs;
        for (int p = 0; p < n; p++) {
            int bo = bOff + p * ldb, ap = p * aCs;
            FloatVector b0 = FloatVector.fromArray(F, b, bo), b1 = FloatVector.fromArray(F, b, bo + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
    }

    /**
     * Packs keys/values [0, n) of one kv head: {@code kt} transposed in key blocks ({@link #transposeBlocked}),
     * {@code vn} as (roundUp(n, BK) × dp) rows; both zero-padded, both {@code dp · roundUp(n, BK)} floats.
     */
    private static void pack(float[] kt, int ktOff, float[] vn, int vnOff, float[] k, int kOff, float[] v, int vOff,
                             int kvStride, int n, int headDim) {
        int dp = roundUp(headDim, NC);
        transposeBlocked(kt, ktOff, dp, k, kOff, kvStride, n, headDim);
        copyRows(vn, vnOff, dp, roundUp(n, BK), v, vOff, kvStride, n, headDim, 1f);
    }

    /**
     * dst ← src rows transposed, in key blocks of BK: key j, dim d at {@code (j/BK)·dp·BK + d·BK + j%BK}, so each
     * block is a contiguous (dp × BK) matrix (no power-of-two stride between its rows); zero padding up to whole
     * blocks and {@code dp} dims.
     */
    private static void transposeBlocked(float[] dst, int dstOff, int dp, float[] src, int srcOff, int srcStride, int n, int headDim) {
        int np = roundUp(n, BK);
        for (int jb = 0; jb < np; jb += BK) {
            int base = dstOff + jb * dp, cnt = Math.min(BK, n - jb);
            if (cnt < BK) java.util.Arrays.fill(dst, base, base + dp * BK, 0f);
            else java.util.Arrays.fill(dst, base + headDim * BK, base + dp * BK, 0f);
            // source rows are read in order (their stride is W, often a multiple of 4 KiB: reading down a column
            // would touch one cache set only)
            int j = 0;
            for (; j + 4 <= cnt; j += 4) {
                int o = base + j, s0 = srcOff + (jb + j) * srcStride, s1 = s0 + srcStride, s2 = s1 + srcStride,
                        s3 = s2 + srcStride;
                for (int d = 0; d < headDim; d++) {
                    int at = o + d * BK;
                    dst[at] = src[s0 + d];
                    dst[at + 1] = src[s1 + d];
                    dst[at + 2] = src[s2 + d];
                    dst[at + 3] = src[s3 + d];
                }
            }
            for (; j < cnt; j++) {
                int o = base + j, so = srcOff + (jb + j) * srcStride;
                for (int d = 0; d < headDim; d++) dst[o + d * BK] = src[so + d];
            }
        }
    }

    /** dst (rowsPadded × dp) at dstOff ← scale · src rows (n of them, headDim each); zero padding. */
    private static void copyRows(float[] dst, int dstOff, int dp, int rowsPadded, float[] src, int srcOff,
                                 int srcStride, int n, int headDim, float scale) {
        for (int j = 0; j < n; j++) {
            int o = dstOff + j * dp, so = srcOff + j * srcStride;
            if (scale == 1f) System.arraycopy(src, so, dst, o, headDim);
            else scaleRowInto(dst, o, src, so, headDim, scale);
            java.util.Arrays.fill(dst, o + headDim, o + dp, 0f);
        }
        java.util.Arrays.fill(dst, dstOff + n * dp, dstOff + rowsPadded * dp, 0f);
    }

    private static void scaleRow(float[] a, int o, int n, float f) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += L) FloatVector.fromArray(F, a, o + i).mul(f).intoArray(a, o + i);
        for (; i < n; i++) a[o + i] *= f;
    }

    private static void scaleRowInto(float[] dst, int dOff, float[] src, int sOff, int n, float f) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += L) FloatVector.fromArray(F, src, sOff + i).mul(f).intoArray(dst, dOff + i);
        for (; i < n; i++) dst[dOff + i] = src[sOff + i] * f;
    }

    private static void addScaled(float[] dst, int dOff, float[] src, int sOff, int n, float f) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += L)
            FloatVector.fromArray(F, src, sOff + i).mul(f).add(FloatVector.fromArray(F, dst, dOff + i)).intoArray(dst, dOff + i);
        for (; i < n; i++) dst[dOff + i] += src[sOff + i] * f;
    }

    /**
     * Dot product with lane-wise partial sums added in a fixed order at the end ({@link VecMath#sum}).
     */
    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0, bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        for (; i < bound; i += L) acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        float sum = VecMath.sum(acc);
        for (; i < n; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // scalar twin: the plain per-row algorithm

    /** Rows [i0, i1) of query head h (positions start+i0..) against keys [0, start+i1). */
    private static void forwardRowsScalar(Scratch sc, float[] out, int outOff, int outStride,
                                          float[] lse, int lseOff, int lseStride,
                                          float[] q, int qOff, int qStride, float[] k, int kOff, float[] v, int vOff,
                                          int kvStride, int start, int i0, int i1, int h, int group, int headDim) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int kvh = h / group;
        float[] s = sc.s = Scratch.grow(sc.s, start + i1);
        for (int i = i0; i < i1; i++) {
            int qo = qOff + i * qStride + h * headDim, n = start + i + 1;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                int ko = kOff + j * kvStride + kvh * headDim;
                float dot = 0f;
                for (int d = 0; d < headDim; d++) dot += q[qo + d] * k[ko + d];
                s[j] = dot * scale;
                max = Math.max(max, s[j]);
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                s[j] = (float) StrictMath.exp(s[j] - max);
                sum += s[j];
            }
            int oo = outOff + i * outStride + h * headDim;
            float inv = 1f / sum;
            for (int d = 0; d < headDim; d++) {
                float acc = 0f;
                for (int j = 0; j < n; j++) acc += s[j] * v[vOff + j * kvStride + kvh * headDim + d];
                out[oo + d] = acc * inv;
            }
            if (lse != null) lse[lseOff + h * lseStride + i] = max + (float) StrictMath.log(sum);
        }
    }

    private static void backwardHeadScalar(Scratch sc, float[] dqkv, int dqkvBase, float[] dout, int doutBase,
                                           float[] qkv, int qkvBase, float[] out, int outBase,
                                           float[] lse, int lseBase, int seq, int numHeads, int numKvHeads,
                                           int headDim, int kvh) {
        int w = (numHeads + 2 * numKvHeads) * headDim, hd = numHeads * headDim, group = numHeads / numKvHeads;
        int kCol = numHeads * headDim + kvh * headDim, vCol = (numHeads + numKvHeads) * headDim + kvh * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (int g = 0; g < group; g++) {
            int h = kvh * group + g;
            for (int i = 0; i < seq; i++) {
                int qo = qkvBase + i * w + h * headDim, dqo = dqkvBase + i * w + h * headDim;
                int go = doutBase + i * hd + h * headDim, oo = outBase + i * hd + h * headDim;
                float rowLse = lse[lseBase + h * seq + i], delta = 0f;
                for (int d = 0; d < headDim; d++) delta += dout[go + d] * out[oo + d];
                for (int j = 0; j <= i; j++) {
                    int ko = qkvBase + j * w + kCol, vo = qkvBase + j * w + vCol;
                    float sdot = 0f, dpj = 0f;
                    for (int d = 0; d < headDim; d++) {
                        sdot += qkv[qo + d] * qkv[ko + d];
                        dpj += dout[go + d] * qkv[vo + d];
                    }
                    float p = (float) StrictMath.exp(sdot * scale - rowLse), ds = p * (dpj - delta) * scale;
                    int dko = dqkvBase + j * w + kCol, dvo = dqkvBase + j * w + vCol;
                    for (int d = 0; d < headDim; d++) {
                        dqkv[dvo + d] += p * dout[go + d];
                        dqkv[dko + d] += ds * qkv[qo + d];
                        dqkv[dqo + d] += ds * qkv[ko + d];
                    }
                }
            }
        }
    }
}
