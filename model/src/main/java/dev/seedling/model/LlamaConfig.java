package dev.seedling.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.model.format.internal.Json;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hyperparameters of a Llama-family decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU MLP), under the
 * names of Hugging Face's {@code config.json}. Validates in its constructor; every default is listed once, in the
 * {@code DEFAULT_} constants below.
 *
 * <p>Architectures ({@link #ARCHITECTURES}): {@code LlamaForCausalLM} (Llama 2/3, SmolLM, TinyLlama),
 * {@code MistralForCausalLM} (the same network; {@code sliding_window} limits the usable context, see
 * {@link #contextLength()}), {@code Qwen2ForCausalLM} (adds biases to the q/k/v projections) and
 * {@code Qwen3ForCausalLM} (adds a per-head RMSNorm of q and k before RoPE, {@code q_norm}/{@code k_norm}).
 * {@code rope_scaling} of type {@code llama3} or {@code linear} changes the RoPE frequencies
 * ({@link #ropeInverseFrequencies()}).
 *
 * <p>Dimension legend: V vocab, C hidden size, L layers, H attention heads, KV key/value heads, D head dim, F MLP
 * (intermediate) size. Tensor shapes follow from these: see {@code dev.seedling.model.format.LlamaTensorNames}.
 *
 * @param hiddenSize            C, {@code hidden_size}
 * @param intermediateSize      F, {@code intermediate_size}
 * @param numAttentionHeads     H, {@code num_attention_heads}
 * @param numKeyValueHeads      KV, {@code num_key_value_heads} (divides H; H = KV is plain multi-head attention)
 * @param numHiddenLayers       L, {@code num_hidden_layers}
 * @param vocabSize             V, {@code vocab_size}
 * @param rmsNormEps            {@code rms_norm_eps}
 * @param ropeTheta             {@code rope_theta}, the RoPE base
 * @param maxPositionEmbeddings {@code max_position_embeddings}, the longest sequence the model is meant for
 * @param tieWordEmbeddings     {@code tie_word_embeddings}: the output head reuses the embedding (no lm_head tensor)
 * @param headDim               D, {@code head_dim}; 0 means C / H (then H must divide C)
 * @param bosTokenId            {@code bos_token_id}, or null for none
 * @param eosTokenIds           {@code eos_token_id}: one id, several (Llama 3), or none (empty)
 * @param initializerRange      {@code initializer_range}, the std of the normal init of the weight matrices
 * @param hiddenAct             {@code hidden_act}; only {@code "silu"} (SwiGLU) is supported; null means silu
 * @param architecture          {@code architectures[0]}, one of {@link #ARCHITECTURES}; null means LlamaForCausalLM
 * @param ropeScaling           {@code rope_scaling}, or null for plain RoPE
 * @param slidingWindow         {@code sliding_window} (Mistral; Qwen2 when {@code use_sliding_window}), or null for
 *                              none: attention sees at most this many keys, so contexts are limited to it here
 */
public record LlamaConfig(
        int hiddenSize,
        int intermediateSize,
        int numAttentionHeads,
        int numKeyValueHeads,
        int numHiddenLayers,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        int headDim,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        double initializerRange,
        String hiddenAct,
        String architecture,
        RopeScaling ropeScaling,
        Integer slidingWindow) {

    // ---- every default in one place ----
    public static final double DEFAULT_RMS_NORM_EPS = 1e-5;
    public static final double DEFAULT_ROPE_THETA = 10000;
    public static final double DEFAULT_INITIALIZER_RANGE = 0.02;
    public static final String DEFAULT_HIDDEN_ACT = "silu";
    /** Used when a config.json has no {@code max_position_embeddings} (HF's LlamaConfig default). */
    public static final int DEFAULT_MAX_POSITION_EMBEDDINGS = 2048;
    /** Used when a config.json has no {@code bos_token_id} / {@code eos_token_id} (HF's LlamaConfig defaults). */
    public static final int DEFAULT_BOS_TOKEN_ID = 1, DEFAULT_EOS_TOKEN_ID = 2;
    /** The special-token ids of the presets: {@code <|endoftext|>} at 0 serves as BOS and EOS (as in SmolLM2). */
    public static final int PRESET_SPECIAL_TOKEN_ID = 0;

    public static final String ARCHITECTURE = "LlamaForCausalLM";
    public static final String MODEL_TYPE = "llama";
    public static final String MISTRAL = "MistralForCausalLM", QWEN2 = "Qwen2ForCausalLM", QWEN3 = "Qwen3ForCausalLM";
    /** The architectures this config reads, in config.json's {@code architectures} spelling. */
    public static final List<String> ARCHITECTURES = List.of(ARCHITECTURE, MISTRAL, QWEN2, QWEN3);
    /** The transformers version written into config.json (the layout matches what it writes). */
    public static final String TRANSFORMERS_VERSION = "4.48.0";

    /** The preset names accepted by {@link #preset(String)}. */
    public static final List<String> PRESETS = List.of("tiny", "small", "smollm2-135m");

    /** The config.json keys {@link #withOverrides(Map)} accepts, in record order. */
    public static final List<String> KEYS = List.of("hidden_size", "intermediate_size", "num_attention_heads",
            "num_key_value_heads", "num_hidden_layers", "vocab_size", "rms_norm_eps", "rope_theta",
            "max_position_embeddings", "tie_word_embeddings", "head_dim", "bos_token_id", "eos_token_id",
            "initializer_range", "hidden_act");

    public LlamaConfig {
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_key_value_heads", numKeyValueHeads);
        positive("num_hidden_layers", numHiddenLayers);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (headDim < 0) throw new SeedlingException("head_dim=" + headDim + " must be positive (or 0 to derive it as hidden_size / num_attention_heads)");
        if (headDim == 0) {
            if (hiddenSize % numAttentionHeads != 0)
                throw new SeedlingException("num_attention_heads=" + numAttentionHeads + " does not divide hidden_size="
                        + hiddenSize + "; choose a head count that divides it, or set head_dim explicitly");
            headDim = hiddenSize / numAttentionHeads;
        }
        if (numAttentionHeads % numKeyValueHeads != 0)
            throw new SeedlingException("num_key_value_heads=" + numKeyValueHeads + " does not divide num_attention_heads="
                    + numAttentionHeads + "; grouped-query attention needs a whole number of query heads per key/value head");
        if (headDim % 2 != 0)
            throw new SeedlingException("head_dim=" + headDim + " is odd; RoPE rotates pairs of channels, so it must be even");
        if (!(rmsNormEps > 0) || Double.isInfinite(rmsNormEps))
            throw new SeedlingException("rms_norm_eps=" + rmsNormEps + " must be a small positive number (e.g. 1e-5)");
        if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta))
            throw new SeedlingException("rope_theta=" + ropeTheta + " must be a positive number (e.g. 10000)");
        if (!(initializerRange >= 0) || Double.isInfinite(initializerRange))
            throw new SeedlingException("initializer_range=" + initializerRange + " must be a non-negative number (e.g. 0.02)");
        if (hiddenAct == null) hiddenAct = DEFAULT_HIDDEN_ACT;
        if (!hiddenAct.equals("silu"))
            throw new SeedlingException("hidden_act=" + hiddenAct + " is not supported; Llama models use silu (SwiGLU)");
        if (bosTokenId != null) tokenId("bos_token_id", bosTokenId, vocabSize);
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
        for (int id : eosTokenIds) tokenId("eos_token_id", id, vocabSize);
        if (architecture == null) architecture = ARCHITECTURE;
        if (!ARCHITECTURES.contains(architecture))
            throw new SeedlingException("architecture " + architecture + " is not supported (supported: "
                    + String.join(", ", ARCHITECTURES) + ")");
        if (slidingWindow != null && slidingWindow <= 0)
            throw new SeedlingException("sliding_window=" + slidingWindow + " must be positive (or null for none)");
        if (slidingWindow != null && slidingWindow >= maxPositionEmbeddings) slidingWindow = null; // never reached
        fitsOneTensor("vocab_size*hidden_size", (long) vocabSize * hiddenSize);
        fitsOneTensor("num_attention_heads*head_dim*hidden_size", (long) numAttentionHeads * headDim * hiddenSize);
        fitsOneTensor("intermediate_size*hidden_size", (long) intermediateSize * hiddenSize);
    }

    /** A plain Llama config (no rope scaling, no sliding window): the fields every architecture shares. */
    public LlamaConfig(int hiddenSize, int intermediateSize, int numAttentionHeads, int numKeyValueHeads,
            int numHiddenLayers, int vocabSize, double rmsNormEps, double ropeTheta, int maxPositionEmbeddings,
            boolean tieWordEmbeddings, int headDim, Integer bosTokenId, List<Integer> eosTokenIds,
            double initializerRange, String hiddenAct) {
        this(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers, vocabSize, rmsNormEps,
                ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, headDim, bosTokenId, eosTokenIds, initializerRange,
                hiddenAct, ARCHITECTURE, null, null);
    }

    /**
     * {@code rope_scaling}: {@code type} {@code "linear"} (all frequencies divided by {@code factor}) or
     * {@code "llama3"} (Llama 3.1: low frequencies divided by {@code factor}, high ones kept, a smooth blend between,
     * with {@code low_freq_factor}, {@code high_freq_factor} and {@code original_max_position_embeddings}; the
     * three are 0 for linear).
     */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
            int originalMaxPositionEmbeddings) {
        public RopeScaling {
            if (!"linear".equals(type) && !"llama3".equals(type))
                throw new SeedlingException("rope_scaling type '" + type + "' is not supported (supported: linear, llama3)");
            if (!(factor > 0) || Double.isInfinite(factor))
                throw new SeedlingException("rope_scaling factor=" + factor + " must be a positive number");
            if (type.equals("llama3")) {
                if (!(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor))
                    throw new SeedlingException("rope_scaling llama3 needs 0 < low_freq_factor < high_freq_factor, got "
                            + lowFreqFactor + " and " + highFreqFactor);
                if (originalMaxPositionEmbeddings <= 0)
                    throw new SeedlingException("rope_scaling llama3 needs original_max_position_embeddings > 0");
            }
        }

        public static RopeScaling linear(double factor) {
            return new RopeScaling("linear", factor, 0, 0, 0);
        }

        public static RopeScaling llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
            return new RopeScaling("llama3", factor, lowFreqFactor, highFreqFactor, originalMaxPositions);
        }

        /** The scaled inverse frequencies, from the plain ones ({@code theta^(-2i/D)}), as HF computes them. */
        public double[] apply(double[] invFreq) {
            double[] out = new double[invFreq.length];
            if (type.equals("linear")) {
                for (int i = 0; i < out.length; i++) out[i] = invFreq[i] / factor;
                return out;
            }
            double lowWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
            double highWavelen = originalMaxPositionEmbeddings / highFreqFactor;
            for (int i = 0; i < out.length; i++) {
                double wavelen = 2 * Math.PI / invFreq[i];
                if (wavelen < highWavelen) out[i] = invFreq[i];
                else if (wavelen > lowWavelen) out[i] = invFreq[i] / factor;
                else {
                    double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    out[i] = (1 - smooth) * invFreq[i] / factor + smooth * invFreq[i];
                }
            }
            return out;
        }

        ObjectNode toJson(JsonNodeFactory f) {
            ObjectNode o = f.objectNode();
            o.put("factor", factor);
            if (type.equals("llama3")) {
                o.put("high_freq_factor", highFreqFactor);
                o.put("low_freq_factor", lowFreqFactor);
                o.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
            }
            o.put("rope_type", type);
            return o;
        }
    }

    /** A config with the given sizes and every other field at its default (special tokens: none). */
    public static LlamaConfig of(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
            int numKeyValueHeads, int intermediateSize, int maxPositionEmbeddings, boolean tieWordEmbeddings) {
        return new LlamaConfig(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers,
                vocabSize, DEFAULT_RMS_NORM_EPS, DEFAULT_ROPE_THETA, maxPositionEmbeddings, tieWordEmbeddings, 0,
                null, List.of(), DEFAULT_INITIALIZER_RANGE, DEFAULT_HIDDEN_ACT);
    }

    // ---- presets (../shared/bench/README.md) ----

    /** V 4096, C 256, L 4, H 4, KV 4, F 704, 256 positions, untied: 5,310,720 parameters. */
    public static LlamaConfig tiny() {
        return of(4096, 256, 4, 4, 4, 704, 256, false).withSpecialTokens(PRESET_SPECIAL_TOKEN_ID, PRESET_SPECIAL_TOKEN_ID);
    }

    /** V 8192, C 512, L 8, H 8, KV 4, F 1408, 512 positions, untied: 31,990,272 parameters. */
    public static LlamaConfig small() {
        return of(8192, 512, 8, 8, 4, 1408, 512, false).withSpecialTokens(PRESET_SPECIAL_TOKEN_ID, PRESET_SPECIAL_TOKEN_ID);
    }

    /**
     * SmolLM2-135M's shape: V 49152, C 576, L 30, H 9, KV 3, F 1536, tied: 134,515,008 parameters. The benchmarks
     * train it at sequence length 512; the preset allows 2048 positions and keeps rope_theta 10000 (the published
     * SmolLM2-135M config uses 8192 positions and rope_theta 100000; read its config.json to match it exactly).
     */
    public static LlamaConfig smollm2_135m() {
        return of(49152, 576, 30, 9, 3, 1536, 2048, true).withSpecialTokens(PRESET_SPECIAL_TOKEN_ID, PRESET_SPECIAL_TOKEN_ID);
    }

    /** The preset called {@code name} (one of {@link #PRESETS}). */
    public static LlamaConfig preset(String name) {
        return switch (name) {
            case "tiny" -> tiny();
            case "small" -> small();
            case "smollm2-135m" -> smollm2_135m();
            default -> throw new SeedlingException("unknown model preset '" + name + "'; presets: " + String.join(", ", PRESETS));
        };
    }

    // ---- derived sizes ----

    /** H·D, the width of the query projection's output. */
    public int queryDim() {
        return numAttentionHeads * headDim;
    }

    /** KV·D, the width of the key and value projections' outputs. */
    public int keyValueDim() {
        return numKeyValueHeads * headDim;
    }

    /** Whether q/k/v projections carry biases (Qwen2): {@code self_attn.{q,k,v}_proj.bias}. */
    public boolean hasQkvBias() {
        return QWEN2.equals(architecture);
    }

    /** Whether q and k get a per-head RMSNorm before RoPE (Qwen3): {@code self_attn.{q,k}_norm.weight}, (D). */
    public boolean hasQkNorm() {
        return QWEN3.equals(architecture);
    }

    /** The longest sequence a forward pass handles exactly: max_position_embeddings, or the sliding window if smaller. */
    public int contextLength() {
        return slidingWindow == null ? maxPositionEmbeddings : Math.min(slidingWindow, maxPositionEmbeddings);
    }

    /** RoPE inverse frequencies (D/2): {@code rope_theta^(-2i/D)}, scaled by {@link #ropeScaling} when set. */
    public double[] ropeInverseFrequencies() {
        double[] f = new double[headDim / 2];
        for (int i = 0; i < f.length; i++) f[i] = StrictMath.pow(ropeTheta, -2.0 * i / headDim);
        return ropeScaling == null ? f : ropeScaling.apply(f);
    }

    /** The config.json {@code model_type} of {@link #architecture}. */
    public String modelType() {
        return switch (architecture) {
            case MISTRAL -> "mistral";
            case QWEN2 -> "qwen2";
            case QWEN3 -> "qwen3";
            default -> MODEL_TYPE;
        };
    }

    /**
     * The number of parameters: V·C (embedding) + L·(2C + C·H·D + 2·C·KV·D + H·D·C + 3·C·F) + C (final norm)
     * + V·C (lm_head, untied only).
     */
    public long parameterCount() {
        long v = vocabSize, c = hiddenSize, f = intermediateSize;
        long perLayer = 2 * c + c * queryDim() + 2 * c * keyValueDim() + (long) queryDim() * c + 3 * c * f;
        if (hasQkvBias()) perLayer += queryDim() + 2L * keyValueDim();
        if (hasQkNorm()) perLayer += 2L * headDim;
        return v * c + numHiddenLayers * perLayer + c + (tieWordEmbeddings ? 0 : v * c);
    }

    // ---- copies ----

    /** This config with the given special-token ids. */
    public LlamaConfig withSpecialTokens(Integer bosTokenId, int... eosTokenIds) {
        List<Integer> eos = new ArrayList<>();
        for (int id : eosTokenIds) eos.add(id);
        return new LlamaConfig(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, headDim, bosTokenId, eos,
                initializerRange, hiddenAct, architecture, ropeScaling, slidingWindow);
    }

    /** This config for another architecture of {@link #ARCHITECTURES} (same sizes). */
    public LlamaConfig withArchitecture(String architecture) {
        return new LlamaConfig(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, headDim, bosTokenId,
                eosTokenIds, initializerRange, hiddenAct, architecture, ropeScaling, slidingWindow);
    }

    /** This config with the given {@code rope_scaling} (null for none). */
    public LlamaConfig withRopeScaling(RopeScaling ropeScaling) {
        return new LlamaConfig(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, headDim, bosTokenId,
                eosTokenIds, initializerRange, hiddenAct, architecture, ropeScaling, slidingWindow);
    }

    /**
     * This config with fields replaced from {@code key=value} pairs as given on a command line ({@code hidden_size}
     * → {@code "128"}); keys are the config.json names in {@link #KEYS}. Values: numbers, {@code true}/{@code false},
     * {@code null}, text, or comma-separated ids for {@code eos_token_id}. A derived {@code head_dim} is derived
     * again from the new sizes unless it is overridden too.
     */
    public LlamaConfig withOverrides(Map<String, String> overrides) {
        if (overrides.isEmpty()) return this;
        ObjectNode tree = toTree("float32");
        boolean derivedHeadDim = hiddenSize % numAttentionHeads == 0 && headDim == hiddenSize / numAttentionHeads;
        if (derivedHeadDim && !overrides.containsKey("head_dim")) tree.remove("head_dim");
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            if (!KEYS.contains(e.getKey()))
                throw new SeedlingException("unknown config key '" + e.getKey() + "' in override " + e.getKey() + "="
                        + e.getValue() + "; valid keys: " + String.join(", ", KEYS));
            tree.set(e.getKey(), parseOverride(e.getValue()));
        }
        return fromJson(tree, "config overrides");
    }

    // ---- config.json ----

    /** Reads a Hugging Face {@code config.json} (unknown keys are ignored; the architecture must be Llama). */
    public static LlamaConfig read(Path configJson) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configJson);
        } catch (NoSuchFileException e) {
            throw new SeedlingException(configJson + ": no such file", e);
        } catch (IOException e) {
            throw new SeedlingException(configJson + ": cannot read (" + e + ")", e);
        }
        return fromJson(Json.parse(bytes, configJson.toString()), configJson.toString());
    }

    /**
     * A config from a parsed config.json tree; errors start with {@code source}. Checks that {@code architectures}
     * and {@code model_type} name a supported architecture (either may be absent; then the other decides, and
     * without both it is Llama) and that no unsupported feature (Llama attention/MLP biases, an unknown
     * rope_scaling type, a Qwen2 sliding window) is switched on; missing optional keys take HF's or Seedling's
     * defaults. Unknown keys are ignored.
     */
    public static LlamaConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject())
            throw new SeedlingException(source + ": expected a JSON object with the model's hyperparameters");
        String architecture = null;
        JsonNode arch = root.get("architectures");
        if (arch != null && !arch.isNull()) {
            if (!arch.isArray()) throw new SeedlingException(source + ": architectures must be a list, got " + arch);
            for (JsonNode a : arch) {
                if (!ARCHITECTURES.contains(a.asText()))
                    throw new SeedlingException(source + ": architecture " + a.asText() + " is not supported (supported: "
                            + String.join(", ", ARCHITECTURES) + ")");
                if (architecture != null && !architecture.equals(a.asText()))
                    throw new SeedlingException(source + ": architectures " + arch + " name more than one model");
                architecture = a.asText();
            }
        }
        JsonNode type = root.get("model_type");
        if (type != null && !type.isNull()) {
            String byType = switch (type.asText()) {
                case "llama" -> ARCHITECTURE;
                case "mistral" -> MISTRAL;
                case "qwen2" -> QWEN2;
                case "qwen3" -> QWEN3;
                default -> throw new SeedlingException(source + ": model_type " + type.asText()
                        + " is not supported (supported: llama, mistral, qwen2, qwen3)");
            };
            if (architecture == null) architecture = byType;
            else if (!architecture.equals(byType))
                throw new SeedlingException(source + ": model_type " + type.asText() + " does not match architecture " + architecture);
        }
        if (architecture == null) architecture = ARCHITECTURE;
        RopeScaling scaling = ropeScaling(root.get("rope_scaling"), source);
        boolean qwen2 = architecture.equals(QWEN2);
        // Qwen2 always has q/k/v biases (its config has no switch); elsewhere biases are not supported
        if (!qwen2) {
            for (String bias : new String[] {"attention_bias", "mlp_bias"}) {
                JsonNode b = root.get(bias);
                if (b != null && b.asBoolean(false))
                    throw new SeedlingException(source + ": " + bias + "=true is not supported for " + architecture
                            + "; only Qwen2's q/k/v biases are");
            }
        }
        Integer window = null;
        if (architecture.equals(MISTRAL) || (root.has("use_sliding_window") && root.get("use_sliding_window").asBoolean(false)))
            window = nullableInt(root, "sliding_window", source);
        int hidden = requiredInt(root, "hidden_size", source);
        int intermediate = requiredInt(root, "intermediate_size", source);
        int heads = requiredInt(root, "num_attention_heads", source);
        int kvHeads = optionalInt(root, "num_key_value_heads", heads, source);
        int layers = requiredInt(root, "num_hidden_layers", source);
        int vocab = requiredInt(root, "vocab_size", source);
        double eps = optionalDouble(root, "rms_norm_eps", DEFAULT_RMS_NORM_EPS, source);
        double theta = optionalDouble(root, "rope_theta", DEFAULT_ROPE_THETA, source);
        int positions = optionalInt(root, "max_position_embeddings", DEFAULT_MAX_POSITION_EMBEDDINGS, source);
        boolean tied = optionalBoolean(root, "tie_word_embeddings", false, source);
        int headDim = optionalInt(root, "head_dim", 0, source);
        Integer bos = root.has("bos_token_id") ? nullableInt(root, "bos_token_id", source) : Integer.valueOf(DEFAULT_BOS_TOKEN_ID);
        List<Integer> eos = root.has("eos_token_id") ? idList(root, "eos_token_id", source) : List.of(DEFAULT_EOS_TOKEN_ID);
        double initRange = optionalDouble(root, "initializer_range", DEFAULT_INITIALIZER_RANGE, source);
        String act = optionalString(root, "hidden_act", DEFAULT_HIDDEN_ACT, source);
        if (qwen2 && window != null && window < positions)
            throw new SeedlingException(source + ": use_sliding_window with sliding_window=" + window
                    + " < max_position_embeddings=" + positions + " is not supported for Qwen2 (it applies per layer)");
        try {
            return new LlamaConfig(hidden, intermediate, heads, kvHeads, layers, vocab, eps, theta, positions, tied,
                    headDim, bos, eos, initRange, act, architecture, scaling, window);
        } catch (SeedlingException e) {
            throw new SeedlingException(source + ": " + e.getMessage(), e);
        }
    }

    private static RopeScaling ropeScaling(JsonNode n, String source) {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw new SeedlingException(source + ": rope_scaling must be an object or null, got " + n);
        JsonNode t = n.has("rope_type") ? n.get("rope_type") : n.get("type");
        String type = t == null || t.isNull() ? null : t.asText();
        if ("default".equals(type)) return null;
        if (!"linear".equals(type) && !"llama3".equals(type))
            throw new SeedlingException(source + ": rope_scaling " + n + " is not supported (types: linear, llama3)");
        for (java.util.Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            boolean known = switch (k) {
                case "rope_type", "type", "factor" -> true;
                case "low_freq_factor", "high_freq_factor", "original_max_position_embeddings" -> type.equals("llama3");
                default -> false;
            };
            if (!known) throw new SeedlingException(source + ": rope_scaling key '" + k + "' is not supported for type " + type);
        }
        try {
            double factor = requiredDouble(n, "factor", source + ": rope_scaling");
            if (type.equals("linear")) return RopeScaling.linear(factor);
            return RopeScaling.llama3(factor, requiredDouble(n, "low_freq_factor", source + ": rope_scaling"),
                    requiredDouble(n, "high_freq_factor", source + ": rope_scaling"),
                    requiredInt(n, "original_max_position_embeddings", source + ": rope_scaling"));
        } catch (SeedlingException e) {
            if (e.getMessage().startsWith(source)) throw e;
            throw new SeedlingException(source + ": " + e.getMessage(), e);
        }
    }

    private static double requiredDouble(JsonNode root, String key, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) throw new SeedlingException(source + ": missing " + key);
        if (!n.isNumber()) throw new SeedlingException(source + ": " + key + " must be a number, got " + n);
        return n.doubleValue();
    }

    /** Writes a standard Hugging Face config.json (torch_dtype float32), atomically. */
    public void write(Path configJson) {
        AtomicFiles.writeString(configJson, toJson("float32"));
    }

    /**
     * This config as Hugging Face config.json text, keys sorted, as {@code LlamaConfig.save_pretrained} writes it.
     *
     * @param torchDtype the dtype of the weights next to it: {@code float32}, {@code bfloat16} or {@code float16}
     */
    public String toJson(String torchDtype) {
        return Json.pretty(toTree(torchDtype));
    }

    private ObjectNode toTree(String torchDtype) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> m = new TreeMap<>();
        m.put("architectures", f.arrayNode().add(architecture));
        if (!hasQkvBias()) {
            m.put("attention_bias", f.booleanNode(false));
            if (!architecture.equals(QWEN3)) m.put("mlp_bias", f.booleanNode(false));
        }
        m.put("attention_dropout", f.numberNode(0.0));
        m.put("bos_token_id", bosTokenId == null ? f.nullNode() : f.numberNode(bosTokenId));
        m.put("eos_token_id", eosJson(f, eosTokenIds));
        m.put("head_dim", f.numberNode(headDim));
        m.put("hidden_act", f.textNode(hiddenAct));
        m.put("hidden_size", f.numberNode(hiddenSize));
        m.put("initializer_range", f.numberNode(initializerRange));
        m.put("intermediate_size", f.numberNode(intermediateSize));
        m.put("max_position_embeddings", f.numberNode(maxPositionEmbeddings));
        m.put("model_type", f.textNode(modelType()));
        m.put("num_attention_heads", f.numberNode(numAttentionHeads));
        m.put("num_hidden_layers", f.numberNode(numHiddenLayers));
        m.put("num_key_value_heads", f.numberNode(numKeyValueHeads));
        if (architecture.equals(ARCHITECTURE)) m.put("pretraining_tp", f.numberNode(1));
        m.put("rms_norm_eps", f.numberNode(rmsNormEps));
        m.put("rope_scaling", ropeScaling == null ? f.nullNode() : ropeScaling.toJson(f));
        m.put("rope_theta", f.numberNode(ropeTheta));
        if (!architecture.equals(ARCHITECTURE)) {
            m.put("sliding_window", slidingWindow == null ? f.nullNode() : f.numberNode(slidingWindow));
            if (!architecture.equals(MISTRAL)) {
                m.put("use_sliding_window", f.booleanNode(false));
                m.put("max_window_layers", f.numberNode(numHiddenLayers));
            }
        }
        m.put("tie_word_embeddings", f.booleanNode(tieWordEmbeddings));
        m.put("torch_dtype", f.textNode(torchDtype));
        m.put("transformers_version", f.textNode(TRANSFORMERS_VERSION));
        m.put("use_cache", f.booleanNode(true));
        m.put("vocab_size", f.numberNode(vocabSize));
        ObjectNode o = f.objectNode();
        o.setAll(m);
        return o;
    }

    /**
     * The {@code generation_config.json} HF writes beside this config: the special-token ids, nothing about sampling.
     */
    public String generationConfigJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("_from_model_config", true);
        o.set("bos_token_id", bosTokenId == null ? f.nullNode() : f.numberNode(bosTokenId));
        o.set("eos_token_id", eosJson(f, eosTokenIds));
        o.put("transformers_version", TRANSFORMERS_VERSION);
        return Json.pretty(o);
    }

    /** One id as a number, several as a list, none as null (as HF writes {@code eos_token_id}). */
    private static JsonNode eosJson(JsonNodeFactory f, List<Integer> ids) {
        if (ids.isEmpty()) return f.nullNode();
        if (ids.size() == 1) return f.numberNode(ids.getFirst());
        ArrayNode a = f.arrayNode();
        ids.forEach(a::add);
        return a;
    }

    // ---- helpers ----

    private static void positive(String key, int value) {
        if (value <= 0) throw new SeedlingException(key + "=" + value + " must be positive");
    }

    private static void tokenId(String key, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize)
            throw new SeedlingException(key + "=" + id + " is outside the vocabulary [0, vocab_size=" + vocabSize + ")");
    }

    private static void fitsOneTensor(String what, long elements) {
        if (elements > Integer.MAX_VALUE - 8)
            throw new SeedlingException(what + " = " + elements + " elements is more than one tensor can hold (2^31-1)");
    }

    private static int requiredInt(JsonNode root, String key, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) throw new SeedlingException(source + ": missing " + key);
        return asInt(n, key, source);
    }

    private static int optionalInt(JsonNode root, String key, int fallback, String source) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? fallback : asInt(n, key, source);
    }

    private static Integer nullableInt(JsonNode root, String key, String source) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : asInt(n, key, source);
    }

    private static int asInt(JsonNode n, String key, String source) {
        if (!n.isIntegralNumber() || !n.canConvertToInt())
            throw new SeedlingException(source + ": " + key + " must be an integer, got " + n);
        return n.intValue();
    }

    private static double optionalDouble(JsonNode root, String key, double fallback, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber()) throw new SeedlingException(source + ": " + key + " must be a number, got " + n);
        return n.doubleValue();
    }

    private static boolean optionalBoolean(JsonNode root, String key, boolean fallback, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) return fallback;
        if (!n.isBoolean()) throw new SeedlingException(source + ": " + key + " must be true or false, got " + n);
        return n.booleanValue();
    }

    private static String optionalString(JsonNode root, String key, String fallback, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual()) throw new SeedlingException(source + ": " + key + " must be a string, got " + n);
        return n.textValue();
    }

    private static List<Integer> idList(JsonNode root, String key, String source) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) return List.of(asInt(n, key, source));
        List<Integer> ids = new ArrayList<>();
        for (JsonNode e : n) ids.add(asInt(e, key, source));
        return ids;
    }

    private static JsonNode parseOverride(String raw) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String s = raw.trim();
        if (s.equals("null")) return f.nullNode();
        if (s.equals("true") || s.equals("false")) return f.booleanNode(Boolean.parseBoolean(s));
        if (s.contains(",") || s.startsWith("[")) {
            String inner = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
            ArrayNode a = f.arrayNode();
            for (String part : inner.split(",")) if (!part.isBlank()) a.add(parseOverride(part));
            return a;
        }
        if (s.matches("[+-]?\\d+")) {
            BigInteger big = new BigInteger(s);
            return big.bitLength() < 64 ? f.numberNode(big.longValue()) : f.textNode(s);
        }
        if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) return f.numberNode(Double.parseDouble(s));
        return f.textNode(s);
    }
}
