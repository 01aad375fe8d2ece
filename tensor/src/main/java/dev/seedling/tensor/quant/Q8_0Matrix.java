package dev.seedling.tensor.quant;

/**
 * W in ggml's Q8_0 format: blocks of 32 weights, each an f16 scale d followed by 32 int8 q (34 bytes, 8.5 bits per
 * weight), x = d·q, d = max|x|/127, q rounded to nearest (halves away from zero), as llama.cpp quantises.
 * See {@link BlockQuantMatrix} for the product and threading.
 */
public final class Q8_0Matrix extends BlockQuantMatrix {
    /** Bytes per block of 32 weights. */
    public static final int BLOCK_BYTES = 34;

    private Q8_0Matrix(byte[] data, int rows, int cols) {
        super(data, rows, cols);
    }

    /** Quantises {@code src} (any format; an f32 view is read in place). cols must be a multiple of 32. */
    public static Q8_0Matrix quantize(WeightMatrix src) {
        return new Q8_0Matrix(quantize(src, BLOCK_BYTES, false), src.rows(), src.cols());
    }

    /** Wraps Q8_0 blocks (e.g. a GGUF tensor's bytes), rows·cols/32·34 bytes; not copied. */
    public static Q8_0Matrix wrap(byte[] data, int rows, int cols) {
        return new Q8_0Matrix(data, rows, cols);
    }

    @Override
    public int blockBytes() {
        return BLOCK_BYTES;
    }

    @Override
    boolean q4() {
        return false;
    }

    @Override
    public String format() {
        return "q8_0";
    }
}
