package dev.seedling.tensor.quant;

/**
 * A weight matrix W[rows × cols] used read-only at inference, stored as f32 or in a quantised block format.
 *
 * <p>Rows are output features and columns input features, as in a PyTorch {@code nn.Linear} weight, so
 * {@link #matmul} computes {@code y = x · Wᵀ}. Implementations: {@link F32Matrix} (a view of a float array) and the
 * block-quantised formats of this package (Q8_0, Q4_0, …). The inference engine in {@code model} depends only on this
 * interface, so a model runs in any weight format without code changes.
 */
public interface WeightMatrix {
    /** Output features (rows of W). */
    int rows();

    /** Input features (columns of W). */
    int cols();

    /**
     * y[m × rows] = x[m × cols] · Wᵀ, rows of x and y contiguous (x row stride = cols, y row stride = rows).
     * m = 1 is one decoding step; m &gt; 1 is a batch of sequences or a prefilled prompt. Runs on the
     * {@link dev.seedling.tensor.Parallel} pool; allocates nothing in steady state; deterministic for any thread count.
     */
    void matmul(float[] y, int yOff, float[] x, int xOff, int m);

    /** Bytes of weight data read by one {@link #matmul} (for memory-bandwidth efficiency figures). */
    long bytes();

    /** Row {@code r} of W dequantised into {@code dst[dstOff, dstOff + cols)} (embedding lookups, tests). */
    void row(int r, float[] dst, int dstOff);

    /** A short name of the storage format: {@code "f32"}, {@code "q8_0"}, … */
    String format();
}
