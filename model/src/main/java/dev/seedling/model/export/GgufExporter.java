package dev.seedling.model.export;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.format.GgufTensorType;
import dev.seedling.model.format.GgufMetadata;
import dev.seedling.model.format.GgufWriter;
import dev.seedling.model.format.LlamaTensorNames;
import dev.seedling.model.format.ModelDir;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.quant.F32Matrix;
import dev.seedling.tensor.quant.Q4_0Matrix;
import dev.seedling.tensor.quant.Q8_0Matrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Exports a Llama-family model to a GGUF file that llama.cpp and Ollama load: architecture metadata, the tokenizer
 * (tokens, token types, merges, special ids, chat template) and the weights under ggml's tensor names, the 2-D
 * weight matrices in the chosen type (F32, F16, Q8_0 or Q4_0) and the norms in F32.
 *
 * <p>Like llama.cpp's {@code convert_hf_to_gguf.py}, the rows of {@code q_proj} and {@code k_proj} are permuted per
 * head from Hugging Face's rotate-half RoPE layout to the interleaved pairs llama.cpp's Llama RoPE expects
 * ({@link #permuteRopeRows}); Qwen2/Qwen3 (NEOX RoPE in llama.cpp) keep the HF layout, with their q/k/v biases
 * and q/k norms as F32 tensors. Llama 3.1 RoPE scaling is written as llama.cpp's {@code rope_freqs.weight}, linear
 * scaling as metadata. Tied embeddings write no {@code output.weight} (llama.cpp then reuses
 * {@code token_embd.weight}). The file is written atomically.
 */
public final class GgufExporter {
    private GgufExporter() {}

    /** What an export wrote. */
    public record Result(Path file, GgufTensorType type, int tensors, long bytes) {}

    /** The ggml types an export can store matrices in. */
    public static final List<GgufTensorType> TYPES = List.of(GgufTensorType.F32, GgufTensorType.F16, GgufTensorType.Q8_0, GgufTensorType.Q4_0);

    /**
     * Exports the Hugging Face model directory {@code modelDir} (config.json, model.safetensors, tokenizer.json)
     * to {@code out}. The tokenizer comes from {@code tokenizer.json} (+ {@code tokenizer_config.json}); a model
     * without one is exported with Seedling's byte tokenizer when its vocabulary fits it.
     *
     * @param pre llama.cpp's pre-tokenizer name for {@code tokenizer.ggml.pre}; null for {@code "default"}
     */
    public static Result export(Path modelDir, Path out, GgufTensorType type, String pre) {
        try (ModelDir.Loaded loaded = ModelDir.load(modelDir)) {
            LlamaConfig config = loaded.config();
            Path tokJson = modelDir.resolve("tokenizer.json");
            GgufTokenizer tok = Files.isRegularFile(tokJson) ? GgufTokenizer.fromHf(tokJson, config.vocabSize(), pre)
                    : GgufTokenizer.byteTokenizer(config.vocabSize());
            String name = modelDir.toAbsolutePath().normalize().getFileName() == null ? "model"
                    : modelDir.toAbsolutePath().normalize().getFileName().toString();
            return write(out, config, loaded.weights()::readF32, tok, type, name);
        }
    }

    /**
     * Writes a GGUF file for {@code config} whose tensors come from {@code weights} (Hugging Face name → f32 tensor,
     * as {@link LlamaTensorNames#shapes} lists them), read one at a time during the write.
     */
    public static Result write(Path out, LlamaConfig config, Function<String, Tensor> weights, GgufTokenizer tokenizer,
                               GgufTensorType type, String name) {
        if (!TYPES.contains(type)) throw new SeedlingException("cannot export GGUF as " + type + "; use f32, f16, q8_0 or q4_0");
        if (Files.isDirectory(out)) throw new SeedlingException(out + " is a folder; give the path of the .gguf file to write");
        if (tokenizer.tokens().size() != config.vocabSize())
            throw new SeedlingException("the tokenizer has " + tokenizer.tokens().size() + " tokens but the model's vocab_size is "
                    + config.vocabSize());
        if (type.blockSize() > 1) {
            for (int[] shape : LlamaTensorNames.shapes(config).values())
                if (shape.length == 2 && shape[1] % type.blockSize() != 0)
                    throw new SeedlingException(type + " needs matrix rows of a multiple of " + type.blockSize()
                            + " values, but this model has rows of " + shape[1] + "; export it as f32 or f16");
        }
        String arch = ggufArchitecture(config);
        GgufWriter w = new GgufWriter();
        metadata(w, arch, config, tokenizer, type, name);
        boolean permute = arch.equals("llama"); // qwen2/qwen3 use NEOX RoPE in llama.cpp: HF layout as it is
        int h = config.numAttentionHeads(), kv = config.numKeyValueHeads();
        for (Map.Entry<String, int[]> e : LlamaTensorNames.shapes(config).entrySet()) {
            String hfName = e.getKey();
            int[] shape = e.getValue();
            String gg = ggufName(hfName);
            int heads = !permute ? 0 : hfName.contains("self_attn.q_proj.") ? h : hfName.contains("self_attn.k_proj.") ? kv : 0;
            if (shape.length == 2)
                w.addTensor(gg, type, ne(shape[0], shape[1]), () -> matrix(weights.apply(hfName), type, heads));
            else
                w.addTensor(gg, GgufTensorType.F32, new long[] {shape[0]}, () -> vector(weights.apply(hfName), heads));
        }
        if (config.ropeScaling() != null && config.ropeScaling().type().equals("llama3")) {
            // llama.cpp applies Llama 3.1 RoPE scaling through per-frequency divisors (convert_hf_to_gguf's rope_freqs)
            double[] plain = config.withRopeScaling(null).ropeInverseFrequencies(), scaled = config.ropeInverseFrequencies();
            float[] factors = new float[plain.length];
            for (int i = 0; i < factors.length; i++) factors[i] = (float) (plain[i] / scaled[i]);
            w.addTensor("rope_freqs.weight", GgufTensorType.F32, new long[] {factors.length}, () -> f32(factors, 0, factors.length));
        }
        w.write(out);
        int tensors = LlamaTensorNames.shapes(config).size()
                + (config.ropeScaling() != null && config.ropeScaling().type().equals("llama3") ? 1 : 0);
        try {
            return new Result(out, type, tensors, Files.size(out));
        } catch (IOException e) {
            throw new SeedlingException("cannot read the size of " + out + ": " + e.getMessage(), e);
        }
    }

    /** llama.cpp's {@code llama_ftype} of a file whose matrices are {@code type}. */
    public static int fileType(GgufTensorType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
        };
    }

    /** llama.cpp's architecture name for the model: llama (Llama, Mistral), qwen2 or qwen3. */
    public static String ggufArchitecture(LlamaConfig config) {
        return switch (config.modelType()) {
            case "llama", "mistral" -> "llama";
            case "qwen2" -> "qwen2";
            case "qwen3" -> "qwen3";
            default -> throw new SeedlingException("cannot export architecture " + config.architecture() + " to GGUF");
        };
    }

    /** The ggml tensor name of a Hugging Face tensor name ({@code model.layers.3.mlp.up_proj.weight} → {@code blk.3.ffn_up.weight}). */
    public static String ggufName(String hfName) {
        if (hfName.equals(LlamaTensorNames.EMBED)) return "token_embd.weight";
        if (hfName.equals(LlamaTensorNames.FINAL_NORM)) return "output_norm.weight";
        if (hfName.equals(LlamaTensorNames.LM_HEAD)) return "output.weight";
        if (hfName.startsWith("model.layers.")) {
            int dot = hfName.indexOf('.', "model.layers.".length());
            String layer = hfName.substring("model.layers.".length(), dot), rest = hfName.substring(dot + 1);
            String g = switch (rest) {
                case "input_layernorm.weight" -> "attn_norm.weight";
                case "self_attn.q_proj.weight" -> "attn_q.weight";
                case "self_attn.k_proj.weight" -> "attn_k.weight";
                case "self_attn.v_proj.weight" -> "attn_v.weight";
                case "self_attn.o_proj.weight" -> "attn_output.weight";
                case "self_attn.q_proj.bias" -> "attn_q.bias";
                case "self_attn.k_proj.bias" -> "attn_k.bias";
                case "self_attn.v_proj.bias" -> "attn_v.bias";
                case "self_attn.q_norm.weight" -> "attn_q_norm.weight";
                case "self_attn.k_norm.weight" -> "attn_k_norm.weight";
                case "post_attention_layernorm.weight" -> "ffn_norm.weight";
                case "mlp.gate_proj.weight" -> "ffn_gate.weight";
                case "mlp.up_proj.weight" -> "ffn_up.weight";
                case "mlp.down_proj.weight" -> "ffn_down.weight";
                default -> null;
            };
            if (g != null) return "blk." + layer + "." + g;
        }
        throw new SeedlingException("tensor " + hfName + " has no GGUF name");
    }

    private static void metadata(GgufWriter w, String a, LlamaConfig c, GgufTokenizer t, GgufTensorType type, String name) {
        w.put("general.architecture", GgufMetadata.string(a));
        w.put("general.name", GgufMetadata.string(name));
        w.put("general.file_type", GgufMetadata.u32(fileType(type)));
        if (type.blockSize() > 1) w.put("general.quantization_version", GgufMetadata.u32(2));
        w.put(a + ".vocab_size", GgufMetadata.u32(c.vocabSize()));
        w.put(a + ".context_length", GgufMetadata.u32(c.maxPositionEmbeddings()));
        w.put(a + ".embedding_length", GgufMetadata.u32(c.hiddenSize()));
        w.put(a + ".block_count", GgufMetadata.u32(c.numHiddenLayers()));
        w.put(a + ".feed_forward_length", GgufMetadata.u32(c.intermediateSize()));
        w.put(a + ".attention.head_count", GgufMetadata.u32(c.numAttentionHeads()));
        w.put(a + ".attention.head_count_kv", GgufMetadata.u32(c.numKeyValueHeads()));
        w.put(a + ".attention.key_length", GgufMetadata.u32(c.headDim()));
        w.put(a + ".attention.value_length", GgufMetadata.u32(c.headDim()));
        w.put(a + ".attention.layer_norm_rms_epsilon", GgufMetadata.f32((float) c.rmsNormEps()));
        w.put(a + ".rope.freq_base", GgufMetadata.f32((float) c.ropeTheta()));
        w.put(a + ".rope.dimension_count", GgufMetadata.u32(c.headDim()));
        if (c.ropeScaling() != null && c.ropeScaling().type().equals("linear")) {
            w.put(a + ".rope.scaling.type", GgufMetadata.string("linear"));
            w.put(a + ".rope.scaling.factor", GgufMetadata.f32((float) c.ropeScaling().factor()));
        }
        w.put("tokenizer.ggml.model", GgufMetadata.string(t.model()));
        w.put("tokenizer.ggml.pre", GgufMetadata.string(t.pre()));
        w.put("tokenizer.ggml.tokens", GgufMetadata.strings(t.tokens()));
        w.put("tokenizer.ggml.token_type", GgufMetadata.i32s(t.tokenTypes()));
        w.put("tokenizer.ggml.merges", GgufMetadata.strings(t.merges()));
        if (t.bosId() >= 0) w.put("tokenizer.ggml.bos_token_id", GgufMetadata.u32(t.bosId()));
        if (t.eosId() >= 0) w.put("tokenizer.ggml.eos_token_id", GgufMetadata.u32(t.eosId()));
        if (t.padId() >= 0) w.put("tokenizer.ggml.padding_token_id", GgufMetadata.u32(t.padId()));
        w.put("tokenizer.ggml.add_bos_token", GgufMetadata.bool(t.addBos()));
        w.put("tokenizer.ggml.add_eos_token", GgufMetadata.bool(false));
        if (t.chatTemplate() != null) w.put("tokenizer.chat_template", GgufMetadata.string(t.chatTemplate()));
    }

    /** ggml dimensions (innermost first) of a [rows, cols] matrix. */
    private static long[] ne(int rows, int cols) {
        return new long[] {cols, rows};
    }

    /**
     * Rows of a q or k projection [heads·D, C] reordered per head from HF's rotate-half layout (channel i paired with
     * i + D/2) to interleaved pairs (2i, 2i+1): new row h·D + 2i + j = old row h·D + j·D/2 + i — the
     * {@code permute} of llama.cpp's {@code convert_hf_to_gguf.py}. Returns a new array.
     */
    public static float[] permuteRopeRows(float[] w, int off, int rows, int cols, int heads) {
        if (rows % heads != 0 || (rows / heads) % 2 != 0)
            throw new IllegalArgumentException(rows + " rows do not split into " + heads + " heads of even size");
        int d = rows / heads, half = d / 2;
        float[] out = new float[rows * cols];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < half; i++)
                for (int j = 0; j < 2; j++)
                    System.arraycopy(w, off + (h * d + j * half + i) * cols, out, (h * d + 2 * i + j) * cols, cols);
        return out;
    }

    /** A weight matrix's bytes in {@code type}; {@code ropeHeads} > 0 permutes its rows for RoPE first. */
    static byte[] matrix(Tensor t, GgufTensorType type, int ropeHeads) {
        int rows = t.shape()[0], cols = t.shape()[1];
        float[] data = t.data();
        int off = t.offset();
        if (ropeHeads > 0) {
            data = permuteRopeRows(data, off, rows, cols, ropeHeads);
            off = 0;
        }
        return switch (type) {
            case F32 -> f32(data, off, rows * cols);
            case F16 -> {
                ByteBuffer b = ByteBuffer.allocate(2 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < rows * cols; i++) b.putShort(Float.floatToFloat16(data[off + i]));
                yield b.array();
            }
            case Q8_0 -> Q8_0Matrix.quantize(new F32Matrix(data, off, rows, cols)).data();
            case Q4_0 -> Q4_0Matrix.quantize(new F32Matrix(data, off, rows, cols)).data();
            case BF16 -> throw new SeedlingException("BF16 export is not supported");
        };
    }

    /** A 1-D tensor (norm, bias) as f32 bytes; {@code ropeHeads} > 0 permutes a q/k bias like the weight rows. */
    private static byte[] vector(Tensor t, int ropeHeads) {
        if (ropeHeads > 0) return f32(permuteRopeRows(t.data(), t.offset(), t.size(), 1, ropeHeads), 0, t.size());
        return f32(t.data(), t.offset(), t.size());
    }

    private static byte[] f32(float[] a, int off, int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a, off, n);
        return b.array();
    }
}
