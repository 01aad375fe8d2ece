package dev.seedling.model.format;

import dev.seedling.model.LlamaConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hugging Face tensor names and shapes of a {@code LlamaForCausalLM} checkpoint.
 *
 * <p>Legend: V vocab, C hidden size, L layers, H attention heads, KV key/value heads, D head dim, F intermediate size.
 * Projection weights are stored as PyTorch's {@code nn.Linear} keeps them: (out features, in features).
 */
public final class LlamaTensorNames {
    private LlamaTensorNames() {}

    public static final String EMBED = "model.embed_tokens.weight"; // (V, C)
    public static final String FINAL_NORM = "model.norm.weight";      // (C)
    public static final String LM_HEAD = "lm_head.weight";            // (V, C), absent when tied

    /** The prefix of layer {@code layer}'s tensors, {@code "model.layers.{layer}."}. */
    public static String layerPrefix(int layer) {
        return "model.layers." + layer + ".";
    }

    /**
     * Every tensor a checkpoint of {@code config} holds, name → shape, in this order: {@code model.embed_tokens}
     * (V, C); per layer {@code input_layernorm} (C), {@code self_attn.q_proj} (H·D, C), {@code k_proj} (KV·D, C),
     * {@code v_proj} (KV·D, C), {@code o_proj} (C, H·D), {@code post_attention_layernorm} (C), {@code mlp.gate_proj}
     * (F, C), {@code up_proj} (F, C), {@code down_proj} (C, F); {@code model.norm} (C); {@code lm_head} (V, C) unless
     * the embeddings are tied; Qwen2 adds {@code self_attn.{q,k,v}_proj.bias} (H·D), (KV·D), (KV·D) and Qwen3
     * {@code self_attn.{q,k}_norm.weight} (D) to each layer. The element counts add up to {@link LlamaConfig#parameterCount()}.
     */
    public static Map<String, int[]> shapes(LlamaConfig config) {
        int v = config.vocabSize(), c = config.hiddenSize(), f = config.intermediateSize();
        int q = config.queryDim(), kv = config.keyValueDim();
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put(EMBED, new int[] {v, c});
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            String p = layerPrefix(l);
            m.put(p + "input_layernorm.weight", new int[] {c});
            m.put(p + "self_attn.q_proj.weight", new int[] {q, c});
            m.put(p + "self_attn.k_proj.weight", new int[] {kv, c});
            m.put(p + "self_attn.v_proj.weight", new int[] {kv, c});
            m.put(p + "self_attn.o_proj.weight", new int[] {c, q});
            m.put(p + "post_attention_layernorm.weight", new int[] {c});
            m.put(p + "mlp.gate_proj.weight", new int[] {f, c});
            m.put(p + "mlp.up_proj.weight", new int[] {f, c});
            m.put(p + "mlp.down_proj.weight", new int[] {c, f});
            if (config.hasQkvBias()) {
                m.put(p + "self_attn.q_proj.bias", new int[] {q});
                m.put(p + "self_attn.k_proj.bias", new int[] {kv});
                m.put(p + "self_attn.v_proj.bias", new int[] {kv});
            }
            if (config.hasQkNorm()) {
                m.put(p + "self_attn.q_norm.weight", new int[] {config.headDim()});
                m.put(p + "self_attn.k_norm.weight", new int[] {config.headDim()});
            }
        }
        m.put(FINAL_NORM, new int[] {c});
        if (!config.tieWordEmbeddings()) m.put(LM_HEAD, new int[] {v, c});
        return m;
    }
}
