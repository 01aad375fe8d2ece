package dev.seedling.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaWeights;
import dev.seedling.model.format.GgufTensorType;
import dev.seedling.model.format.GgufMetadata;
import dev.seedling.model.format.GgufReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GGUF files checked against an independent reader. {@link #main} wrote {@code golden/gguf/tiny-*.gguf} with the
 * exporter from a fixed tiny model; {@code golden/gguf/summarize.mjs} parsed each with the {@code @huggingface/gguf}
 * npm package (version pinned in {@code package.json}) into {@code tiny-*.summary.json}: every metadata key, value
 * type and value, every tensor's name, shape, type and offset, the data start and the data's SHA-256. This test
 * (1) re-exports the same model and expects the checked-in bytes exactly, and (2) expects Seedling's
 * {@link GgufReader} to read the checked-in files as the independent reader did (floats compared exactly as the
 * f32 value widened to double).
 *
 * <p>Regenerate (only when the format deliberately changes): run {@link #main} with the golden folder as argument,
 * then {@code cd model/src/test/resources/golden/gguf && npm ci && for t in q8_0 q4_0; do node summarize.mjs
 * tiny-$t.gguf > tiny-$t.summary.json; done}.
 */
class GgufGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/gguf");
    static final List<GgufTensorType> TYPES = List.of(GgufTensorType.Q8_0, GgufTensorType.Q4_0);

    @TempDir
    Path tmp;

    /** The golden folder from the module directory (Maven) or the repository root (iso-test). */
    static Path golden() {
        return Files.isDirectory(GOLDEN) ? GOLDEN : Path.of("model").resolve(GOLDEN);
    }

    /** V 320 (byte tokenizer), C 64, L 1, H 2, KV 1, F 96, untied; weights from a fixed generator. */
    static LlamaConfig config() {
        return LlamaConfig.of(320, 64, 1, 2, 1, 96, 128, false).withSpecialTokens(256, 256);
    }

    static LlamaWeights weights() {
        LlamaWeights w = LlamaWeights.zeros(config());
        SplittableRandom r = new SplittableRandom(20261127L); // fixed: the golden bytes must not follow -Dseedling.seed
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * 0.05);
        return w;
    }

    static GgufTokenizer tokenizer() {
        GgufTokenizer b = GgufTokenizer.byteTokenizer(320);
        return new GgufTokenizer(b.model(), b.pre(), b.tokens(), b.tokenTypes(), List.of("Ġ t", "h e"), b.bosId(),
                b.eosId(), b.padId(), true,
                "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}");
    }

    static void write(Path file, GgufTensorType type) {
        Map<String, dev.seedling.tensor.Tensor> hf = weights().hfTensors();
        GgufExporter.write(file, config(), hf::get, tokenizer(), type, "seedling-golden-tiny");
    }

    /** Writes the golden GGUF files into {@code args[0]}. */
    public static void main(String[] args) {
        for (GgufTensorType t : TYPES) write(Path.of(args[0]).resolve(name(t)), t);
    }

    static String name(GgufTensorType t) {
        return "tiny-" + t.name().toLowerCase() + ".gguf";
    }

    @Test
    void exporterStillWritesTheGoldenBytes() throws IOException {
        for (GgufTensorType t : TYPES) {
            Path f = tmp.resolve(name(t));
            write(f, t);
            assertThat(Files.readAllBytes(f)).as(name(t)).isEqualTo(Files.readAllBytes(golden().resolve(name(t))));
        }
    }

    @Test
    void readerAgreesWithHuggingFaceGguf() throws Exception {
        for (GgufTensorType t : TYPES) {
            Path f = golden().resolve(name(t));
            JsonNode g;
            try (InputStream in = Files.newInputStream(golden().resolve(name(t).replace(".gguf", ".summary.json")))) {
                g = new ObjectMapper().readTree(in);
            }
            try (GgufReader r = GgufReader.open(f)) {
                assertThat(r.version()).isEqualTo(g.get("version").asInt());
                assertThat(r.tensors()).hasSize(g.get("tensor_count").asInt());
                assertThat(r.metadata()).hasSize(g.get("kv_count").asInt());
                List<String> keys = new ArrayList<>();
                g.get("metadata").fieldNames().forEachRemaining(keys::add);
                assertThat(r.metadata().keySet()).containsExactlyElementsOf(keys);
                for (String key : keys) {
                    JsonNode e = g.get("metadata").get(key);
                    GgufMetadata m = r.metadata().get(key);
                    assertThat(m.type().name()).as(key).isEqualTo(e.get("type").asText());
                    if (e.has("element_type")) assertThat(m.elementType().name()).as(key).isEqualTo(e.get("element_type").asText());
                    assertValue(key, m.value(), e.get("value"));
                }
                List<GgufReader.TensorInfo> infos = new ArrayList<>(r.tensors().values());
                JsonNode gt = g.get("tensors");
                for (int i = 0; i < infos.size(); i++) {
                    GgufReader.TensorInfo ti = infos.get(i);
                    JsonNode e = gt.get(i);
                    assertThat(ti.name()).isEqualTo(e.get("name").asText());
                    long[] shape = new long[e.get("shape").size()];
                    for (int d = 0; d < shape.length; d++) shape[d] = e.get("shape").get(d).asLong();
                    assertThat(ti.ne()).as(ti.name()).containsExactly(shape);
                    assertThat(ti.typeId()).as(ti.name()).isEqualTo(e.get("type").asInt());
                    assertThat(ti.offset()).as(ti.name()).isEqualTo(e.get("offset").asLong());
                }
                assertThat(r.dataStart()).isEqualTo(g.get("tensor_data_offset").asLong());
                byte[] all = Files.readAllBytes(f);
                byte[] data = java.util.Arrays.copyOfRange(all, (int) r.dataStart(), all.length);
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)))
                        .isEqualTo(g.get("data_sha256").asText());
            }
        }
    }

    private static void assertValue(String key, Object v, JsonNode e) {
        if (v instanceof List<?> list) {
            assertThat(list).as(key).hasSize(e.size());
            for (int i = 0; i < list.size(); i++) assertValue(key + "[" + i + "]", list.get(i), e.get(i));
        } else if (v instanceof Float f) {
            assertThat((double) f).as(key).isEqualTo(e.asDouble());
        } else if (v instanceof Boolean b) {
            assertThat(b).as(key).isEqualTo(e.asBoolean());
        } else if (v instanceof String s) {
            assertThat(s).as(key).isEqualTo(e.asText());
        } else {
            assertThat(((Number) v).longValue()).as(key).isEqualTo(e.asLong());
        }
    }
}
