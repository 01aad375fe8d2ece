package dev.seedling.model.format;

import java.util.List;

/**
 * One typed GGUF metadata value. Scalars hold a boxed Java value of the matching type ({@code UINT32}, {@code INT32}
 * → Integer/Long as below), strings a String, arrays a list of values of one element type.
 *
 * <p>Java value per type: UINT8/INT8/UINT16/INT16/INT32 → Integer, UINT32/INT64/UINT64 → Long, FLOAT32 → Float,
 * FLOAT64 → Double, BOOL → Boolean, STRING → String, ARRAY → {@code List<?>} of the element type's values.
 *
 * @param type        the value type
 * @param elementType for arrays the element type, else null
 * @param value       the value (see above)
 */
public record GgufMetadata(GgufValueType type, GgufValueType elementType, Object value) {
    public static GgufMetadata string(String s) {
        return new GgufMetadata(GgufValueType.STRING, null, s);
    }

    public static GgufMetadata u32(long v) {
        if (v < 0 || v > 0xFFFFFFFFL) throw new IllegalArgumentException("uint32 out of range: " + v);
        return new GgufMetadata(GgufValueType.UINT32, null, v);
    }

    public static GgufMetadata i32(int v) {
        return new GgufMetadata(GgufValueType.INT32, null, v);
    }

    public static GgufMetadata f32(float v) {
        return new GgufMetadata(GgufValueType.FLOAT32, null, v);
    }

    public static GgufMetadata bool(boolean v) {
        return new GgufMetadata(GgufValueType.BOOL, null, v);
    }

    public static GgufMetadata strings(List<String> v) {
        return new GgufMetadata(GgufValueType.ARRAY, GgufValueType.STRING, List.copyOf(v));
    }

    public static GgufMetadata i32s(List<Integer> v) {
        return new GgufMetadata(GgufValueType.ARRAY, GgufValueType.INT32, List.copyOf(v));
    }

    public static GgufMetadata f32s(List<Float> v) {
        return new GgufMetadata(GgufValueType.ARRAY, GgufValueType.FLOAT32, List.copyOf(v));
    }

    /** The value as a long (integer types). */
    public long asLong() {
        return ((Number) value).longValue();
    }

    /** The value as a String (STRING). */
    public String asString() {
        return (String) value;
    }

    /** The array elements (ARRAY). */
    public List<?> asList() {
        return (List<?>) value;
    }
}
