package dev.seedling.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Token embedding: gathers rows of a table by id. Legend: V vocab (table rows), C channels, N tokens.
 * table, dTable: (V, C); ids: (N) in {@code [0, V)}; out, dout: (N, C).
 *
 * <p>The forward is a row copy ({@code System.arraycopy} is the fastest path on every platform, so it has no
 * separate SIMD twin). The backward scatter-adds {@code dout} rows into {@code dTable}; it is split over columns
 * and walks the ids in order, so repeated ids accumulate in a fixed order whatever the thread count.
 */
public final class Embedding {
    private Embedding() {}

    private static final VectorSpecies<Float> S = Simd.F;
    static final int PARALLEL_MIN = 1 << 15;

    /** out (N, C) = table[ids] ; throws if an id is outside {@code [0, vocab)}. */
    public static void forward(float[] out, int outOff, float[] table, int tableOff, int[] ids, int idsOff,
                               int n, int vocab, int cols) {
        checkIds(ids, idsOff, n, vocab);
        if ((long) n * cols < PARALLEL_MIN) {
            for (int i = 0; i < n; i++) System.arraycopy(table, tableOff + ids[idsOff + i] * cols, out, outOff + i * cols, cols);
            return;
        }
        Parallel.forRange(n, (p, lo, hi) -> {
            for (int i = lo; i < hi; i++) System.arraycopy(table, tableOff + ids[idsOff + i] * cols, out, outOff + i * cols, cols);
        });
    }

    /** Backward: {@code dTable[ids[i]] += dout[i]} for i = 0..N-1 in order; throws if an id is outside {@code [0, vocab)}. */
    public static void backward(float[] dTable, int dTableOff, float[] dout, int doutOff, int[] ids, int idsOff,
                                int n, int vocab, int cols) {
        checkIds(ids, idsOff, n, vocab);
        if (Simd.ENABLED) backwardSimd(dTable, dTableOff, dout, doutOff, ids, idsOff, n, cols);
        else backwardScalar(dTable, dTableOff, dout, doutOff, ids, idsOff, n, cols);
    }

    private static void checkIds(int[] ids, int off, int n, int vocab) {
        for (int i = 0; i < n; i++) {
            int id = ids[off + i];
            if (id < 0 || id >= vocab)
                throw new IllegalArgumentException("token id " + id + " at position " + i + " is outside the vocabulary [0, " + vocab + ")");
        }
    }

    static void backwardSimd(float[] dTable, int dTableOff, float[] dout, int doutOff, int[] ids, int idsOff, int n, int cols) {
        if ((long) n * cols < PARALLEL_MIN) scatterSimd(dTable, dTableOff, dout, doutOff, ids, idsOff, n, cols, 0, cols);
        else Parallel.forRange(cols, (p, lo, hi) -> scatterSimd(dTable, dTableOff, dout, doutOff, ids, idsOff, n, cols, lo, hi));
    }

    static void backwardScalar(float[] dTable, int dTableOff, float[] dout, int doutOff, int[] ids, int idsOff, int n, int cols) {
        if ((long) n * cols < PARALLEL_MIN) scatterScalar(dTable, dTableOff, dout, doutOff, ids, idsOff, n, cols, 0, cols);
        else Parallel.forRange(cols, (p, lo, hi) -> scatterScalar(dTable, dTableOff, dout, doutOff, ids, idsOff, n, cols, lo, hi));
    }

    private static void scatterSimd(float[] dt, int dtOff, float[] dy, int g, int[] ids, int idsOff, int n, int cols, int lo, int hi) {
        int L = S.length();
        for (int i = 0; i < n; i++) {
            int t = dtOff + ids[idsOff + i] * cols, y = g + i * cols, j = lo;
            for (; j <= hi - L; j += L)
                FloatVector.fromArray(S, dt, t + j).add(FloatVector.fromArray(S, dy, y + j)).intoArray(dt, t + j);
            for (; j < hi; j++) dt[t + j] += dy[y + j];
        }
    }

    private static void scatterScalar(float[] dt, int dtOff, float[] dy, int g, int[] ids, int idsOff, int n, int cols, int lo, int hi) {
        for (int i = 0; i < n; i++) {
            int t = dtOff + ids[idsOff + i] * cols, y = g + i * cols;
            for (int j = lo; j < hi; j++) dt[t + j] += dy[y + j];
        }
    }
}
