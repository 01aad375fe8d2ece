package dev.seedling.model.format;

/**
 * The element types of the safetensors format, under their safetensors names ({@code "F32"}, {@code "BF16"}, …).
 * {@link Safetensors} writes {@link #F32}, {@link #BF16} and {@link #F16}; a reader turns those and {@link #F64}
 * into float32, and reports the others (integer, bool and 8-bit float tensors) without converting them.
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), F8_E8M0(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether a reader can convert this type to float32 ({@code F32}, {@code BF16}, {@code F16}, {@code F64}). */
    public boolean readableAsF32() {
        return this == F32 || this == BF16 || this == F16 || this == F64;
    }

    /** Whether {@link Safetensors#write} can store float32 tensors as this type. */
    public boolean writable() {
        return this == F32 || this == BF16 || this == F16;
    }

    /** The PyTorch name of this type as config.json's {@code torch_dtype} spells it ({@code float32}, {@code bfloat16}, …). */
    public String torchName() {
        return switch (this) {
            case BOOL -> "bool";
            case U8 -> "uint8";
            case I8 -> "int8";
            case F8_E5M2 -> "float8_e5m2";
            case F8_E4M3 -> "float8_e4m3fn";
            case F8_E8M0 -> "float8_e8m0fnu";
            case I16 -> "int16";
            case U16 -> "uint16";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case I32 -> "int32";
            case U32 -> "uint32";
            case F32 -> "float32";
            case F64 -> "float64";
            case I64 -> "int64";
            case U64 -> "uint64";
        };
    }

    /** The type named {@code name} in a safetensors header, or null when there is none. */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) if (t.name().equals(name)) return t;
        return null;
    }
}
