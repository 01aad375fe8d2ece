package dev.seedling.model.format;

import static dev.seedling.model.format.SafetensorsTest.listing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.model.LlamaConfig;
import dev.seedling.tensor.Half;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class ModelDirTest {
    @TempDir
    Path tmp;

    /** V 64, C 32, L 2, H 4, KV 2, F 48. */
    private static LlamaConfig config(boolean tied) {
        return LlamaConfig.of(64, 32, 2, 4, 2, 48, 128, tied).withSpecialTokens(1, 2);
    }

    private static Map<String, Tensor> weights(LlamaConfig config, String seedName) {
        SplittableRandom r = Seeds.rng(seedName);
        Map<String, Tensor> m = new LinkedHashMap<>();
        LlamaTensorNames.shapes(config).forEach((name, shape) ->
                m.put(name, Tensor.of(Seeds.normal(r, (int) Tensor.numel(shape), 0.02), shape)));
        return m;
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        for (boolean tied : new boolean[] {false, true}) {
            LlamaConfig config = config(tied);
            Map<String, Tensor> w = weights(config, "ModelDirTest.saveAndLoadRoundTrip" + tied);
            Path dir = tmp.resolve("out/model-" + tied);
            ModelDir.save(dir, config, w, Map.of("tokenizer.json", "{\"version\": \"1.0\"}"));
            assertThat(listing(dir)).containsExactlyInAnyOrder("config.json", "model.safetensors", "generation_config.json", "tokenizer.json");
            try (ModelDir.Loaded m = ModelDir.load(dir)) {
                assertThat(m.config()).isEqualTo(config);
                assertThat(m.weights().names()).hasSize(w.size());
                assertThat(m.weights().contains("lm_head.weight")).isEqualTo(!tied);
                assertThat(m.weights().metadata()).containsEntry("format", "pt");
                for (Map.Entry<String, Tensor> e : w.entrySet()) {
                    Tensor dst = Tensor.zeros(e.getValue().shape());
                    m.weights().readInto(e.getKey(), dst);
                    assertThat(dst.toArray()).as(e.getKey()).isEqualTo(e.getValue().toArray());
                }
                Map<String, Tensor> all = new LinkedHashMap<>();
                w.forEach((k, v) -> all.put(k, Tensor.zeros(v.shape())));
                m.weights().readAllInto(all);
                assertThat(all.get("model.norm.weight").toArray()).isEqualTo(w.get("model.norm.weight").toArray());
            }
            JsonNode gen = new ObjectMapper().readTree(dir.resolve("generation_config.json").toFile());
            assertThat(gen.get("bos_token_id").asInt()).isEqualTo(1);
            assertThat(gen.get("eos_token_id").asInt()).isEqualTo(2);
        }
        assertThat(listing(tmp.resolve("out"))).containsExactlyInAnyOrder("model-false", "model-true"); // no staging left
    }

    @Test
    void bf16SaveSetsTorchDtype() throws IOException {
        LlamaConfig config = config(true);
        Map<String, Tensor> w = weights(config, "ModelDirTest.bf16SaveSetsTorchDtype");
        Path dir = tmp.resolve("bf16");
        ModelDir.save(dir, config, w, Map.of(), ModelDir.SaveOptions.defaults().withDtype(DType.BF16));
        assertThat(new ObjectMapper().readTree(dir.resolve("config.json").toFile()).get("torch_dtype").asText()).isEqualTo("bfloat16");
        try (ModelDir.Loaded m = ModelDir.load(dir)) {
            String name = "model.layers.1.mlp.down_proj.weight";
            assertThat(m.weights().dtype(name)).isEqualTo(DType.BF16);
            float[] x = w.get(name).toArray();
            float[] got = m.weights().readF32(name).toArray();
            for (int i = 0; i < x.length; i++) assertThat(got[i]).isEqualTo(Half.bf16ToF32(Half.f32ToBf16(x[i])));
        }
    }

    @Test
    void savingIntoAnUnrelatedNonEmptyFolderIsRefusedAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("docs");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        LlamaConfig config = config(false);
        Map<String, Tensor> w = weights(config, "ModelDirTest.refused");
        assertThatThrownBy(() -> ModelDir.save(dir, config, w, Map.of()))
                .isInstanceOf(SeedlingException.class)
                .hasMessageStartingWith(dir + " is not empty and is not a model directory (no config.json)");
        assertThat(listing(dir)).containsExactly("notes.txt");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("keep me");
        assertThat(listing(tmp)).containsExactly("docs");
        // with overwrite the model files are added and the other file is kept
        ModelDir.save(dir, config, w, Map.of(), ModelDir.SaveOptions.defaults().withOverwrite(true));
        assertThat(listing(dir)).containsExactlyInAnyOrder("notes.txt", "config.json", "model.safetensors", "generation_config.json");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("keep me");
        assertThat(listing(tmp)).containsExactly("docs");
    }

    @Test
    void savingOverAModelDirReplacesItsFilesAndKeepsOthers() throws IOException {
        LlamaConfig config = config(false);
        Path dir = tmp.resolve("m");
        ModelDir.save(dir, config, weights(config, "ModelDirTest.first"), Map.of("tokenizer.json", "{}"));
        Files.writeString(dir.resolve("README.md"), "my model");
        Map<String, Tensor> second = weights(config, "ModelDirTest.second");
        ModelDir.save(dir, config, second, Map.of());
        assertThat(listing(dir)).containsExactlyInAnyOrder("README.md", "tokenizer.json", "config.json", "model.safetensors",
                "generation_config.json");
        try (ModelDir.Loaded m = ModelDir.load(dir)) {
            assertThat(m.weights().readF32("model.embed_tokens.weight").toArray())
                    .isEqualTo(second.get("model.embed_tokens.weight").toArray());
        }
        // an existing empty folder is fine too
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        ModelDir.save(empty, config, second, Map.of());
        assertThat(ModelDir.isModelDir(empty)).isTrue();
        assertThat(listing(tmp)).containsExactlyInAnyOrder("m", "empty");
    }

    @Test
    void badWeightsOrExtraFilesWriteNothing() {
        LlamaConfig config = config(false);
        Path dir = tmp.resolve("never");
        Map<String, Tensor> missing = weights(config, "ModelDirTest.bad");
        missing.remove("model.layers.1.self_attn.k_proj.weight");
        assertThatThrownBy(() -> ModelDir.save(dir, config, missing, Map.of())).isInstanceOf(SeedlingException.class)
                .hasMessageStartingWith("cannot save the model to " + dir + ": weight model.layers.1.self_attn.k_proj.weight is missing");
        Map<String, Tensor> wrongShape = weights(config, "ModelDirTest.bad");
        wrongShape.put("model.layers.0.mlp.up_proj.weight", Tensor.zeros(32, 48));
        assertThatThrownBy(() -> ModelDir.save(dir, config, wrongShape, Map.of()))
                .hasMessageContaining("weight model.layers.0.mlp.up_proj.weight has shape [32, 48], expected [48, 32]");
        Map<String, Tensor> extra = weights(config, "ModelDirTest.bad");
        extra.put("model.layers.0.self_attn.q_proj.bias", Tensor.zeros(32));
        assertThatThrownBy(() -> ModelDir.save(dir, config, extra, Map.of()))
                .hasMessageContaining("weight model.layers.0.self_attn.q_proj.bias is not part of a Llama model");
        Map<String, Tensor> ok = weights(config, "ModelDirTest.bad");
        assertThatThrownBy(() -> ModelDir.save(dir, config, ok, Map.of("../evil.json", "{}")))
                .hasMessageContaining("extra file name '../evil.json' must be a plain file name");
        assertThatThrownBy(() -> ModelDir.save(dir, config, ok, Map.of("config.json", "{}")))
                .hasMessageContaining("extra file config.json would replace the one the save writes itself");
        assertThatThrownBy(() -> ModelDir.save(dir, config, ok, Map.of("tokenizer.json", "{oops")))
                .hasMessageContaining("extra file tokenizer.json: not valid JSON");
        assertThat(listing(tmp)).isEmpty();
    }

    @Test
    void loadErrorsSayWhatIsMissing() throws IOException {
        Path nowhere = tmp.resolve("nowhere");
        assertThatThrownBy(() -> ModelDir.load(nowhere)).isInstanceOf(SeedlingException.class).hasMessage(nowhere + ": no such folder");
        Path plain = tmp.resolve("plain");
        Files.createDirectories(plain);
        Files.writeString(plain.resolve("a.txt"), "x");
        assertThatThrownBy(() -> ModelDir.load(plain)).isInstanceOf(SeedlingException.class)
                .hasMessage(plain + " is not a model directory (no config.json)");
        assertThatThrownBy(() -> ModelDir.load(plain.resolve("a.txt"))).isInstanceOf(SeedlingException.class)
                .hasMessage(plain.resolve("a.txt") + " is not a model directory (it is a file)");

        LlamaConfig config = config(false);
        Path dir = tmp.resolve("model");
        ModelDir.save(dir, config, weights(config, "ModelDirTest.loadErrors"), Map.of());
        // config says 3 layers, the weights have 2
        config.withOverrides(Map.of("num_hidden_layers", "3")).write(dir.resolve("config.json"));
        assertThatThrownBy(() -> ModelDir.load(dir)).isInstanceOf(SeedlingException.class)
                .hasMessageStartingWith(dir.resolve("model.safetensors") + ": missing tensor model.layers.2.input_layernorm.weight, which "
                        + dir.resolve("config.json") + " (num_hidden_layers=3");
        // config says a wider MLP
        config.withOverrides(Map.of("intermediate_size", "64")).write(dir.resolve("config.json"));
        assertThatThrownBy(() -> ModelDir.load(dir)).isInstanceOf(SeedlingException.class)
                .hasMessage(dir.resolve("model.safetensors") + ": tensor model.layers.0.mlp.gate_proj.weight has shape [48, 32], expected [64, 32] from "
                        + dir.resolve("config.json"));
        // sharded weights, and no weights at all
        Files.delete(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> ModelDir.load(dir)).hasMessage(dir + ": no model.safetensors (or model.safetensors.index.json) next to config.json");
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{}");
        assertThatThrownBy(() -> ModelDir.load(dir)).hasMessage(dir.resolve("model.safetensors.index.json") + ": no weight_map object (tensor name -> shard file)");
    }

    @Test
    void tensorNamesFollowHfLlama() {
        LlamaConfig small = LlamaConfig.small();
        Map<String, int[]> s = LlamaTensorNames.shapes(small);
        assertThat(s).hasSize(1 + 8 * 9 + 2);
        assertThat(s.keySet().iterator().next()).isEqualTo("model.embed_tokens.weight");
        assertThat(s.get("model.embed_tokens.weight")).containsExactly(8192, 512);
        assertThat(s.get("model.layers.7.self_attn.q_proj.weight")).containsExactly(512, 512);
        assertThat(s.get("model.layers.7.self_attn.k_proj.weight")).containsExactly(256, 512);
        assertThat(s.get("model.layers.7.self_attn.v_proj.weight")).containsExactly(256, 512);
        assertThat(s.get("model.layers.7.self_attn.o_proj.weight")).containsExactly(512, 512);
        assertThat(s.get("model.layers.7.mlp.gate_proj.weight")).containsExactly(1408, 512);
        assertThat(s.get("model.layers.7.mlp.down_proj.weight")).containsExactly(512, 1408);
        assertThat(s.get("model.layers.7.post_attention_layernorm.weight")).containsExactly(512);
        assertThat(s.get("lm_head.weight")).containsExactly(8192, 512);
        assertThat(LlamaTensorNames.shapes(LlamaConfig.smollm2_135m())).doesNotContainKey("lm_head.weight");
    }
}
