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
 * The hyperparameters of a Llama-style decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU MLP, no biases),
 * under the names of Hugging Face's {@code config.json}. Validates in its constructor; every default is listed once,
 * in the {@code DEFAULT_} constants below.
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
        String hiddenAct) {

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
        fitsOneTensor("vocab_size*hidden_size", (long) vocabSize * hiddenSize);
        fitsOneTensor("num_attention_heads*head_dim*hidden_size", (long) numAttentionHeads * headDim * hiddenSize);
        fitsOneTensor("intermediate_size*hidden_size", (long) intermediateSize * hiddenSize);
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

    /**
     * The number of parameters: V·C (embedding) + L·(2C + C·H·D + 2·C·KV·D + H·D·C + 3·C·F) + C (final norm)
     * + V·C (lm_head, untied only).
     */
    public long parameterCount() {
        long v = vocabSize, c = hiddenSize, f = intermediateSize;
        long perLayer = 2 * c + c * queryDim() + 2 * c * keyValueDim() + (long) queryDim() * c + 3 * c * f;
        return v * c + numHiddenLayers * perLayer + c + (tieWordEmbeddings ? 0 : v * c);
    }

    // ---- copies ----

    /** This config with the given special-token ids. */
    public LlamaConfig withSpecialTokens(Integer bosTokenId, int... eosTokenIds) {
        List<Integer> eos = new ArrayList<>();
        for (int id : eosTokenIds) eos.add(id);
        return new LlamaConfig(hiddenSize, intermediateSize, numAttentionHeads, numKeyValueHeads, numHiddenLayers,
                vocabSize, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, headDim, bosTokenId, eos,
                initializerRange, hiddenAct);
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
     * A config from a parsed config.json tree; errors start with {@code source}. Checks that
     * {@code architectures}/{@code model_type} name Llama and that no unsupported feature (biases, rope_scaling)
     * is switched on; missing optional keys take HF's or Seedling's defaults.
     */
    public static LlamaConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject())
            throw new SeedlingException(source + ": expected a JSON object with the model's hyperparameters");
        JsonNode arch = root.get("architectures");
        if (arch != null && !arch.isNull()) {
            if (!arch.isArray()) throw new SeedlingException(source + ": architectures must be a list, got " + arch);
            for (JsonNode a : arch)
                if (!ARCHITECTURE.equals(a.asText()))
                    throw new SeedlingException(source + ": architecture " + a.asText() + " is not supported (supported: "
                            + ARCHITECTURE + ")");
        }
        JsonNode type = root.get("model_type");
        if (type != null && !type.isNull() && !MODEL_TYPE.equals(type.asText()))
            throw new SeedlingException(source + ": model_type " + type.asText() + " is not supported (supported: " + MODEL_TYPE + ")");
        JsonNode ropeScaling = root.get("rope_scaling");
        if (ropeScaling != null && !ropeScaling.isNull())
            throw new SeedlingException(source + ": rope_scaling " + ropeScaling + " is not supported yet; only plain RoPE is");
        for (String bias : new String[] {"attention_bias", "mlp_bias"}) {
            JsonNode b = root.get(bias);
            if (b != null && b.asBoolean(false))
                throw new SeedlingException(source + ": " + bias + "=true is not supported; Llama models here have no biases");
        }
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
        try {
            return new LlamaConfig(hidden, intermediate, heads, kvHeads, layers, vocab, eps, theta, positions, tied,
                    headDim, bos, eos, initRange, act);
        } catch (SeedlingException e) {
            throw new SeedlingException(source + ": " + e.getMessage(), e);
        }
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
        m.put("architectures", f.arrayNode().add(ARCHITECTURE));
        m.put("attention_bias", f.booleanNode(false));
        m.put("attention_dropout", f.numberNode(0.0));
        m.put("bos_token_id", bosTokenId == null ? f.nullNode() : f.numberNode(bosTokenId));
        m.put("eos_token_id", eosJson(f, eosTokenIds));
        m.put("head_dim", f.numberNode(headDim));
        m.put("hidden_act", f.textNode(hiddenAct));
        m.put("hidden_size", f.numberNode(hiddenSize));
        m.put("initializer_range", f.numberNode(initializerRange));
        m.put("intermediate_size", f.numberNode(intermediateSize));
        m.put("max_position_embeddings", f.numberNode(maxPositionEmbeddings));
        m.put("mlp_bias", f.booleanNode(false));
        m.put("model_type", f.textNode(MODEL_TYPE));
        m.put("num_attention_heads", f.numberNode(numAttentionHeads));
        m.put("num_hidden_layers", f.numberNode(numHiddenLayers));
        m.put("num_key_value_heads", f.numberNode(numKeyValueHeads));
        m.put("pretraining_tp", f.numberNode(1));
        m.put("rms_norm_eps", f.numberNode(rmsNormEps));
        m.put("rope_scaling", f.nullNode());
        m.put("rope_theta", f.numberNode(ropeTheta));
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
