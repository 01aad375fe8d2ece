package dev.seedling.model.format;

/**
 * The ggml tensor types Seedling writes and reads in GGUF files, with ggml's numeric ids and block sizes
 * (a block of {@link #blockSize()} elements takes {@link #blockBytes()} bytes).
 */
public enum GgufTensorType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q8_0(8, 32, 34),
    BF16(30, 1, 2);

    private final int id, blockSize, blockBytes;

    GgufTensorType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** ggml's {@code enum ggml_type} value. */
    public int id() {
        return id;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /** Bytes of {@code elements} values (a multiple of the block size). */
    public long bytes(long elements) {
        if (elements % blockSize != 0)
            throw new IllegalArgumentException(this + " stores whole blocks of " + blockSize + " elements, got " + elements);
        return elements / blockSize * blockBytes;
    }

    /** The type with ggml id {@code id}, or null when Seedling does not handle it. */
    public static GgufTensorType fromId(int id) {
        for (GgufTensorType t : values()) if (t.id == id) return t;
        return null;
    }
}
