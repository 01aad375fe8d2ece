package dev.seedling.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.model.format.internal.Json;
import dev.seedling.tensor.Half;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An open, memory-mapped safetensors file (see {@link Safetensors} for the format). The header is checked when the
 * file is opened; tensor data stays in the page cache until a tensor is read ({@link #readF32}, {@link #readInto}),
 * which converts it to float32 in one pass. The mapping lives in a shared {@link Arena} owned by this object:
 * reading from several threads at once is fine, reading after {@link #close()} is an {@link IllegalStateException}.
 */
public final class SafetensorsFile implements TensorSource {
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One tensor of the header; {@code begin}/{@code end} are absolute file offsets. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        long numel() {
            return Tensor.numel(shape);
        }
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final Map<String, Entry> entries; // in storage order
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, MemorySegment file, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.entries = entries;
        this.metadata = metadata;
    }

    static SafetensorsFile open(Path path) {
        if (Files.isDirectory(path))
            throw new SeedlingException(path + " is a folder, not a safetensors file");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < 8)
                    throw new SeedlingException(path + ": " + size + " bytes is too short for a safetensors file (it starts with"
                            + " an 8-byte header length); the file is truncated or not safetensors");
                seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            }
            SafetensorsFile f = parse(path, arena, seg);
            arena = null; // owned by f now
            return f;
        } catch (NoSuchFileException e) {
            throw new SeedlingException(path + ": no such file", e);
        } catch (IOException e) {
            throw new SeedlingException(path + ": cannot open (" + e + ")", e);
        } catch (InternalError e) {
            throw changedWhileReading(path, e);
        } finally {
            if (arena != null) arena.close();
        }
    }

    private static SafetensorsFile parse(Path path, Arena arena, MemorySegment seg) {
        long size = seg.byteSize();
        long headerLength = seg.get(LE_LONG, 0);
        if (headerLength < 0 || headerLength > size - 8)
            throw new SeedlingException(path + ": header length " + Long.toUnsignedString(headerLength)
                    + " is beyond the end of the file (" + size + " bytes); the file is truncated or not safetensors");
        if (headerLength > Safetensors.MAX_HEADER_BYTES)
            throw new SeedlingException(path + ": header length " + headerLength + " exceeds the "
                    + Safetensors.MAX_HEADER_BYTES + "-byte limit; the file is damaged or not safetensors");
        if (headerLength < 2 || seg.get(ValueLayout.JAVA_BYTE, 8) != '{')
            throw new SeedlingException(path + ": the header does not start with '{'; the file is damaged or not safetensors");
        byte[] headerBytes = seg.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root = Json.parse(headerBytes, path + " (safetensors header)");
        if (!root.isObject())
            throw new SeedlingException(path + ": the header is not a JSON object");
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode v = field.getValue();
            if (name.equals(Safetensors.METADATA_KEY)) {
                if (v.isNull()) continue;
                if (!v.isObject()) throw new SeedlingException(path + ": " + Safetensors.METADATA_KEY + " must be an object of strings");
                for (Map.Entry<String, JsonNode> m : v.properties()) {
                    if (!m.getValue().isTextual())
                        throw new SeedlingException(path + ": metadata '" + m.getKey() + "' is " + m.getValue() + "; metadata values must be strings");
                    metadata.put(m.getKey(), m.getValue().textValue());
                }
                continue;
            }
            list.add(entry(path, name, v, dataStart, dataLength));
        }
        checkTiling(path, list, dataStart, dataLength);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Entry e : list) entries.put(e.name(), e);
        return new SafetensorsFile(path, arena, seg, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    private static Entry entry(Path path, String name, JsonNode v, long dataStart, long dataLength) {
        String where = path + ": tensor '" + name + "'";
        if (!v.isObject()) throw new SeedlingException(where + " is " + v + ", expected {dtype, shape, data_offsets}");
        JsonNode dtypeNode = v.get("dtype"), shapeNode = v.get("shape"), offsetsNode = v.get("data_offsets");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw new SeedlingException(where + " has no dtype");
        DType dtype = DType.fromSafetensorsName(dtypeNode.textValue());
        if (dtype == null)
            throw new SeedlingException(where + " has unknown dtype '" + dtypeNode.textValue() + "'; known: "
                    + Arrays.stream(DType.values()).map(Enum::name).collect(Collectors.joining(", ")));
        if (shapeNode == null || !shapeNode.isArray()) throw new SeedlingException(where + " has no shape list");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0)
                throw new SeedlingException(where + " has shape " + shapeNode + "; dimensions must be integers in [0, 2^31)");
            shape[i] = d.intValue();
        }
        if (offsetsNode == null || !offsetsNode.isArray() || offsetsNode.size() != 2)
            throw new SeedlingException(where + ": data_offsets must be [begin, end], got " + offsetsNode);
        for (JsonNode o : offsetsNode)
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0)
                throw new SeedlingException(where + ": data_offsets " + offsetsNode + " must be non-negative integers");
        long begin = offsetsNode.get(0).longValue(), end = offsetsNode.get(1).longValue();
        if (begin > end)
            throw new SeedlingException(where + ": data_offsets " + offsetsNode + " end before they begin");
        if (end > dataLength)
            throw new SeedlingException(where + ": data_offsets " + offsetsNode + " reach past the data section ("
                    + dataLength + " bytes); the file is truncated or damaged");
        long expected;
        try {
            expected = Math.multiplyExact(Tensor.numel(shape) == 0 ? 0 : checkedNumel(shape), (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw new SeedlingException(where + " has shape " + Arrays.toString(shape) + ", too large for any file");
        }
        if (end - begin != expected)
            throw new SeedlingException(where + ": data_offsets " + offsetsNode + " span " + (end - begin) + " bytes, but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        return new Entry(name, dtype, shape, dataStart + begin, dataStart + end);
    }

    private static long checkedNumel(int[] shape) {
        long n = 1;
        for (int d : shape) n = Math.multiplyExact(n, (long) d);
        return n;
    }

    /** The byte ranges must cover the data section exactly: no overlap, no gap, nothing after the last tensor. */
    private static void checkTiling(Path path, List<Entry> list, long dataStart, long dataLength) {
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = dataStart;
        Entry previous = null;
        for (Entry e : list) {
            if (e.begin() < cursor)
                throw new SeedlingException(path + ": tensors '" + previous.name() + "' and '" + e.name()
                        + "' overlap in the data section; the file is damaged");
            if (e.begin() > cursor)
                throw new SeedlingException(path + ": bytes " + (cursor - dataStart) + ".." + (e.begin() - dataStart)
                        + " of the data section belong to no tensor; the file is damaged or not written by a safetensors writer");
            cursor = e.end();
            previous = e;
        }
        if (cursor != dataStart + dataLength)
            throw new SeedlingException(path + ": the last " + (dataStart + dataLength - cursor)
                    + " bytes of the file belong to no tensor; the file is damaged or has trailing data");
    }

    private static SeedlingException changedWhileReading(Path path, Throwable e) {
        return new SeedlingException(path + ": the file changed or shrank while it was open (" + e.getMessage()
                + "); do not modify a model while it is being read", e);
    }

    // ---- queries ----

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    @Override
    public int[] shape(String name) {
        return require(name).shape().clone();
    }

    @Override
    public DType dtype(String name) {
        return require(name).dtype();
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The size of the file's data section plus header, in bytes. */
    public long byteSize() {
        return file.byteSize();
    }

    /**
     * The stored bytes of tensor {@code name} (little-endian, row-major, of {@link #dtype}), as a read-only view of
     * the mapping: no copy, valid until {@link #close()}.
     */
    public MemorySegment raw(String name) {
        Entry e = require(name);
        return file.asSlice(e.begin(), e.end() - e.begin()).asReadOnly();
    }

    // ---- reading ----

    @Override
    public Tensor readF32(String name) {
        Entry e = require(name);
        checkReadable(e);
        long n = e.numel();
        if (n > Integer.MAX_VALUE - 8)
            throw new SeedlingException(path + ": tensor '" + name + "' has " + n + " elements, more than one tensor can hold");
        float[] out = new float[(int) n];
        convert(e, out, 0, (int) n);
        return new Tensor(out, 0, e.shape());
    }

    @Override
    public void readInto(String name, Tensor dst) {
        Entry e = require(name);
        if (!Arrays.equals(e.shape(), dst.shape()))
            throw new SeedlingException(path + ": tensor " + name + " has shape " + Arrays.toString(e.shape()) + ", expected "
                    + Arrays.toString(dst.shape()));
        checkReadable(e);
        convert(e, dst.data(), dst.offset(), dst.size());
    }

    private void checkReadable(Entry e) {
        if (!e.dtype().readableAsF32())
            throw new SeedlingException(path + ": tensor " + e.name() + " has dtype " + e.dtype()
                    + ", which cannot be read as float32 (F32, BF16, F16 and F64 can)");
    }

    private void convert(Entry e, float[] out, int off, int n) {
        long at = e.begin();
        try {
            switch (e.dtype()) {
                case F32 -> MemorySegment.copy(file, LE_FLOAT, at, out, off, n);
                case BF16 -> Half.bf16ToF32(out, off, file, at, n);
                case F16 -> Half.f16ToF32(out, off, file, at, n);
                case F64 -> {
                    for (int i = 0; i < n; i++) out[off + i] = (float) file.get(LE_DOUBLE, at + 8L * i);
                }
                default -> throw new IllegalStateException(e.dtype().name());
            }
        } catch (InternalError err) {
            throw changedWhileReading(path, err);
        }
    }

    private Entry require(String name) {
        Entry e = entries.get(name);
        if (e != null) return e;
        List<String> near = new ArrayList<>(entries.keySet());
        near.sort(Comparator.comparingInt((String s) -> -commonPrefix(s, name)).thenComparing(Comparator.naturalOrder()));
        String examples = near.isEmpty() ? "it has no tensors"
                : "it has " + near.size() + ", e.g. " + String.join(", ", near.subList(0, Math.min(3, near.size())));
        throw new SeedlingException(path + ": no tensor named '" + name + "' (" + examples + ")");
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length()), i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) i++;
        return i;
    }

    /** Unmaps the file. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + entries.size() + " tensors]";
    }
}
