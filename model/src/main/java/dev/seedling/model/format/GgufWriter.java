package dev.seedling.model.format;

import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes a GGUF version 3 file, the format llama.cpp and Ollama load: the magic {@code "GGUF"}, the version, the
 * tensor and metadata counts, the metadata key/value pairs, the tensor infos (name, dimensions innermost first,
 * ggml type, offset), padding to {@link #ALIGNMENT}, then each tensor's bytes at its aligned offset. Little-endian.
 *
 * <p>Collect metadata with {@link #put} and tensors with {@link #addTensor}, then {@link #write} once; tensor bytes
 * are produced one tensor at a time during the write (so a large model is never held twice), and the file appears
 * atomically (temp file, fsync, rename) — on any failure an existing file is left as it was. Not thread-safe.
 */
public final class GgufWriter {
    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    public static final int VERSION = 3;
    /** The data alignment (GGUF's default; {@code general.alignment} is not written). */
    public static final int ALIGNMENT = 32;

    private record PendingTensor(String name, GgufTensorType type, long[] ne, long bytes, Supplier<byte[]> data) {}

    private final Map<String, GgufMetadata> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();

    /** Adds (or replaces) metadata {@code key}; pairs are written in insertion order. */
    public GgufWriter put(String key, GgufMetadata value) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("empty GGUF metadata key");
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a tensor.
     *
     * @param ne   its dimensions in ggml order, innermost (contiguous) first: a PyTorch [rows, cols] weight is
     *             {@code {cols, rows}}
     * @param data produces the tensor's bytes (exactly {@code type.bytes(∏ne)}) when the writer reaches it
     */
    public GgufWriter addTensor(String name, GgufTensorType type, long[] ne, Supplier<byte[]> data) {
        long n = 1;
        for (long d : ne) {
            if (d <= 0) throw new IllegalArgumentException("tensor " + name + " has a non-positive dimension " + Arrays.toString(ne));
            n = Math.multiplyExact(n, d);
        }
        if (ne.length == 0 || ne.length > 4) throw new IllegalArgumentException("tensor " + name + " must have 1 to 4 dimensions");
        if (ne[0] % type.blockSize() != 0)
            throw new SeedlingException("tensor " + name + ": " + type + " needs rows of a multiple of " + type.blockSize()
                    + " values, got " + ne[0] + "; export this model as f32 or f16");
        for (PendingTensor t : tensors)
            if (t.name.equals(name)) throw new IllegalArgumentException("tensor " + name + " added twice");
        tensors.add(new PendingTensor(name, type, ne.clone(), type.bytes(n), data));
        return this;
    }

    /** Writes the file atomically; throws a one-line {@link SeedlingException} naming the file on failure. */
    public void write(Path file) {
        try {
            AtomicFiles.write(file, this::writeTo);
        } catch (SeedlingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SeedlingException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeTo(FileChannel ch) throws IOException {
        Out out = new Out(ch);
        out.u32(MAGIC);
        out.u32(VERSION);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufMetadata> e : metadata.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            value(out, e.getValue().type(), e.getValue().elementType(), e.getValue().value(), e.getKey());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            out.string(t.name);
            out.u32(t.ne.length);
            for (long d : t.ne) out.u64(d);
            out.u32(t.type.id());
            out.u64(offset);
            offset = align(offset + t.bytes);
        }
        out.pad(align(out.position) - out.position);
        long dataStart = out.position;
        for (PendingTensor t : tensors) {
            byte[] bytes = t.data.get();
            if (bytes.length != t.bytes)
                throw new IllegalStateException("tensor " + t.name + ": " + bytes.length + " bytes given, " + t.bytes + " expected");
            out.bytes(bytes);
            out.pad(align(out.position - dataStart) - (out.position - dataStart));
        }
        out.flush();
    }

    private static void value(Out out, GgufValueType type, GgufValueType elementType, Object v, String key) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.u8(((Number) v).intValue());
            case UINT16, INT16 -> out.u16(((Number) v).intValue());
            case UINT32, INT32 -> out.u32(((Number) v).intValue());
            case UINT64, INT64 -> out.u64(((Number) v).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case BOOL -> out.u8((Boolean) v ? 1 : 0);
            case STRING -> out.string((String) v);
            case ARRAY -> {
                if (elementType == null || elementType == GgufValueType.ARRAY)
                    throw new IllegalArgumentException("metadata " + key + ": arrays of arrays are not supported");
                List<?> list = (List<?>) v;
                out.u32(elementType.id());
                out.u64(list.size());
                for (Object e : list) value(out, elementType, null, e, key);
            }
        }
    }

    static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A little-endian buffered writer over the channel. */
    private static final class Out {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        long position;

        Out(FileChannel ch) {
            this.ch = ch;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) flush();
        }

        void u8(int v) throws IOException {
            room(1);
            buf.put((byte) v);
            position += 1;
        }

        void u16(int v) throws IOException {
            room(2);
            buf.putShort((short) v);
            position += 2;
        }

        void u32(int v) throws IOException {
            room(4);
            buf.putInt(v);
            position += 4;
        }

        void u64(long v) throws IOException {
            room(8);
            buf.putLong(v);
            position += 8;
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void bytes(byte[] b) throws IOException {
            int off = 0;
            while (off < b.length) {
                room(1);
                int n = Math.min(buf.remaining(), b.length - off);
                buf.put(b, off, n);
                off += n;
            }
            position += b.length;
        }

        void pad(long n) throws IOException {
            for (long i = 0; i < n; i++) u8(0);
        }

        void flush() throws IOException {
            buf.flip();
            AtomicFiles.writeFully(ch, buf);
            buf.clear();
        }
    }
}
