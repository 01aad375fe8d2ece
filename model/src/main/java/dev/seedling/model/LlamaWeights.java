package dev.seedling.model;

import dev.seedling.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a Llama-family model, all in ONE flat float array (and, for training, one flat gradient array of
 * the same layout), handed out as views. Per layer, q/k/v projections are stored back to back so that one matmul
 * computes all three ({@code wqkv}), and likewise gate/up ({@code wGateUp}); {@link #hfTensors} presents the same
 * storage under Hugging Face names and shapes.
 *
 * <p>Legend: V vocab, C hidden size, L layers, H query heads, KV key/value heads, D head dim, F intermediate size.
 */
public final class LlamaWeights {
    /**
     * One decoder layer's parameter views. {@code bqkv} is null unless the config has q/k/v biases (Qwen2);
     * {@code qNorm}/{@code kNorm} are null unless it has per-head q/k RMSNorm (Qwen3).
     */
    public record Layer(
            Tensor attnNorm, // (C)
            Tensor wqkv,     // (H·D + 2·KV·D, C): rows of q_proj, then k_proj, then v_proj
            Tensor wo,       // (C, H·D)
            Tensor mlpNorm,  // (C)
            Tensor wGateUp,  // (2F, C): rows of gate_proj, then up_proj
            Tensor wDown,    // (C, F)
            Tensor bqkv,     // (H·D + 2·KV·D): q_proj.bias, k_proj.bias, v_proj.bias; or null
            Tensor qNorm,    // (D) or null
            Tensor kNorm) {  // (D) or null
    }

    private final LlamaConfig config;
    private final float[] data;
    private final Tensor embed;   // (V, C)
    private final Layer[] layers; // (L)
    private final Tensor norm;    // (C)
    private final Tensor lmHead;  // (V, C), the same view as embed when tied

    private LlamaWeights(LlamaConfig config, float[] data) {
        this.config = config;
        this.data = data;
        int v = config.vocabSize(), c = config.hiddenSize(), d = config.headDim(), f = config.intermediateSize();
        int q = config.numAttentionHeads() * d, kv = config.numKeyValueHeads() * d;
        int[] cursor = {0};
        embed = view(data, cursor, v, c);
        layers = new Layer[config.numHiddenLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Layer(view(data, cursor, c), view(data, cursor, q + 2 * kv, c), view(data, cursor, c, q),
                    view(data, cursor, c), view(data, cursor, 2 * f, c), view(data, cursor, c, f),
                    config.hasQkvBias() ? view(data, cursor, q + 2 * kv) : null,
                    config.hasQkNorm() ? view(data, cursor, d) : null,
                    config.hasQkNorm() ? view(data, cursor, d) : null);
        }
        norm = view(data, cursor, c);
        lmHead = config.tieWordEmbeddings() ? embed : view(data, cursor, v, c);
        if (cursor[0] != data.length) throw new IllegalStateException("layout size mismatch");
    }

    /** Zero-filled parameters for {@code config}. */
    public static LlamaWeights zeros(LlamaConfig config) {
        long n = size(config);
        if (n > Integer.MAX_VALUE - 8)
            throw new dev.seedling.tensor.SeedlingException("a model of " + n + " parameters does not fit one float array"
                    + " (at most 2^31 - 9, about 2.1 billion parameters); use a smaller model");
        return new LlamaWeights(config, new float[(int) n]);
    }

    /** A second set of arrays with the same layout (gradients, optimizer moments). */
    public LlamaWeights sameLayout() {
        return zeros(config);
    }

    /** Number of floats in the flat layout (= parameter count). */
    public static long size(LlamaConfig config) {
        long v = config.vocabSize(), c = config.hiddenSize(), d = config.headDim(), f = config.intermediateSize();
        long q = config.numAttentionHeads() * d, kv = config.numKeyValueHeads() * d;
        long perLayer = c + (q + 2 * kv) * c + c * q + c + 2 * f * c + c * f;
        if (config.hasQkvBias()) perLayer += q + 2 * kv;
        if (config.hasQkNorm()) perLayer += 2 * d;
        return v * c + config.numHiddenLayers() * perLayer + c + (config.tieWordEmbeddings() ? 0 : v * c);
    }

    private static Tensor view(float[] data, int[] cursor, int... shape) {
        Tensor t = new Tensor(data, cursor[0], shape);
        cursor[0] += t.size();
        return t;
    }

    public LlamaConfig config() {
        return config;
    }

    /** The flat storage of every parameter. */
    public float[] data() {
        return data;
    }

    public Tensor embed() {
        return embed;
    }

    public Layer layer(int l) {
        return layers[l];
    }

    public int numLayers() {
        return layers.length;
    }

    public Tensor norm() {
        return norm;
    }

    public Tensor lmHead() {
        return lmHead;
    }

    /**
     * The parameters under their Hugging Face names and shapes, in the order {@code LlamaForCausalLM} lists them;
     * the views share this object's storage (writing into them loads weights).
     */
    public Map<String, Tensor> hfTensors() {
        int c = config.hiddenSize(), d = config.headDim(), f = config.intermediateSize();
        int q = config.numAttentionHeads() * d, kv = config.numKeyValueHeads() * d;
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("model.embed_tokens.weight", embed);
        for (int l = 0; l < layers.length; l++) {
            Layer y = layers[l];
            String p = "model.layers." + l + ".";
            m.put(p + "input_layernorm.weight", y.attnNorm());
            m.put(p + "self_attn.q_proj.weight", rows(y.wqkv(), 0, q, c));
            m.put(p + "self_attn.k_proj.weight", rows(y.wqkv(), q, kv, c));
            m.put(p + "self_attn.v_proj.weight", rows(y.wqkv(), q + kv, kv, c));
            m.put(p + "self_attn.o_proj.weight", y.wo());
            m.put(p + "post_attention_layernorm.weight", y.mlpNorm());
            m.put(p + "mlp.gate_proj.weight", rows(y.wGateUp(), 0, f, c));
            m.put(p + "mlp.up_proj.weight", rows(y.wGateUp(), f, f, c));
            m.put(p + "mlp.down_proj.weight", y.wDown());
            if (y.bqkv() != null) {
                m.put(p + "self_attn.q_proj.bias", slice(y.bqkv(), 0, q));
                m.put(p + "self_attn.k_proj.bias", slice(y.bqkv(), q, kv));
                m.put(p + "self_attn.v_proj.bias", slice(y.bqkv(), q + kv, kv));
            }
            if (y.qNorm() != null) {
                m.put(p + "self_attn.q_norm.weight", y.qNorm());
                m.put(p + "self_attn.k_norm.weight", y.kNorm());
            }
        }
        m.put("model.norm.weight", norm);
        if (!config.tieWordEmbeddings()) m.put("lm_head.weight", lmHead);
        return m;
    }

    private static Tensor slice(Tensor t, int first, int count) {
        return new Tensor(t.data(), t.offset() + first, new int[] {count});
    }

    private static Tensor rows(Tensor t, int firstRow, int count, int cols) {
        return new Tensor(t.data(), t.offset() + firstRow * cols, new int[] {count, cols});
    }
}
