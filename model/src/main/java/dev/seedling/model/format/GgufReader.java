package dev.seedling.model.format;

import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal GGUF (version 2 or 3) reader: the header, the metadata, the tensor infos, and each tensor's bytes from a
 * read-only memory mapping. Every malformed input (bad magic, unknown version, truncated file, counts or lengths
 * beyond the file, unknown value types) is a one-line {@link SeedlingException} naming the file. Close it to release
 * the mapping; tensor bytes already copied out stay valid. Not thread-safe while closing.
 */
public final class GgufReader implements AutoCloseable {
    /**
     * One tensor's info.
     *
     * @param ne     dimensions, innermost first (a [rows, cols] matrix is {@code {cols, rows}})
     * @param typeId the ggml type id; {@code type} is its {@link GgufTensorType}, or null for a type Seedling does not handle
     * @param offset byte offset of the data from the start of the data section
     */
    public record TensorInfo(String name, long[] ne, int typeId, GgufTensorType type, long offset) {
        /** Number of elements. */
        public long elements() {
            long n = 1;
            for (long d : ne) n *= d;
            return n;
        }
    }

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final Map<String, GgufMetadata> metadata;
    private final Map<String, TensorInfo> tensors;
    private final long dataStart;
    private long pos;

    private GgufReader(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        if (file.byteSize() < 24) throw error("is too short to be a GGUF file (" + file.byteSize() + " bytes)");
        if (file.get(I32, 0) != GgufWriter.MAGIC) throw error("is not a GGUF file (bad magic)");
        version = file.get(I32, 4);
        if (version != 2 && version != 3)
            throw error("has GGUF version " + version + "; this reader supports versions 2 and 3");
        pos = 8;
        long tensorCount = u64("tensor count"), kvCount = u64("metadata count");
        if (tensorCount > file.byteSize() / 8 || kvCount > file.byteSize() / 8)
            throw error("declares " + tensorCount + " tensors and " + kvCount + " metadata pairs, more than fit in the file (truncated?)");
        Map<String, GgufMetadata> md = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string("metadata key");
            int type = i32("metadata type of " + key);
            md.put(key, value(type, key, true));
        }
        Map<String, TensorInfo> ts = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string("tensor name");
            int dims = i32("dimension count of " + name);
            if (dims < 1 || dims > 4) throw error("tensor " + name + " has " + dims + " dimensions (1 to 4 allowed)");
            long[] ne = new long[dims];
            for (int d = 0; d < dims; d++) {
                ne[d] = u64("dimension of " + name);
                if (ne[d] <= 0) throw error("tensor " + name + " has a non-positive dimension " + ne[d]);
            }
            int typeId = i32("type of " + name);
            long offset = u64("offset of " + name);
            ts.put(name, new TensorInfo(name, ne, typeId, GgufTensorType.fromId(typeId), offset));
        }
        long alignment = md.containsKey("general.alignment") ? md.get("general.alignment").asLong() : GgufWriter.ALIGNMENT;
        if (alignment <= 0 || Long.bitCount(alignment) != 1) throw error("has an invalid general.alignment " + alignment);
        dataStart = (pos + alignment - 1) / alignment * alignment;
        for (TensorInfo t : ts.values()) {
            if (t.type() == null) continue;
            long end;
            try {
                end = Math.addExact(Math.addExact(dataStart, t.offset()), t.type().bytes(t.elements()));
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw error("tensor " + t.name() + " has an invalid size or offset");
            }
            if (t.offset() < 0 || end > file.byteSize())
                throw error("tensor " + t.name() + " extends past the end of the file (truncated?)");
        }
        metadata = Collections.unmodifiableMap(md);
        tensors = Collections.unmodifiableMap(ts);
    }

    /** Opens and parses {@code path} (memory-mapped read-only). */
    public static GgufReader open(Path path) {
        if (Files.isDirectory(path)) throw new SeedlingException(path + " is a folder, not a GGUF file");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufReader(path, arena, seg);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new SeedlingException(path + ": no such file", e);
        } catch (IOException e) {
            arena.close();
            throw new SeedlingException(path + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    /** Metadata in file order. */
    public Map<String, GgufMetadata> metadata() {
        return metadata;
    }

    /** Tensor infos in file order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** Absolute file offset of the data section. */
    public long dataStart() {
        return dataStart;
    }

    /** A copy of tensor {@code name}'s bytes. */
    public byte[] tensorBytes(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new SeedlingException(path + ": no tensor " + name);
        if (t.type() == null) throw new SeedlingException(path + ": tensor " + name + " has ggml type " + t.typeId() + ", which Seedling does not read");
        long n = t.type().bytes(t.elements());
        if (n > Integer.MAX_VALUE - 8) throw new SeedlingException(path + ": tensor " + name + " is too large to copy into one array");
        return file.asSlice(dataStart + t.offset(), n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Tensor {@code name} as floats (F32, F16 and BF16 tensors). */
    public float[] tensorF32(String name) {
        TensorInfo t = tensors.get(name);
        byte[] b = tensorBytes(name);
        MemorySegment s = MemorySegment.ofArray(b);
        int n = Math.toIntExact(t.elements());
        float[] out = new float[n];
        switch (t.type()) {
            case F32 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat(s.get(I32, 4L * i)); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(s.get(I16, 2L * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((s.get(I16, 2L * i) & 0xFFFF) << 16); }
            default -> throw new SeedlingException(path + ": tensor " + name + " is " + t.type() + ", not a float type");
        }
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }

    // ---- parsing ----

    private SeedlingException error(String what) {
        return new SeedlingException(path + " " + what);
    }

    private void need(long n, String what) {
        if (n < 0 || pos + n > file.byteSize()) throw error("is truncated (reading " + what + " at byte " + pos + ")");
    }

    private int i32(String what) {
        need(4, what);
        int v = file.get(I32, pos);
        pos += 4;
        return v;
    }

    private long u64(String what) {
        need(8, what);
        long v = file.get(I64, pos);
        pos += 8;
        return v;
    }

    private String string(String what) {
        long len = u64(what);
        need(len, what);
        byte[] b = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error("has a " + what + " that is not valid UTF-8 at byte " + (pos - len));
        }
    }

    private Object scalar(GgufValueType t, String key) {
        return switch (t) {
            case UINT8 -> { need(1, key); yield file.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF; }
            case INT8 -> { need(1, key); yield (int) file.get(ValueLayout.JAVA_BYTE, pos++); }
            case BOOL -> { need(1, key); yield file.get(ValueLayout.JAVA_BYTE, pos++) != 0; }
            case UINT16 -> { need(2, key); int v = file.get(I16, pos) & 0xFFFF; pos += 2; yield v; }
            case INT16 -> { need(2, key); int v = file.get(I16, pos); pos += 2; yield v; }
            case UINT32 -> Integer.toUnsignedLong(i32(key));
            case INT32 -> i32(key);
            case FLOAT32 -> Float.intBitsToFloat(i32(key));
            case UINT64, INT64 -> u64(key);
            case FLOAT64 -> Double.longBitsToDouble(u64(key));
            case STRING -> string(key);
            case ARRAY -> throw error("metadata " + key + " nests arrays, which this reader does not support");
        };
    }

    private GgufMetadata value(int typeId, String key, boolean top) {
        GgufValueType t = GgufValueType.fromId(typeId);
        if (t == null) throw error("metadata " + key + " has unknown value type " + typeId);
        if (t != GgufValueType.ARRAY) return new GgufMetadata(t, null, scalar(t, key));
        GgufValueType et = GgufValueType.fromId(i32("array type of " + key));
        if (et == null || et == GgufValueType.ARRAY) throw error("metadata " + key + " has an unsupported array element type");
        long n = u64("array length of " + key);
        if (n > file.byteSize() - pos) throw error("metadata " + key + " declares " + n + " elements, more than fit in the file");
        List<Object> list = new ArrayList<>((int) Math.min(n, 1 << 20));
        for (long i = 0; i < n; i++) list.add(scalar(et, key));
        return new GgufMetadata(t, et, Collections.unmodifiableList(list));
    }
}
