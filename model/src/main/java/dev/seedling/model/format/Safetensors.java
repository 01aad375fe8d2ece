package dev.seedling.model.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.model.format.internal.Json;
import dev.seedling.tensor.Half;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (Hugging Face): an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * header, then the data section. The header maps each tensor name to
 * {@code {"dtype":"F32","shape":[..],"data_offsets":[begin,end]}}, with byte offsets relative to the start of the
 * data section, plus an optional {@code "__metadata__"} object of string → string. Data is little-endian and
 * row-major; the tensors' byte ranges tile the data section with no gap or overlap.
 *
 * <p>{@link #write} stores tensors in sorted-name order, pads the header with spaces so that the data section starts
 * at a multiple of 8 bytes, and writes atomically. {@link #open} memory-maps a file and checks its header.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The largest header accepted (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    /** The metadata key of the header. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK_ELEMENTS = 1 << 16;

    /** Writes {@code tensors} as F32 (see {@link #write(Path, Map, Map, DType)}). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        write(file, tensors, metadata, DType.F32);
    }

    /**
     * Writes {@code tensors} to {@code file}, atomically (a failure leaves no file and any existing one unchanged).
     *
     * @param metadata string metadata for the header's {@code __metadata__} (omitted when empty or null)
     * @param dtype    the stored type: {@code F32}, or {@code BF16}/{@code F16} (rounded to nearest even)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, DType dtype) {
        if (!dtype.writable())
            throw new SeedlingException(file + ": cannot store float tensors as " + dtype + "; use F32, BF16 or F16");
        TreeMap<String, Tensor> sorted = new TreeMap<>(tensors);
        byte[] header = header(file, sorted, metadata, dtype);
        AtomicFiles.write(file, ch -> {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            AtomicFiles.writeFully(ch, prefix);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            byte[] chunk = new byte[CHUNK_ELEMENTS * dtype.bytes()];
            for (Tensor t : sorted.values()) writeData(ch, t, dtype, chunk);
        });
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(Path file, TreeMap<String, Tensor> tensors, Map<String, String> metadata, DType dtype) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach((k, v) -> {
                if (v == null) throw new SeedlingException(file + ": metadata value for '" + k + "' is null; metadata values are strings");
                meta.put(k, v);
            });
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA_KEY))
                throw new SeedlingException(file + ": a tensor cannot be named " + METADATA_KEY + " (the header's metadata key)");
            Tensor t = e.getValue();
            long bytes = (long) t.size() * dtype.bytes();
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", dtype.name());
            var shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = Json.compact(root);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(FileChannel ch, Tensor t, DType dtype, byte[] chunk) throws IOException {
        MemorySegment seg = MemorySegment.ofArray(chunk);
        float[] data = t.data();
        int n = t.size();
        for (int i = 0; i < n; i += CHUNK_ELEMENTS) {
            int m = Math.min(CHUNK_ELEMENTS, n - i);
            int from = t.offset() + i;
            switch (dtype) {
                case F32 -> MemorySegment.copy(data, from, seg, LE_FLOAT, 0, m);
                case BF16 -> Half.f32ToBf16(seg, 0, data, from, m);
                case F16 -> Half.f32ToF16(seg, 0, data, from, m);
                default -> throw new IllegalStateException(dtype.name());
            }
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(chunk, 0, m * dtype.bytes()));
        }
    }

    /**
     * Opens {@code file}: memory-maps it and checks the whole header (lengths, JSON, dtypes, shapes, that the byte
     * ranges tile the data section). Tensor data is read only when asked for. Close the result to unmap the file.
     */
    public static SafetensorsFile open(Path file) {
        return SafetensorsFile.open(file);
    }
}
