package dev.seedling.model.format;

/** The value types of GGUF metadata, with their ids in the file. */
public enum GgufValueType {
    UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64;

    /** The id in the file (the ordinal, as GGUF numbers them 0–12). */
    public int id() {
        return ordinal();
    }

    /** The type with id {@code id}, or null for an unknown id. */
    public static GgufValueType fromId(int id) {
        return id >= 0 && id < values().length ? values()[id] : null;
    }
}
