package dev.seedling.tensor.quant;

/**
 * W in ggml's Q4_0 format: blocks of 32 weights, each an f16 scale d followed by 16 bytes of 4-bit q (18 bytes, 4.5
 * bits per weight); byte j holds weight j in its low nibble and weight j+16 in its high nibble; x = d·(q − 8), with
 * d = m/−8 for m the weight of largest magnitude, as llama.cpp quantises. See {@link BlockQuantMatrix} for the
 * product and threading.
 */
public final class Q4_0Matrix extends BlockQuantMatrix {
    /** Bytes per block of 32 weights. */
    public static final int BLOCK_BYTES = 18;

    private Q4_0Matrix(byte[] data, int rows, int cols) {
        super(data, rows, cols);
    }

    /** Quantises {@code src} (any format; an f32 view is read in place). cols must be a multiple of 32. */
    public static Q4_0Matrix quantize(WeightMatrix src) {
        return new Q4_0Matrix(quantize(src, BLOCK_BYTES, true), src.rows(), src.cols());
    }

    /** Wraps Q4_0 blocks (e.g. a GGUF tensor's bytes), rows·cols/32·18 bytes; not copied. */
    public static Q4_0Matrix wrap(byte[] data, int rows, int cols) {
        return new Q4_0Matrix(data, rows, cols);
    }

    @Override
    public int blockBytes() {
        return BLOCK_BYTES;
    }

    @Override
    boolean q4() {
        return true;
    }

    @Override
    public String format() {
        return "q4_0";
    }
}
