package dev.seedling.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.model.format.DType;
import dev.seedling.model.format.ModelDir;
import dev.seedling.model.format.Safetensors;
import dev.seedling.model.infer.InferenceModel;
import dev.seedling.model.infer.KvCache;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tape;
import dev.seedling.tensor.Tensor;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.Tolerance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Llama family beyond plain Llama: Qwen2 (q/k/v biases), Qwen3 (q/k norms), Mistral, rope_scaling (llama3,
 * linear), each saved as a Hugging Face directory with its tensor names, loaded back and run by the inference engine,
 * against the double-precision {@link ReferenceLlama}; bf16 and sharded storage. Tolerance for float32 engine vs
 * double reference: 2e-5 absolute + 2e-4 relative (as LlamaModelTest).
 */
class LlamaFamilyTest {
    @TempDir
    Path tmp;

    // V 29, C 16, L 2, H 4, KV 2, F 24, 32 positions; head dim 4 (8 for Qwen3, explicit)
    static LlamaConfig base(String arch) {
        LlamaConfig c = LlamaConfig.of(29, 16, 2, 4, 2, 24, 32, false).withArchitecture(arch);
        if (arch.equals(LlamaConfig.QWEN3))
            c = new LlamaConfig(16, 24, 4, 2, 2, 29, 1e-6, 1e6, 32, true, 8, null, List.of(), 0.02, "silu",
                    LlamaConfig.QWEN3, null, null);
        return c;
    }

    static LlamaWeights random(LlamaConfig c, String seed) {
        LlamaWeights w = LlamaWeights.zeros(c);
        SplittableRandom r = Seeds.rng(seed);
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((r.nextDouble() * 2 - 1) * 0.5);
        return w;
    }

    static final int[] TOKENS = {3, 17, 28, 0, 5, 5, 12, 9, 21, 1, 14};

    /** All-position logits of the engine loaded from {@code dir}. */
    static float[] engineLogits(InferenceModel m, int[] tokens) {
        int V = m.config().vocabSize(), T = tokens.length;
        KvCache cache = m.newCache(1, T);
        int[] rows = new int[T];
        for (int i = 0; i < T; i++) rows[i] = i;
        float[] out = new float[T * V];
        m.forward(cache, 1, new int[] {0}, new int[] {T}, tokens, 0, rows, T, out);
        return out;
    }

    private Path save(LlamaWeights w, String name, DType dtype) {
        Path dir = tmp.resolve(name);
        LlamaModel.of(w, false).save(dir, null, dtype);
        return dir;
    }

    @Test
    void qwen2BiasesMatchTheReference() throws IOException {
        LlamaConfig c = base(LlamaConfig.QWEN2);
        LlamaWeights w = random(c, "qwen2");
        Path dir = save(w, "qwen2", DType.F32);
        try (var loaded = ModelDir.load(dir)) {
            assertThat(loaded.weights().names()).contains("model.layers.1.self_attn.q_proj.bias",
                    "model.layers.0.self_attn.k_proj.bias", "model.layers.0.self_attn.v_proj.bias");
            assertThat(loaded.config()).isEqualTo(c);
        }
        JsonNode cfg = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(cfg.get("architectures").toString()).isEqualTo("[\"Qwen2ForCausalLM\"]");
        assertThat(cfg.get("model_type").asText()).isEqualTo("qwen2");
        InferenceModel m = InferenceModel.load(dir);
        Tolerance.assertClose("qwen2 logits", ReferenceLlama.logits(w, TOKENS, 1, TOKENS.length), engineLogits(m, TOKENS), 2e-5, 2e-4);
        // the biases matter: zeroing them changes the logits
        LlamaWeights nb = random(c, "qwen2");
        for (int l = 0; l < c.numHiddenLayers(); l++) nb.layer(l).bqkv().fill(0f);
        assertThat(engineLogits(InferenceModel.of(nb), TOKENS)).isNotEqualTo(engineLogits(m, TOKENS));
        assertThatThrownBy(() -> LlamaModel.of(w, false).forward(Tape.inference(), TOKENS, 0, 1, 4))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("does not support Qwen2ForCausalLM (q/k/v biases)");
    }

    @Test
    void qwen3QkNormsMatchTheReference() {
        LlamaConfig c = base(LlamaConfig.QWEN3);
        LlamaWeights w = random(c, "qwen3");
        Path dir = save(w, "qwen3", DType.F32);
        try (var loaded = ModelDir.load(dir)) {
            assertThat(loaded.weights().names()).contains("model.layers.0.self_attn.q_norm.weight", "model.layers.1.self_attn.k_norm.weight")
                    .doesNotContain("model.layers.0.self_attn.q_proj.bias", "lm_head.weight");
            assertThat(loaded.weights().shape("model.layers.0.self_attn.q_norm.weight")).containsExactly(8);
        }
        InferenceModel m = InferenceModel.load(dir);
        assertThat(m.config().headDim()).isEqualTo(8);
        Tolerance.assertClose("qwen3 logits", ReferenceLlama.logits(w, TOKENS, 1, TOKENS.length), engineLogits(m, TOKENS), 2e-5, 2e-4);
        assertThatThrownBy(() -> LlamaModel.of(w, false).forward(Tape.inference(), TOKENS, 0, 1, 4))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("q/k norms");
    }

    @Test
    void ropeScalingMatchesTheReferenceInTheEngineAndTheTrainingForward() {
        for (LlamaConfig.RopeScaling rs : List.of(LlamaConfig.RopeScaling.linear(2.5),
                LlamaConfig.RopeScaling.llama3(8, 1, 4, 16))) {
            LlamaConfig c = base(LlamaConfig.ARCHITECTURE).withRopeScaling(rs);
            LlamaWeights w = random(c, "rope-" + rs.type());
            Path dir = save(w, "rope-" + rs.type(), DType.F32);
            InferenceModel m = InferenceModel.load(dir);
            assertThat(m.config().ropeScaling()).isEqualTo(rs);
            double[] ref = ReferenceLlama.logits(w, TOKENS, 1, TOKENS.length);
            Tolerance.assertClose("engine " + rs.type(), ref, engineLogits(m, TOKENS), 2e-5, 2e-4);
            float[] tape = LlamaModel.of(w, false).forward(Tape.inference(), TOKENS, 0, 1, TOKENS.length).value().toArray();
            Tolerance.assertClose("training forward " + rs.type(), ref, tape, 2e-5, 2e-4);
        }
    }

    @Test
    void ropeScalingFrequenciesFollowTheFormulas() {
        // theta 500000, D 8: plain inverse frequencies 500000^(-i/4), i = 0..3
        LlamaConfig c = new LlamaConfig(32, 24, 4, 2, 1, 29, 1e-5, 500000, 64, false, 8, null, List.of(), 0.02, "silu",
                LlamaConfig.ARCHITECTURE, null, null);
        double[] plain = c.ropeInverseFrequencies();
        for (int i = 0; i < 4; i++) assertThat(plain[i]).isCloseTo(Math.pow(500000, -i / 4.0), org.assertj.core.data.Offset.offset(1e-15));
        double[] lin = c.withRopeScaling(LlamaConfig.RopeScaling.linear(4)).ropeInverseFrequencies();
        for (int i = 0; i < 4; i++) assertThat(lin[i]).isCloseTo(plain[i] / 4, org.assertj.core.data.Offset.offset(1e-15));
        // llama3, factor 8, low 1, high 4, original 8192: wavelengths 2π/f = 6.28, 167, 4443, 118,000 against the
        // high-frequency bound 8192/4 = 2048 and the low-frequency bound 8192/1 = 8192
        double[] l3 = c.withRopeScaling(LlamaConfig.RopeScaling.llama3(8, 1, 4, 8192)).ropeInverseFrequencies();
        assertThat(l3[0]).isEqualTo(plain[0]);                 // short wavelength: kept
        assertThat(l3[1]).isEqualTo(plain[1]);
        double smooth = (8192 / (2 * Math.PI / plain[2]) - 1) / (4 - 1);  // medium: blend
        assertThat(smooth).isBetween(0.28, 0.29);
        assertThat(l3[2]).isCloseTo((1 - smooth) * plain[2] / 8 + smooth * plain[2], org.assertj.core.data.Offset.offset(1e-18));
        assertThat(l3[3]).isCloseTo(plain[3] / 8, org.assertj.core.data.Offset.offset(1e-18)); // long wavelength: ÷ factor
    }

    @Test
    void mistralWithASlidingWindowLimitsTheContext() throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, """
                {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 16, "intermediate_size": 24,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 29,
                 "max_position_embeddings": 32, "sliding_window": 12, "rope_theta": 10000.0}
                """);
        LlamaConfig c = LlamaConfig.read(f);
        assertThat(c.architecture()).isEqualTo(LlamaConfig.MISTRAL);
        assertThat(c.slidingWindow()).isEqualTo(12);
        assertThat(c.contextLength()).isEqualTo(12);
        Path g = tmp.resolve("again.json");
        c.write(g);
        assertThat(LlamaConfig.read(g)).isEqualTo(c);
        LlamaWeights w = random(c, "mistral");
        InferenceModel m = InferenceModel.of(w);
        Tolerance.assertClose("mistral logits", ReferenceLlama.logits(w, TOKENS, 1, TOKENS.length), engineLogits(m, TOKENS), 2e-5, 2e-4);
        assertThatThrownBy(() -> m.newCache(1, 13)).isInstanceOf(SeedlingException.class).hasMessageContaining("context length 12");
        // a window that covers max_position_embeddings is no limit (null or >= the context)
        assertThat(c.withOverrides(Map.of("max_position_embeddings", "12")).slidingWindow()).isNull();
    }

    @Test
    void publishedConfigsOfEachArchitectureRead() throws IOException {
        Map<String, String> configs = new LinkedHashMap<>();
        // Qwen2.5-0.5B-Instruct (abridged to the keys that matter; unknown keys are ignored)
        configs.put("qwen2", """
                {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151645,
                 "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864,
                 "max_position_embeddings": 32768, "max_window_layers": 21, "model_type": "qwen2", "num_attention_heads": 14,
                 "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
                 "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.43.1",
                 "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}""");
        // Qwen3-0.6B
        configs.put("qwen3", """
                {"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 151643,
                 "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024, "initializer_range": 0.02,
                 "intermediate_size": 3072, "max_position_embeddings": 40960, "max_window_layers": 28, "model_type": "qwen3",
                 "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 8, "rms_norm_eps": 1e-06,
                 "rope_scaling": null, "rope_theta": 1000000, "sliding_window": null, "tie_word_embeddings": true,
                 "torch_dtype": "bfloat16", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}""");
        // Llama-3.2-1B
        configs.put("llama3", """
                {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000,
                 "eos_token_id": 128001, "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02,
                 "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
                 "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "pretraining_tp": 1,
                 "rms_norm_eps": 1e-05, "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                 "original_max_position_embeddings": 8192, "rope_type": "llama3"}, "rope_theta": 500000.0,
                 "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true, "vocab_size": 128256}""");
        // Mistral-7B-v0.1 (sliding window 4096 < 32768 positions)
        configs.put("mistral", """
                {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
                 "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 32768,
                 "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
                 "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "sliding_window": 4096, "tie_word_embeddings": false,
                 "torch_dtype": "bfloat16", "vocab_size": 32000}""");
        Map<String, Long> params = Map.of("qwen2", 494_032_768L, "qwen3", 596_049_920L, "llama3", 1_235_814_400L, "mistral", 7_241_732_096L);
        for (var e : configs.entrySet()) {
            Path f = tmp.resolve(e.getKey() + ".json");
            Files.writeString(f, e.getValue());
            LlamaConfig c = LlamaConfig.read(f);
            assertThat(c.parameterCount()).as(e.getKey()).isEqualTo(params.get(e.getKey()));
            Path g = tmp.resolve(e.getKey() + "-again.json");
            c.write(g);
            assertThat(LlamaConfig.read(g)).as(e.getKey() + " round trip").isEqualTo(c);
        }
        LlamaConfig l3 = LlamaConfig.read(tmp.resolve("llama3.json"));
        assertThat(l3.ropeScaling()).isEqualTo(LlamaConfig.RopeScaling.llama3(32, 1, 4, 8192));
        assertThat(LlamaConfig.read(tmp.resolve("qwen2.json")).hasQkvBias()).isTrue();
        assertThat(LlamaConfig.read(tmp.resolve("qwen2.json")).slidingWindow()).isNull();
        assertThat(LlamaConfig.read(tmp.resolve("qwen3.json")).hasQkNorm()).isTrue();
        assertThat(LlamaConfig.read(tmp.resolve("mistral.json")).contextLength()).isEqualTo(4096);
    }

    @Test
    void unsupportedFeaturesAreOneLineErrors() throws IOException {
        String base = "\"hidden_size\": 16, \"intermediate_size\": 24, \"num_attention_heads\": 4, \"num_hidden_layers\": 2, \"vocab_size\": 29";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"architectures\": [\"GPT2LMHeadModel\"], " + base + "}", "architecture GPT2LMHeadModel is not supported");
        cases.put("{\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}, " + base + "}", "rope_scaling {\"rope_type\":\"yarn\",\"factor\":4.0} is not supported");
        cases.put("{\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 4.0, \"beta\": 1}, " + base + "}", "rope_scaling key 'beta' is not supported");
        cases.put("{\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 4.0}, " + base + "}", "rope_scaling: missing low_freq_factor");
        cases.put("{\"architectures\": [\"Qwen2ForCausalLM\"], \"use_sliding_window\": true, \"sliding_window\": 8, " + base + "}", "use_sliding_window");
        cases.put("{\"architectures\": [\"Qwen3ForCausalLM\"], \"attention_bias\": true, " + base + "}", "attention_bias=true is not supported for Qwen3ForCausalLM");
        cases.put("{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"qwen2\", " + base + "}", "model_type qwen2 does not match architecture LlamaForCausalLM");
        int i = 0;
        for (var e : cases.entrySet()) {
            Path f = tmp.resolve("bad" + i++ + ".json");
            Files.writeString(f, e.getKey());
            assertThatThrownBy(() -> LlamaConfig.read(f)).as(e.getKey()).isInstanceOf(SeedlingException.class)
                    .hasMessageStartingWith(f.toString()).hasMessageContaining(e.getValue())
                    .satisfies(t -> assertThat(t.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void saveReloadIsExactInF32AndCloseInBf16() {
        LlamaConfig c = base(LlamaConfig.QWEN2);
        LlamaWeights w = random(c, "roundtrip");
        float[] original = engineLogits(InferenceModel.of(w), TOKENS);
        float[] f32 = engineLogits(InferenceModel.load(save(w, "f32", DType.F32)), TOKENS);
        assertThat(f32).containsExactly(original);
        Path bf = save(w, "bf16", DType.BF16);
        try (var loaded = ModelDir.load(bf)) {
            assertThat(loaded.weights().dtype("model.embed_tokens.weight")).isEqualTo(DType.BF16);
        }
        float[] bf16 = engineLogits(InferenceModel.load(bf), TOKENS);
        // bf16 keeps 8 mantissa bits (relative error 2^-9 per weight); through two layers of 16-wide products the
        // logits (magnitude ~1) move by a few 1e-2 at most
        Tolerance.assertClose("bf16 round trip", original, bf16, 5e-2, 5e-2);
        assertThat(bf16).isNotEqualTo(original);
    }

    @Test
    void shardedDirectoryLoadsLikeASingleFile() throws IOException {
        LlamaConfig c = base(LlamaConfig.ARCHITECTURE);
        LlamaWeights w = random(c, "sharded");
        Path single = save(w, "single", DType.F32);
        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(single.resolve("config.json"), sharded.resolve("config.json"));
        Map<String, Tensor> all = w.hfTensors(), a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder();
        for (var e : all.entrySet()) {
            boolean first = e.getKey().startsWith("model.layers.0.") || e.getKey().equals("model.embed_tokens.weight");
            (first ? a : b).put(e.getKey(), e.getValue());
            if (map.length() > 0) map.append(",\n");
            map.append("    \"").append(e.getKey()).append("\": \"model-0000").append(first ? 1 : 2).append("-of-00002.safetensors\"");
        }
        Safetensors.write(sharded.resolve("model-00001-of-00002.safetensors"), a, Map.of("format", "pt"));
        Safetensors.write(sharded.resolve("model-00002-of-00002.safetensors"), b, Map.of("format", "pt"));
        Files.writeString(sharded.resolve("model.safetensors.index.json"),
                "{\"metadata\": {\"total_size\": 1}, \"weight_map\": {\n" + map + "\n}}\n");
        assertThat(engineLogits(InferenceModel.load(sharded), TOKENS)).containsExactly(engineLogits(InferenceModel.load(single), TOKENS));
        // Seedling's own sharded save: shards of at most 3 KB, an index; saving again as one file removes them
        Path own = tmp.resolve("own");
        LlamaModel.of(w, false).save(own, null, ModelDir.SaveOptions.defaults().withMaxShardBytes(3000));
        try (var files = Files.list(own)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("model-")).count()).isGreaterThan(2);
        }
        JsonNode index = new ObjectMapper().readTree(own.resolve("model.safetensors.index.json").toFile());
        assertThat(index.get("weight_map").size()).isEqualTo(w.hfTensors().size());
        assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(4L * w.data().length);
        assertThat(engineLogits(InferenceModel.load(own), TOKENS)).containsExactly(engineLogits(InferenceModel.load(single), TOKENS));
        LlamaModel.of(w, false).save(own, null, DType.F32);
        try (var files = Files.list(own)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json", "generation_config.json", "model.safetensors");
        }
        // an index naming a shard that lacks the tensor
        Files.writeString(sharded.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"model.norm.weight\": \"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> InferenceModel.load(sharded)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("weight_map puts tensor model.norm.weight in model-00001-of-00002.safetensors, which does not hold it");
    }

    @Test
    void badModelDirectoriesAreOneLineErrors() throws IOException {
        LlamaConfig c = base(LlamaConfig.ARCHITECTURE);
        LlamaWeights w = random(c, "bad-dirs");
        Path good = save(w, "good", DType.F32);
        byte[] bytes = Files.readAllBytes(good.resolve("model.safetensors"));
        // a directory without config.json
        Path empty = Files.createDirectories(tmp.resolve("nothing"));
        Files.writeString(empty.resolve("notes.txt"), "hello");
        expectError(empty, "is not a model directory (no config.json)");
        // truncated weights
        Path truncated = copyWith(good, "truncated", java.util.Arrays.copyOf(bytes, bytes.length - 100));
        expectError(truncated, "the file is truncated or damaged");
        // header length beyond the file size
        byte[] huge = bytes.clone();
        java.nio.ByteBuffer.wrap(huge).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, bytes.length * 4L);
        expectError(copyWith(good, "header", huge), "is beyond the end of the file");
        // a tensor of the wrong shape
        Map<String, Tensor> wrong = new LinkedHashMap<>(w.hfTensors());
        wrong.put("model.norm.weight", new Tensor(new float[15], 0, new int[] {15}));
        Path shape = Files.createDirectories(tmp.resolve("shape"));
        Files.copy(good.resolve("config.json"), shape.resolve("config.json"));
        Safetensors.write(shape.resolve("model.safetensors"), wrong, Map.of());
        expectError(shape, "tensor model.norm.weight has shape [15], expected [16]");
        // a tensor of a non-float dtype: hand-made file with an I32 norm
        Path dtype = Files.createDirectories(tmp.resolve("dtype"));
        Files.copy(good.resolve("config.json"), dtype.resolve("config.json"));
        Map<String, Tensor> rest = new LinkedHashMap<>(w.hfTensors());
        rest.remove("model.norm.weight");
        Safetensors.write(dtype.resolve("model.safetensors"), rest, Map.of());
        Files.write(dtype.resolve("model.safetensors"), withIntTensor(Files.readAllBytes(dtype.resolve("model.safetensors")), "model.norm.weight", 16));
        expectError(dtype, "tensor model.norm.weight has dtype I32; model weights must be F32, BF16 or F16");
        // unknown architecture
        Path arch = copyWith(good, "arch", bytes);
        Files.writeString(arch.resolve("config.json"), Files.readString(arch.resolve("config.json")).replace("LlamaForCausalLM", "FalconForCausalLM"));
        expectError(arch, "architecture FalconForCausalLM is not supported");
    }

    private static void expectError(Path dir, String message) {
        assertThatThrownBy(() -> InferenceModel.load(dir)).as(dir.toString()).isInstanceOf(SeedlingException.class)
                .hasMessageContaining(message).satisfies(t -> assertThat(t.getMessage()).doesNotContain("\n"));
    }

    private Path copyWith(Path good, String name, byte[] weights) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.copy(good.resolve("config.json"), d.resolve("config.json"));
        Files.write(d.resolve("model.safetensors"), weights);
        return d;
    }

    /** Appends an I32 tensor of n zeros to a safetensors file's bytes (rewriting its header). */
    private static byte[] withIntTensor(byte[] file, String name, int n) throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) bb.getLong(0);
        ObjectMapper om = new ObjectMapper();
        var header = (com.fasterxml.jackson.databind.node.ObjectNode) om.readTree(new String(file, 8, headerLen, java.nio.charset.StandardCharsets.UTF_8));
        int dataLen = file.length - 8 - headerLen;
        var entry = header.putObject(name);
        entry.put("dtype", "I32");
        entry.putArray("shape").add(n);
        entry.putArray("data_offsets").add(dataLen).add(dataLen + 4L * n);
        byte[] h = om.writeValueAsBytes(header);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(file, 8 + headerLen, dataLen);
        out.write(new byte[4 * n]);
        return out.toByteArray();
    }
}
