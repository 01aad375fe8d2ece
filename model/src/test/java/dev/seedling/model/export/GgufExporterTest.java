package dev.seedling.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaWeights;
import dev.seedling.model.format.GgufTensorType;
import dev.seedling.model.format.GgufMetadata;
import dev.seedling.model.format.GgufReader;
import dev.seedling.model.format.GgufWriter;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.quant.F32Matrix;
import dev.seedling.tensor.quant.Q4_0Matrix;
import dev.seedling.tensor.quant.Q8_0Matrix;
import dev.seedling.testkit.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GGUF export: write → read round trips of metadata and tensor data for every type (quantised data equal to the
 * quantisers' output, q/k rows permuted as llama.cpp's converter does), atomic output and one-line errors.
 */
class GgufExporterTest {
    @TempDir
    Path dir;

    /** V 320, C 64, L 2, H 4, KV 2, F 96: every matrix row a multiple of 32. */
    static LlamaConfig config() {
        return LlamaConfig.of(320, 64, 2, 4, 2, 96, 128, false).withSpecialTokens(1, 2);
    }

    static LlamaWeights randomWeights(LlamaConfig c, String seed) {
        LlamaWeights w = LlamaWeights.zeros(c);
        SplittableRandom r = Seeds.rng(seed);
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * 0.1);
        return w;
    }

    @Test
    void roundTripOfEveryType() {
        LlamaConfig c = config();
        LlamaWeights w = randomWeights(c, "gguf-roundtrip");
        Map<String, Tensor> hf = w.hfTensors();
        GgufTokenizer tok = GgufTokenizer.byteTokenizer(320);
        for (GgufTensorType type : GgufExporter.TYPES) {
            Path out = dir.resolve("m-" + type + ".gguf");
            GgufExporter.Result res = GgufExporter.write(out, c, hf::get, tok, type, "test-model");
            assertThat(res.tensors()).isEqualTo(2 + 9 * 2 + 1);
            try (GgufReader r = GgufReader.open(out)) {
                assertThat(r.version()).isEqualTo(3);
                Map<String, GgufMetadata> md = r.metadata();
                assertThat(md.get("general.architecture").asString()).isEqualTo("llama");
                assertThat(md.get("general.name").asString()).isEqualTo("test-model");
                assertThat(md.get("general.file_type").asLong()).isEqualTo(GgufExporter.fileType(type));
                assertThat(md.get("llama.block_count").asLong()).isEqualTo(2);
                assertThat(md.get("llama.attention.head_count_kv").asLong()).isEqualTo(2);
                assertThat(md.get("llama.rope.dimension_count").asLong()).isEqualTo(16);
                assertThat((Float) md.get("llama.attention.layer_norm_rms_epsilon").value()).isEqualTo(1e-5f);
                assertThat(md.get("tokenizer.ggml.tokens").asList()).hasSize(320).element(0).isEqualTo("Ā");
                assertThat(md.get("tokenizer.ggml.tokens").asList().get('a')).isEqualTo("a");
                assertThat(r.tensors().keySet()).startsWith("token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight")
                        .endsWith("output_norm.weight", "output.weight");
                GgufReader.TensorInfo q = r.tensors().get("blk.1.attn_q.weight");
                assertThat(q.ne()).containsExactly(64, 64);
                assertThat(q.type()).isEqualTo(type);
                assertThat(r.tensors().get("blk.1.ffn_down.weight").ne()).containsExactly(96, 64);
                for (GgufReader.TensorInfo t : r.tensors().values())
                    assertThat((r.dataStart() + t.offset()) % GgufWriter.ALIGNMENT).isZero();
                // norms are f32, bit for bit
                assertThat(r.tensorF32("blk.0.ffn_norm.weight")).isEqualTo(hf.get("model.layers.0.post_attention_layernorm.weight").toArray());
                // a matrix without permutation
                Tensor down = hf.get("model.layers.1.mlp.down_proj.weight");
                assertThat(r.tensorBytes("blk.1.ffn_down.weight")).isEqualTo(GgufExporter.matrix(down, type, 0));
                if (type == GgufTensorType.F32) assertThat(r.tensorF32("blk.1.ffn_down.weight")).isEqualTo(down.toArray());
                if (type == GgufTensorType.Q8_0)
                    assertThat(r.tensorBytes("blk.1.ffn_down.weight"))
                            .isEqualTo(Q8_0Matrix.quantize(new F32Matrix(down.data(), down.offset(), 64, 96)).data());
                if (type == GgufTensorType.Q4_0)
                    assertThat(r.tensorBytes("blk.1.ffn_down.weight"))
                            .isEqualTo(Q4_0Matrix.quantize(new F32Matrix(down.data(), down.offset(), 64, 96)).data());
            }
        }
    }

    @Test
    void queryAndKeyRowsArePermutedPerHeadAsLlamaCppConverts() {
        LlamaConfig c = config(); // H 4, KV 2, D 16
        LlamaWeights w = randomWeights(c, "gguf-permute");
        Map<String, Tensor> hf = w.hfTensors();
        Path out = dir.resolve("p.gguf");
        GgufExporter.write(out, c, hf::get, GgufTokenizer.byteTokenizer(320), GgufTensorType.F32, "p");
        try (GgufReader r = GgufReader.open(out)) {
            float[] q = r.tensorF32("blk.0.attn_q.weight"), k = r.tensorF32("blk.0.attn_k.weight");
            float[] hq = hf.get("model.layers.0.self_attn.q_proj.weight").toArray();
            float[] hk = hf.get("model.layers.0.self_attn.k_proj.weight").toArray();
            // reshape(heads, 2, D/2, C).swapaxes(1, 2): new row h·D + 2i + j = old row h·D + j·D/2 + i
            for (int h = 0; h < 4; h++)
                for (int i = 0; i < 8; i++)
                    for (int j = 0; j < 2; j++)
                        for (int col = 0; col < 64; col++)
                            assertThat(q[(h * 16 + 2 * i + j) * 64 + col]).isEqualTo(hq[(h * 16 + j * 8 + i) * 64 + col]);
            for (int h = 0; h < 2; h++)
                for (int i = 0; i < 8; i++)
                    for (int j = 0; j < 2; j++)
                        assertThat(k[(h * 16 + 2 * i + j) * 64 + 5]).isEqualTo(hk[(h * 16 + j * 8 + i) * 64 + 5]);
            assertThat(r.tensorF32("blk.0.attn_v.weight")).isEqualTo(hf.get("model.layers.0.self_attn.v_proj.weight").toArray());
        }
    }

    @Test
    void qwenArchitecturesKeepTheHfLayoutAndWriteBiasesAndNorms() {
        for (String arch : List.of(LlamaConfig.QWEN2, LlamaConfig.QWEN3)) {
            LlamaConfig c = config().withArchitecture(arch);
            LlamaWeights w = randomWeights(c, "gguf-" + arch);
            Map<String, Tensor> hf = w.hfTensors();
            Path out = dir.resolve(arch + ".gguf");
            GgufExporter.write(out, c, hf::get, GgufTokenizer.byteTokenizer(320), GgufTensorType.F32, arch);
            try (GgufReader r = GgufReader.open(out)) {
                String a = r.metadata().get("general.architecture").asString();
                assertThat(a).isEqualTo(arch.equals(LlamaConfig.QWEN2) ? "qwen2" : "qwen3");
                assertThat(r.metadata()).containsKey(a + ".attention.head_count");
                assertThat(r.tensorF32("blk.1.attn_q.weight")).isEqualTo(hf.get("model.layers.1.self_attn.q_proj.weight").toArray());
                if (c.hasQkvBias())
                    assertThat(r.tensorF32("blk.1.attn_k.bias")).isEqualTo(hf.get("model.layers.1.self_attn.k_proj.bias").toArray());
                if (c.hasQkNorm())
                    assertThat(r.tensorF32("blk.0.attn_q_norm.weight")).isEqualTo(hf.get("model.layers.0.self_attn.q_norm.weight").toArray());
                assertThat(c.hasQkvBias() || c.hasQkNorm()).isTrue();
            }
        }
    }

    @Test
    void tiedEmbeddingsWriteNoOutputTensor() {
        LlamaConfig c = LlamaConfig.of(320, 64, 1, 2, 2, 64, 64, true);
        LlamaWeights w = randomWeights(c, "gguf-tied");
        Path out = dir.resolve("t.gguf");
        GgufExporter.write(out, c, w.hfTensors()::get, GgufTokenizer.byteTokenizer(320), GgufTensorType.F16, "t");
        try (GgufReader r = GgufReader.open(out)) {
            assertThat(r.tensors()).doesNotContainKey("output.weight").containsKey("token_embd.weight");
            float[] e = r.tensorF32("token_embd.weight");
            float[] hf = w.embed().toArray();
            for (int i = 0; i < e.length; i++) assertThat(e[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(hf[i])));
        }
    }

    @Test
    void errorsAreOneLineAndLeaveNoFile() throws Exception {
        LlamaConfig c = LlamaConfig.of(320, 48, 1, 2, 2, 64, 64, false); // rows of 48: not whole Q8_0 blocks
        LlamaWeights w = randomWeights(c, "gguf-errors");
        Path out = dir.resolve("e.gguf");
        Files.writeString(out, "keep me");
        GgufTokenizer tok = GgufTokenizer.byteTokenizer(320);
        assertThatThrownBy(() -> GgufExporter.write(out, c, w.hfTensors()::get, tok, GgufTensorType.Q8_0, "e"))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("multiple of 32").hasMessageNotContaining("\n");
        assertThat(Files.readString(out)).isEqualTo("keep me");
        // a failure half way through the data leaves the old file
        assertThatThrownBy(() -> GgufExporter.write(out, c, name -> { throw new SeedlingException("boom " + name); }, tok,
                GgufTensorType.F32, "e")).isInstanceOf(SeedlingException.class);
        assertThat(Files.readString(out)).isEqualTo("keep me");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("e.gguf");
        }
        assertThatThrownBy(() -> GgufExporter.write(dir, c, w.hfTensors()::get, tok, GgufTensorType.F32, "e"))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("folder");
    }

    @Test
    void readerRejectsBadFilesWithOneLine() throws Exception {
        Path bad = dir.resolve("bad.gguf");
        Files.write(bad, "not a gguf file at all, really".getBytes());
        assertThatThrownBy(() -> GgufReader.open(bad)).isInstanceOf(SeedlingException.class).hasMessageContaining("bad magic");
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(GgufWriter.MAGIC).putInt(9).putLong(0).putLong(0);
        Files.write(bad, b.array());
        assertThatThrownBy(() -> GgufReader.open(bad)).isInstanceOf(SeedlingException.class).hasMessageContaining("version 9");
        // a real file cut short
        LlamaConfig c = config();
        Path good = dir.resolve("good.gguf");
        GgufExporter.write(good, c, randomWeights(c, "gguf-trunc").hfTensors()::get,
                GgufTokenizer.byteTokenizer(320), GgufTensorType.F32, "g");
        byte[] all = Files.readAllBytes(good);
        for (int cut : new int[] {30, all.length / 3, all.length - 10}) {
            Files.write(bad, java.util.Arrays.copyOf(all, cut));
            assertThatThrownBy(() -> GgufReader.open(bad)).as("cut at %d", cut).isInstanceOf(SeedlingException.class)
                    .hasMessageContaining("truncated");
        }
        assertThatThrownBy(() -> GgufReader.open(dir)).isInstanceOf(SeedlingException.class).hasMessageContaining("folder");
    }

    @Test
    void hfTokenizerJsonBecomesGgufVocabulary() throws Exception {
        Path tj = dir.resolve("tokenizer.json");
        Files.writeString(tj, """
                {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "Ġa": 3},
                           "merges": ["a b", ["Ġ", "a"]]},
                 "added_tokens": [{"id": 4, "content": "<|endoftext|>", "special": true},
                                  {"id": 5, "content": "<tool>", "special": false}]}""");
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": "<|endoftext|>", "eos_token": {"content": "<|endoftext|>"}, "add_bos_token": true,
                 "chat_template": "{{ messages }}"}""");
        GgufTokenizer t = GgufTokenizer.fromHf(tj, 8, "smollm");
        assertThat(t.tokens()).containsExactly("a", "b", "ab", "Ġa", "<|endoftext|>", "<tool>", "[PAD6]", "[PAD7]");
        assertThat(t.tokenTypes()).containsExactly(1, 1, 1, 1, 3, 4, 5, 5);
        assertThat(t.merges()).containsExactly("a b", "Ġ a");
        assertThat(t.bosId()).isEqualTo(4);
        assertThat(t.eosId()).isEqualTo(4);
        assertThat(t.padId()).isEqualTo(-1);
        assertThat(t.addBos()).isTrue();
        assertThat(t.pre()).isEqualTo("smollm");
        assertThat(t.chatTemplate()).isEqualTo("{{ messages }}");
        assertThatThrownBy(() -> GgufTokenizer.fromHf(tj, 5, null)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("<tool>").hasMessageContaining("vocab_size 5");
    }

    @Test
    void byteLevelAlphabetIsGpt2s() {
        String[] a = GgufTokenizer.byteLevelAlphabet();
        assertThat(a[' ']).isEqualTo("Ġ");
        assertThat(a['\n']).isEqualTo("Ċ");
        assertThat(a['A']).isEqualTo("A");
        assertThat(a[0xAD]).isEqualTo("Ń");
        assertThat(List.of(a).stream().distinct().count()).isEqualTo(256);
    }

    @Test
    void llamaCppPreTokenizerIsDetectedFromTheSplitPattern() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.function.Function<dev.seedling.tokenizer.train.BpeTrainerConfig, String> preOf = cfg -> {
            var trained = dev.seedling.tokenizer.train.BpeTrainer.train(
                    List.of("Pump P-200 reports fault E-4411 at 12345 rpm.", "Replace the seal; restart the pump.").iterator(),
                    cfg.withVocabSize(300).withMinFrequency(1), null);
            try {
                return GgufTokenizer.detectPre(json.readTree(trained.files().get("tokenizer.json")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        var defaults = dev.seedling.tokenizer.train.BpeTrainerConfig.defaults();
        assertThat(preOf.apply(defaults)).isEqualTo("llama-bpe");
        assertThat(preOf.apply(defaults.withIndividualDigits(true))).isEqualTo("qwen2");
        assertThat(preOf.apply(defaults.withPreTokenizer(dev.seedling.tokenizer.train.BpeTrainerConfig.PreTokenizer.GPT2))).isEqualTo("gpt-2");
        assertThat(GgufTokenizer.detectPre(json.readTree("{\"pre_tokenizer\": {\"type\": \"ByteLevel\", \"use_regex\": true}}")))
                .isEqualTo("gpt-2");
        assertThat(GgufTokenizer.detectPre(json.readTree("{\"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": ["
                + "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"\\\\p{N}+\"}}]}}"))).isEqualTo("default");
    }
}
