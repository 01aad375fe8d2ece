package dev.seedling.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.model.format.LlamaTensorNames;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaConfigTest {
    @TempDir
    Path tmp;

    @Test
    void tinyPresetHas5_31MParameters() {
        LlamaConfig c = LlamaConfig.tiny();
        // V·C embedding + L·(2 norms + q,k,v,o (all C×C here) + gate,up,down (C×F)) + final norm + V·C lm_head
        long expected = 4096L * 256 * 2 + 4L * (2 * 256 + 4 * 256 * 256 + 3 * 256 * 704) + 256;
        assertThat(expected).isEqualTo(5_310_720L);
        assertThat(c.parameterCount()).isEqualTo(expected);
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.maxPositionEmbeddings()).isEqualTo(256);
        assertThat(c.tieWordEmbeddings()).isFalse();
    }

    @Test
    void smallAndSmolLm2PresetSizes() {
        LlamaConfig small = LlamaConfig.small();
        assertThat(small.parameterCount()).isEqualTo(31_990_272L);
        assertThat(small.keyValueDim()).isEqualTo(256);
        LlamaConfig smol = LlamaConfig.preset("smollm2-135m");
        assertThat(smol.parameterCount()).isEqualTo(134_515_008L); // the published SmolLM2-135M count
        assertThat(smol.tieWordEmbeddings()).isTrue();
        assertThat(smol.headDim()).isEqualTo(64);
        assertThat(smol.numKeyValueHeads()).isEqualTo(3);
        for (String name : LlamaConfig.PRESETS) {
            LlamaConfig c = LlamaConfig.preset(name);
            long sum = LlamaTensorNames.shapes(c).values().stream().mapToLong(Tensor::numel).sum();
            assertThat(sum).as(name).isEqualTo(c.parameterCount());
        }
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        assertThatThrownBy(() -> LlamaConfig.preset("huge"))
                .isInstanceOf(SeedlingException.class)
                .hasMessage("unknown model preset 'huge'; presets: tiny, small, smollm2-135m");
    }

    @Test
    void validationMessagesNameTheFieldAndTheReason() {
        assertThatThrownBy(() -> LlamaConfig.of(4096, 256, 4, 6, 6, 704, 256, false))
                .isInstanceOf(SeedlingException.class)
                .hasMessageStartingWith("num_attention_heads=6 does not divide hidden_size=256");
        assertThatThrownBy(() -> LlamaConfig.of(4096, 256, 4, 4, 3, 704, 256, false))
                .hasMessageStartingWith("num_key_value_heads=3 does not divide num_attention_heads=4");
        assertThatThrownBy(() -> LlamaConfig.of(4096, 0, 4, 4, 4, 704, 256, false))
                .hasMessage("hidden_size=0 must be positive");
        assertThatThrownBy(() -> LlamaConfig.of(-1, 256, 4, 4, 4, 704, 256, false))
                .hasMessage("vocab_size=-1 must be positive");
        assertThatThrownBy(() -> LlamaConfig.of(4096, 256, 0, 4, 4, 704, 256, false))
                .hasMessage("num_hidden_layers=0 must be positive");
        assertThatThrownBy(() -> LlamaConfig.of(4096, 256, 4, 4, 4, 704, 0, false))
                .hasMessage("max_position_embeddings=0 must be positive");
        assertThatThrownBy(() -> LlamaConfig.of(4096, 6, 1, 2, 2, 8, 16, false))
                .hasMessageStartingWith("head_dim=3 is odd");
        LlamaConfig t = LlamaConfig.tiny();
        assertThatThrownBy(() -> t.withOverrides(Map.of("hidden_act", "gelu")))
                .hasMessageContaining("hidden_act=gelu is not supported");
        assertThatThrownBy(() -> t.withOverrides(Map.of("rms_norm_eps", "0")))
                .hasMessageContaining("rms_norm_eps=0.0 must be a small positive number");
        assertThatThrownBy(() -> t.withOverrides(Map.of("rope_theta", "-1")))
                .hasMessageContaining("rope_theta=-1.0 must be a positive number");
        assertThatThrownBy(() -> t.withSpecialTokens(4096, 0))
                .hasMessageStartingWith("bos_token_id=4096 is outside the vocabulary [0, vocab_size=4096)");
        assertThatThrownBy(() -> t.withSpecialTokens(0, 1, -2))
                .hasMessageStartingWith("eos_token_id=-2 is outside the vocabulary");
        assertThatThrownBy(() -> LlamaConfig.of(1 << 20, 4096, 1, 32, 32, 128, 16, false))
                .hasMessageContaining("vocab_size*hidden_size");
    }

    @Test
    void explicitHeadDimNeedNotDivideHiddenSize() {
        LlamaConfig c = LlamaConfig.tiny().withOverrides(Map.of("num_attention_heads", "6", "num_key_value_heads", "2", "head_dim", "32"));
        assertThat(c.headDim()).isEqualTo(32);
        assertThat(c.queryDim()).isEqualTo(192);
        assertThat(LlamaTensorNames.shapes(c).get("model.layers.0.self_attn.o_proj.weight")).containsExactly(256, 192);
    }

    @Test
    void configJsonRoundTrips() {
        List<LlamaConfig> configs = List.of(LlamaConfig.tiny(), LlamaConfig.small(), LlamaConfig.smollm2_135m(),
                LlamaConfig.tiny().withSpecialTokens(null, 1, 2, 3),
                LlamaConfig.tiny().withSpecialTokens(5),
                LlamaConfig.tiny().withOverrides(Map.of("rms_norm_eps", "1e-6", "rope_theta", "500000",
                        "initializer_range", "0.01", "head_dim", "32", "num_attention_heads", "2", "num_key_value_heads", "1")));
        int i = 0;
        for (LlamaConfig c : configs) {
            Path f = tmp.resolve("config" + i++ + ".json");
            c.write(f);
            assertThat(LlamaConfig.read(f)).isEqualTo(c);
        }
    }

    @Test
    void writtenConfigIsAStandardHfConfig() throws IOException {
        Path f = tmp.resolve("config.json");
        LlamaConfig.tiny().write(f);
        String text = Files.readString(f);
        JsonNode j = new ObjectMapper().readTree(text);
        assertThat(j.get("architectures").toString()).isEqualTo("[\"LlamaForCausalLM\"]");
        assertThat(j.get("model_type").asText()).isEqualTo("llama");
        assertThat(j.get("torch_dtype").asText()).isEqualTo("float32");
        assertThat(j.get("hidden_act").asText()).isEqualTo("silu");
        assertThat(j.get("attention_bias").asBoolean(true)).isFalse();
        assertThat(j.get("mlp_bias").asBoolean(true)).isFalse();
        assertThat(j.get("use_cache").asBoolean()).isTrue();
        assertThat(j.get("transformers_version").asText()).isNotBlank();
        assertThat(j.get("tie_word_embeddings").asBoolean(true)).isFalse();
        assertThat(j.get("hidden_size").asInt()).isEqualTo(256);
        assertThat(j.get("intermediate_size").asInt()).isEqualTo(704);
        assertThat(j.get("num_key_value_heads").asInt()).isEqualTo(4);
        assertThat(j.get("head_dim").asInt()).isEqualTo(64);
        assertThat(j.get("rms_norm_eps").asDouble()).isEqualTo(1e-5);
        assertThat(j.get("rope_theta").asDouble()).isEqualTo(10000.0);
        assertThat(j.get("rope_scaling").isNull()).isTrue();
        assertThat(j.get("bos_token_id").asInt()).isEqualTo(0);
        assertThat(j.get("eos_token_id").asInt()).isEqualTo(0);
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isSorted();
        assertThat(text).contains("\n  \"hidden_size\": 256,\n").endsWith("}\n");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("config.json");
        }
    }

    @Test
    void readsAPublishedHfConfig() throws IOException {
        // SmolLM2-135M's config.json as published (abridged only in key order)
        String json = """
                {
                  "architectures": ["LlamaForCausalLM"],
                  "attention_bias": false,
                  "attention_dropout": 0.0,
                  "bos_token_id": 0,
                  "eos_token_id": 0,
                  "hidden_act": "silu",
                  "hidden_size": 576,
                  "initializer_range": 0.041666666666666664,
                  "intermediate_size": 1536,
                  "is_llama_config": true,
                  "max_position_embeddings": 8192,
                  "mlp_bias": false,
                  "model_type": "llama",
                  "num_attention_heads": 9,
                  "num_hidden_layers": 30,
                  "num_key_value_heads": 3,
                  "pad_token_id": null,
                  "pretraining_tp": 1,
                  "rms_norm_eps": 1e-05,
                  "rope_interleaved": false,
                  "rope_scaling": null,
                  "rope_theta": 100000,
                  "tie_word_embeddings": true,
                  "torch_dtype": "bfloat16",
                  "transformers_version": "4.42.3",
                  "use_cache": true,
                  "vocab_size": 49152
                }
                """;
        Path f = tmp.resolve("config.json");
        Files.writeString(f, json);
        LlamaConfig c = LlamaConfig.read(f);
        assertThat(c.parameterCount()).isEqualTo(134_515_008L);
        assertThat(c.ropeTheta()).isEqualTo(100000.0);
        assertThat(c.maxPositionEmbeddings()).isEqualTo(8192);
        assertThat(c.bosTokenId()).isEqualTo(0);
        assertThat(c.eosTokenIds()).containsExactly(0);
        assertThat(c.initializerRange()).isEqualTo(0.041666666666666664);
    }

    @Test
    void missingOptionalFieldsTakeTheDefaults() throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, """
                {"hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100}
                """);
        LlamaConfig c = LlamaConfig.read(f);
        assertThat(c.numKeyValueHeads()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(16);
        assertThat(c.rmsNormEps()).isEqualTo(1e-5);
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.initializerRange()).isEqualTo(0.02);
        assertThat(c.maxPositionEmbeddings()).isEqualTo(2048);
        assertThat(c.bosTokenId()).isEqualTo(1);
        assertThat(c.eosTokenIds()).containsExactly(2);
        assertThat(c.hiddenAct()).isEqualTo("silu");
        assertThat(c.tieWordEmbeddings()).isFalse();
    }

    @Test
    void readErrorsNameTheFile() throws IOException {
        String base = "\"hidden_size\": 256, \"intermediate_size\": 704, \"num_hidden_layers\": 2, \"vocab_size\": 100";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"architectures\": [\"GPT2LMHeadModel\"], \"num_attention_heads\": 4, " + base + "}",
                "architecture GPT2LMHeadModel is not supported (supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM)");
        cases.put("{\"model_type\": \"gpt2\", \"num_attention_heads\": 4, " + base + "}",
                "model_type gpt2 is not supported (supported: llama, mistral, qwen2, qwen3)");
        cases.put("{\"num_attention_heads\": 6, " + base + "}", "num_attention_heads=6 does not divide hidden_size=256");
        cases.put("{" + base + "}", "missing num_attention_heads");
        cases.put("{\"num_attention_heads\": \"4\", " + base + "}", "num_attention_heads must be an integer, got \"4\"");
        cases.put("{\"num_attention_heads\": 4, \"tie_word_embeddings\": 1, " + base + "}", "tie_word_embeddings must be true or false");
        cases.put("{\"num_attention_heads\": 4, \"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": 32.0}, " + base + "}",
                "rope_scaling {\"rope_type\":\"dynamic\",\"factor\":32.0} is not supported (types: linear, llama3)");
        cases.put("{\"num_attention_heads\": 4, \"attention_bias\": true, " + base + "}", "attention_bias=true is not supported");
        cases.put("{\"num_attention_heads\": 4, \"hidden_act\": \"gelu\", " + base + "}", "hidden_act=gelu is not supported");
        cases.put("{\"num_attention_heads\": 4, " + base, "not valid JSON");
        cases.put("[1, 2]", "expected a JSON object");
        int i = 0;
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path f = tmp.resolve("c" + i++ + ".json");
            Files.writeString(f, e.getKey());
            assertThatThrownBy(() -> LlamaConfig.read(f)).as(e.getKey())
                    .isInstanceOf(SeedlingException.class)
                    .hasMessageStartingWith(f.toString())
                    .hasMessageContaining(e.getValue());
        }
        Path missing = tmp.resolve("nope.json");
        assertThatThrownBy(() -> LlamaConfig.read(missing)).isInstanceOf(SeedlingException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void llama3StyleEosListIsRead() throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 300,
                 "bos_token_id": 256, "eos_token_id": [257, 258, 259], "rope_theta": 500000.0}
                """);
        LlamaConfig c = LlamaConfig.read(f);
        assertThat(c.eosTokenIds()).containsExactly(257, 258, 259);
        Path g = tmp.resolve("again.json");
        c.write(g);
        assertThat(LlamaConfig.read(g)).isEqualTo(c);
    }

    @Test
    void overridesReplaceFieldsAndRederiveHeadDim() {
        LlamaConfig c = LlamaConfig.tiny().withOverrides(Map.of("hidden_size", "128", "num_hidden_layers", "2",
                "rms_norm_eps", "1e-6", "tie_word_embeddings", "true", "eos_token_id", "2,3", "bos_token_id", "null"));
        assertThat(c.hiddenSize()).isEqualTo(128);
        assertThat(c.headDim()).isEqualTo(32);
        assertThat(c.numHiddenLayers()).isEqualTo(2);
        assertThat(c.rmsNormEps()).isEqualTo(1e-6);
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.eosTokenIds()).containsExactly(2, 3);
        assertThat(c.bosTokenId()).isNull();
        assertThat(c.vocabSize()).isEqualTo(4096);
        assertThat(LlamaConfig.tiny().withOverrides(Map.of())).isEqualTo(LlamaConfig.tiny());
        assertThat(LlamaConfig.tiny().withOverrides(Map.of("vocab_size", "4096"))).isEqualTo(LlamaConfig.tiny());
    }

    @Test
    void badOverridesSayWhatIsWrong() {
        LlamaConfig t = LlamaConfig.tiny();
        assertThatThrownBy(() -> t.withOverrides(Map.of("hidden", "128")))
                .isInstanceOf(SeedlingException.class)
                .hasMessageStartingWith("unknown config key 'hidden' in override hidden=128; valid keys: hidden_size, intermediate_size,")
                .hasMessageContaining("hidden_act");
        assertThatThrownBy(() -> t.withOverrides(Map.of("hidden_size", "abc")))
                .hasMessageContaining("hidden_size must be an integer, got \"abc\"");
        assertThatThrownBy(() -> t.withOverrides(Map.of("hidden_size", "99999999999")))
                .hasMessageContaining("hidden_size must be an integer");
        assertThatThrownBy(() -> t.withOverrides(Map.of("num_attention_heads", "6")))
                .hasMessageContaining("num_attention_heads=6 does not divide hidden_size=256");
        assertThatThrownBy(() -> t.withOverrides(Map.of("tie_word_embeddings", "yes")))
                .hasMessageContaining("tie_word_embeddings must be true or false");
    }

    @Test
    void generationConfigCarriesTheSpecialTokens() throws IOException {
        JsonNode j = new ObjectMapper().readTree(LlamaConfig.tiny().withSpecialTokens(1, 2, 3).generationConfigJson());
        assertThat(j.get("bos_token_id").asInt()).isEqualTo(1);
        assertThat(j.get("eos_token_id").toString()).isEqualTo("[2,3]");
        assertThat(j.get("_from_model_config").asBoolean()).isTrue();
    }
}
