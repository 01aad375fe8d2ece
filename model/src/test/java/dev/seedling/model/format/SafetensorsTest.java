package dev.seedling.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.Half;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class SafetensorsTest {
    @TempDir
    Path tmp;

    private static Map<String, Tensor> randomTensors(String seedName) {
        SplittableRandom r = Seeds.rng(seedName);
        int[][] shapes = {{3, 5}, {7}, {}, {1, 1, 1}, {0, 4}, {2, 3, 4}, {1}};
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < shapes.length; i++) {
            int n = (int) Tensor.numel(shapes[i]);
            m.put("t" + (shapes.length - i) + ".weight", Tensor.of(Seeds.normal(r, n, 3), shapes[i]));
        }
        // a view into a larger array, not starting at 0
        float[] big = Seeds.normal(r, 100, 1);
        m.put("view", new Tensor(big, 37, new int[] {4, 6}));
        return m;
    }

    @Test
    void f32RoundTripIsExact() {
        Map<String, Tensor> tensors = randomTensors("SafetensorsTest.f32RoundTripIsExact");
        Path f = tmp.resolve("a.safetensors");
        Safetensors.write(f, tensors, Map.of("format", "pt", "note", "ünïcode ✓"));
        try (SafetensorsFile s = Safetensors.open(f)) {
            assertThat(s.names()).isSortedAccordingTo(String::compareTo).containsExactlyInAnyOrderElementsOf(tensors.keySet());
            assertThat(s.metadata()).isEqualTo(Map.of("format", "pt", "note", "ünïcode ✓"));
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor expected = e.getValue();
                assertThat(s.shape(e.getKey())).isEqualTo(expected.shape());
                assertThat(s.dtype(e.getKey())).isEqualTo(DType.F32);
                Tensor got = s.readF32(e.getKey());
                assertThat(got.shape()).isEqualTo(expected.shape());
                assertThat(got.toArray()).isEqualTo(expected.toArray());
                float[] store = new float[expected.size() + 9];
                Tensor dst = new Tensor(store, 9, expected.shape());
                s.readInto(e.getKey(), dst);
                assertThat(dst.toArray()).isEqualTo(expected.toArray());
                assertThat(s.raw(e.getKey()).byteSize()).isEqualTo(4L * expected.size());
            }
        }
        assertThat(listing(tmp)).containsExactly("a.safetensors");
    }

    @Test
    void emptyMetadataAndEmptyFile() throws IOException {
        Path f = tmp.resolve("e.safetensors");
        Safetensors.write(f, Map.of("x", Tensor.of(new float[] {1.5f})), Map.of());
        try (SafetensorsFile s = Safetensors.open(f)) {
            assertThat(s.metadata()).isEmpty();
            assertThat(s.readF32("x").toArray()).containsExactly(1.5f);
            assertThat(s.shape("x")).isEmpty();
        }
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).doesNotContain("__metadata__");
        Path g = tmp.resolve("none.safetensors");
        Safetensors.write(g, Map.of(), null);
        assertThat(Files.size(g)).isEqualTo(16); // 8-byte length + "{}" padded to 8
        try (SafetensorsFile s = Safetensors.open(g)) {
            assertThat(s.names()).isEmpty();
        }
    }

    @Test
    void writtenBytesFollowTheSpec() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.of(new float[] {1f, -2f, 3f}, 3));
        tensors.put("a", Tensor.of(new float[] {0.5f, 0.25f}, 2, 1));
        Path f = tmp.resolve("spec.safetensors");
        Safetensors.write(f, tensors, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        assertThat(n % 8).isZero();
        assertThat(bytes.length).isEqualTo(8 + n + 4 * 5);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{");
        String json = header.stripTrailing();
        assertThat(header.substring(json.length())).matches(" *");
        JsonNode root = new ObjectMapper().readTree(json);
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("__metadata__", "a", "b");
        assertThat(root.get("__metadata__").get("format").asText()).isEqualTo("pt");
        assertThat(root.get("a").toString()).isEqualTo("{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}");
        assertThat(root.get("b").toString()).isEqualTo("{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}");
        int data = (int) (8 + n);
        assertThat(bb.getFloat(data)).isEqualTo(0.5f);
        assertThat(bb.getFloat(data + 4)).isEqualTo(0.25f);
        assertThat(bb.getFloat(data + 8)).isEqualTo(1f);
        assertThat(bb.getFloat(data + 16)).isEqualTo(3f);
    }

    /** A file put together byte by byte: unpadded header (data not 8-aligned), BF16 and F32 tensors, metadata last. */
    @Test
    void readsAHandCraftedFile() throws IOException {
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},\"__metadata__\":{\"k\":\"v\"}}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3F80).putShort((short) 0xC000).putShort((short) 0x3F00).putShort((short) 0x4040);
        data.putFloat(1.5f).putFloat(-0.25f);
        Path f = file("hand.safetensors", header, data.array());
        try (SafetensorsFile s = Safetensors.open(f)) {
            assertThat(s.names()).containsExactly("a", "b");
            assertThat(s.dtype("a")).isEqualTo(DType.BF16);
            assertThat(s.shape("a")).containsExactly(2, 2);
            assertThat(s.readF32("a").toArray()).containsExactly(1f, -2f, 0.5f, 3f);
            assertThat(s.readF32("b").toArray()).containsExactly(1.5f, -0.25f);
            assertThat(s.metadata()).isEqualTo(Map.of("k", "v"));
        }
    }

    @Test
    void readsF16AndF64AndReportsIntegerTensors() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]},"
                + "\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[12,20]}}";
        ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0xC200).putDouble(0.125).putLong(42);
        Path f = file("mixed.safetensors", header, data.array());
        try (SafetensorsFile s = Safetensors.open(f)) {
            assertThat(s.readF32("h").toArray()).containsExactly(1f, -3f);
            assertThat(s.readF32("d").toArray()).containsExactly(0.125f);
            assertThat(s.dtype("ids")).isEqualTo(DType.I64);
            assertThatThrownBy(() -> s.readF32("ids")).isInstanceOf(SeedlingException.class)
                    .hasMessage(f + ": tensor ids has dtype I64, which cannot be read as float32 (F32, BF16, F16 and F64 can)");
        }
    }

    @Test
    void bf16AndF16WritesRoundToNearestEven() {
        Map<String, Tensor> tensors = randomTensors("SafetensorsTest.bf16AndF16WritesRoundToNearestEven");
        for (DType dtype : new DType[] {DType.BF16, DType.F16}) {
            Path f = tmp.resolve(dtype + ".safetensors");
            Safetensors.write(f, tensors, Map.of(), dtype);
            try (SafetensorsFile s = Safetensors.open(f)) {
                for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                    assertThat(s.dtype(e.getKey())).isEqualTo(dtype);
                    assertThat(s.raw(e.getKey()).byteSize()).isEqualTo(2L * e.getValue().size());
                    float[] x = e.getValue().toArray();
                    float[] expected = new float[x.length];
                    for (int i = 0; i < x.length; i++)
                        expected[i] = dtype == DType.BF16 ? Half.bf16ToF32(Half.f32ToBf16(x[i])) : Half.f16ToF32(Half.f32ToF16(x[i]));
                    assertThat(s.readF32(e.getKey()).toArray()).isEqualTo(expected);
                }
            }
        }
        assertThatThrownBy(() -> Safetensors.write(tmp.resolve("i.safetensors"), tensors, Map.of(), DType.I32))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("cannot store float tensors as I32");
        assertThat(tmp.resolve("i.safetensors")).doesNotExist();
    }

    // ---- bad input ----

    @Test
    void tooShortFilesAreRejected() throws IOException {
        for (int size : new int[] {0, 5}) {
            Path f = tmp.resolve("short" + size + ".safetensors");
            Files.write(f, new byte[size]);
            assertThatThrownBy(() -> Safetensors.open(f)).isInstanceOf(SeedlingException.class)
                    .hasMessageStartingWith(f + ": " + size + " bytes is too short for a safetensors file");
        }
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        for (long n : new long[] {1000, -1L, Long.MAX_VALUE}) {
            Path f = tmp.resolve("long.safetensors");
            ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
            Files.write(f, b.array());
            assertThatThrownBy(() -> Safetensors.open(f)).isInstanceOf(SeedlingException.class)
                    .hasMessageStartingWith(f + ": header length " + Long.toUnsignedString(n) + " is beyond the end of the file (40 bytes)");
        }
    }

    @Test
    void malformedHeadersAreRejectedWithTheFileName() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        cases.put("{\"a\":{\"dtype\":\"F32\",", "not valid JSON");
        cases.put("[1,2]   ", "does not start with '{'");
        cases.put("{" + ok + "} xx", "not valid JSON");
        cases.put("{" + ok + "," + ok + "}", "not valid JSON"); // duplicate key
        cases.put("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'a' has unknown dtype 'Q4'; known: BOOL, U8");
        cases.put("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'a' has no dtype");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "tensor 'a' has shape [-2]");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", "data_offsets must be [begin, end]");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "end before they begin");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", "must be non-negative integers");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", "reach past the data section (8 bytes)");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "span 8 bytes, but shape [3] of F32 needs 12");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", "too large");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}",
                "tensors 'a' and 'b' overlap");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "bytes 0..4 of the data section belong to no tensor");
        cases.put("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "the last 4 bytes of the file belong to no tensor");
        cases.put("{\"__metadata__\":{\"k\":1}," + ok + "}", "metadata 'k' is 1; metadata values must be strings");
        cases.put("{\"a\":[1]}", "tensor 'a' is [1]");
        int i = 0;
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path f = file("bad" + i++ + ".safetensors", e.getKey(), new byte[8]);
            assertThatThrownBy(() -> Safetensors.open(f)).as(e.getKey()).isInstanceOf(SeedlingException.class)
                    .hasMessageStartingWith(f.toString()).hasMessageContaining(e.getValue());
        }
    }

    @Test
    void missingTensorListsSomePresentNames() {
        Path f = tmp.resolve("m.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (String n : new String[] {"model.norm.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.gate_proj.weight",
                "model.embed_tokens.weight", "lm_head.weight"})
            t.put(n, Tensor.zeros(2));
        Safetensors.write(f, t, Map.of());
        try (SafetensorsFile s = Safetensors.open(f)) {
            assertThatThrownBy(() -> s.readF32("model.layers.0.mlp.down_proj.weight")).isInstanceOf(SeedlingException.class)
                    .hasMessage(f + ": no tensor named 'model.layers.0.mlp.down_proj.weight' (it has 5, e.g. "
                            + "model.layers.0.mlp.gate_proj.weight, model.layers.0.mlp.up_proj.weight, model.embed_tokens.weight)");
            assertThatThrownBy(() -> s.shape("x")).isInstanceOf(SeedlingException.class).hasMessageContaining("no tensor named 'x'");
            assertThat(s.contains("x")).isFalse();
        }
    }

    @Test
    void readIntoChecksTheShape() {
        Path f = tmp.resolve("q.safetensors");
        String name = "model.layers.0.self_attn.q_proj.weight";
        Safetensors.write(f, Map.of(name, Tensor.zeros(256, 128)), Map.of());
        try (SafetensorsFile s = Safetensors.open(f)) {
            Tensor dst = Tensor.zeros(256, 256);
            dst.fill(7f);
            assertThatThrownBy(() -> s.readInto(name, dst)).isInstanceOf(SeedlingException.class)
                    .hasMessage(f + ": tensor " + name + " has shape [256, 128], expected [256, 256]");
            assertThat(dst.get(0)).isEqualTo(7f);
        }
    }

    @Test
    void missingFileAndFolderAreRejected() {
        Path f = tmp.resolve("nope.safetensors");
        assertThatThrownBy(() -> Safetensors.open(f)).isInstanceOf(SeedlingException.class).hasMessage(f + ": no such file");
        assertThatThrownBy(() -> Safetensors.open(tmp)).isInstanceOf(SeedlingException.class)
                .hasMessage(tmp + " is a folder, not a safetensors file");
    }

    @Test
    void aFileShrinkingWhileOpenIsAnErrorNotACrash() throws IOException {
        Path f = tmp.resolve("shrink.safetensors");
        Safetensors.write(f, Map.of("w", Tensor.zeros(64, 1024)), Map.of());
        try (SafetensorsFile s = Safetensors.open(f)) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(100);
            }
            assertThatThrownBy(() -> s.readF32("w")).isInstanceOf(SeedlingException.class)
                    .hasMessageStartingWith(f + ": the file changed or shrank while it was open");
        }
    }

    @Test
    void closingTwiceIsFineAndReadingAfterCloseFails() {
        Path f = tmp.resolve("c.safetensors");
        Safetensors.write(f, Map.of("w", Tensor.zeros(3)), Map.of());
        SafetensorsFile s = Safetensors.open(f);
        s.close();
        s.close();
        assertThatThrownBy(() -> s.readF32("w")).isInstanceOf(IllegalStateException.class);
    }

    // ---- atomic writes ----

    @Test
    void aFailedWriteLeavesNoFileAndKeepsTheOldOne() throws IOException {
        Path f = tmp.resolve("keep.safetensors");
        Safetensors.write(f, Map.of("w", Tensor.of(new float[] {1f, 2f}, 2)), Map.of());
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> Safetensors.write(f, Map.of("__metadata__", Tensor.zeros(2)), Map.of()))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("cannot be named __metadata__");
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> Safetensors.write(f, Map.of("w", Tensor.zeros(2)), nullValue))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("metadata value for 'k' is null");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        // a failure after the data is written (the target is a non-empty folder, so the final rename fails)
        Path dir = tmp.resolve("dir.safetensors");
        Files.createDirectories(dir.resolve("inside"));
        assertThatThrownBy(() -> Safetensors.write(dir, Map.of("w", Tensor.zeros(1000)), Map.of()))
                .isInstanceOf(SeedlingException.class).hasMessageStartingWith("cannot write " + dir);
        assertThat(listing(tmp)).containsExactlyInAnyOrder("keep.safetensors", "dir.safetensors");
        assertThat(listing(dir)).containsExactly("inside");
        // a successful write replaces the old file
        Safetensors.write(f, Map.of("v", Tensor.zeros(1)), Map.of());
        try (SafetensorsFile s = Safetensors.open(f)) {
            assertThat(s.names()).containsExactly("v");
        }
    }

    @Test
    void largeTensorsAreWrittenInChunks() {
        SplittableRandom r = Seeds.rng("SafetensorsTest.largeTensorsAreWrittenInChunks");
        Tensor big = Tensor.of(Seeds.uniform(r, 3 * 65536 + 17, 1), 3 * 65536 + 17);
        Path f = tmp.resolve("big.safetensors");
        Safetensors.write(f, Map.of("big", big), Map.of(), DType.BF16);
        try (SafetensorsFile s = Safetensors.open(f)) {
            float[] got = s.readF32("big").toArray();
            for (int i = 0; i < got.length; i += 4099)
                assertThat(got[i]).isEqualTo(Half.bf16ToF32(Half.f32ToBf16(big.get(i))));
            assertThat(got[got.length - 1]).isEqualTo(Half.bf16ToF32(Half.f32ToBf16(big.get(got.length - 1))));
        }
    }

    private Path file(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        Path f = tmp.resolve(name);
        Files.write(f, out.toByteArray());
        return f;
    }

    static List<String> listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            for (Iterator<Path> it = s.iterator(); it.hasNext(); ) names.add(it.next().getFileName().toString());
            return names;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
