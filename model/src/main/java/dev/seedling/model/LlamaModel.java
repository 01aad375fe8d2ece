package dev.seedling.model;

import dev.seedling.tensor.AddOp;
import dev.seedling.tensor.AttentionOp;
import dev.seedling.tensor.EmbeddingOp;
import dev.seedling.tensor.LinearOp;
import dev.seedling.tensor.RmsNormOp;
import dev.seedling.tensor.RopeOp;
import dev.seedling.tensor.RopeTable;
import dev.seedling.tensor.SwiGluOp;
import dev.seedling.tensor.Tape;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.Var;
import dev.seedling.model.format.DType;
import dev.seedling.model.format.ModelDir;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Llama-family decoder (Llama 2/3, SmolLM): token embedding → L × [RMSNorm → fused q/k/v projection → RoPE →
 * causal grouped-query attention → output projection → residual; RMSNorm → fused gate/up projection → SwiGLU →
 * down projection → residual] → RMSNorm → LM head. The forward pass reads top to bottom as that list.
 *
 * <p>Legend: B batch, T sequence length, V vocab, C hidden size, H query heads, KV key/value heads, D head dim,
 * F intermediate size.
 *
 * <p>The tape forward covers Llama and Mistral checkpoints (with {@code rope_scaling}); Qwen2's q/k/v biases and
 * Qwen3's q/k norms are not in it, so {@link #forward} refuses those architectures with a one-line error: they
 * load, save and run through {@code dev.seedling.model.infer.InferenceModel}.
 *
 * <p>The model holds its weights (and, when built for training, gradients of the same layout). All activations
 * live on the {@link Tape} passed to {@link #forward}, so one model serves any number of tapes, batch shapes and
 * sequence lengths up to {@code max_position_embeddings}.
 */
public final class LlamaModel {
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final LlamaWeights grads; // null for inference-only models
    private final RopeTable rope;

    private LlamaModel(LlamaConfig config, LlamaWeights weights, LlamaWeights grads) {
        this.config = config;
        this.weights = weights;
        this.grads = grads;
        this.rope = RopeTable.create(config.ropeInverseFrequencies(), config.maxPositionEmbeddings());
    }

    /** A model over existing weights; {@code trainable} adds a zeroed gradient of the same layout. */
    public static LlamaModel of(LlamaWeights weights, boolean trainable) {
        return new LlamaModel(weights.config(), weights, trainable ? weights.sameLayout() : null);
    }

    /**
     * Fresh weights: every matrix ~ N(0, initializer_range²), the two projections that write into the residual
     * stream (o_proj, down_proj) scaled by 1/sqrt(2·L) (GPT-2), norms = 1. Fixed by {@code seed}.
     */
    public static LlamaModel initialize(LlamaConfig config, long seed, boolean trainable) {
        LlamaWeights w = LlamaWeights.zeros(config);
        SplittableRandom rng = new SplittableRandom(seed);
        double std = config.initializerRange();
        double residualStd = std / Math.sqrt(2.0 * config.numHiddenLayers());
        normal(rng, w.embed(), std);
        for (int l = 0; l < w.numLayers(); l++) {
            LlamaWeights.Layer y = w.layer(l);
            y.attnNorm().fill(1f);
            if (y.qNorm() != null) {
                y.qNorm().fill(1f);
                y.kNorm().fill(1f);
            }
            normal(rng, y.wqkv(), std);
            normal(rng, y.wo(), residualStd);
            y.mlpNorm().fill(1f);
            normal(rng, y.wGateUp(), std);
            normal(rng, y.wDown(), residualStd);
        }
        w.norm().fill(1f);
        if (!config.tieWordEmbeddings()) normal(rng, w.lmHead(), std);
        return of(w, trainable);
    }

    private static void normal(SplittableRandom rng, Tensor t, double std) {
        float[] a = t.data();
        int off = t.offset(), n = t.size();
        for (int i = 0; i < n; i += 2) {
            double u1 = rng.nextDouble(), u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log1p(-u1)) * std;
            a[off + i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) a[off + i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
        }
    }

    /**
     * Loads a model directory ({@code config.json} + {@code model.safetensors}, f32/bf16/f16) into float32 weights;
     * {@code trainable} adds a zeroed gradient.
     */
    public static LlamaModel load(Path dir, boolean trainable) {
        try (ModelDir.Loaded loaded = ModelDir.load(dir)) {
            LlamaWeights w = LlamaWeights.zeros(loaded.config());
            loaded.weights().readAllInto(w.hfTensors());
            return of(w, trainable);
        }
    }

    /**
     * Saves the model as a Hugging Face model directory: config.json, f32 model.safetensors, generation_config.json
     * and the tokenizer's files, all appearing at once (built in a staging folder). Replaces an existing model
     * directory; refuses any other non-empty folder.
     */
    public void save(Path dir, Tokenizer tokenizer) {
        save(dir, tokenizer, DType.F32);
    }

    /**
     * {@link #save(Path, Tokenizer)} with weights stored as {@code dtype}: F32 (exact; training checkpoints) or BF16
     * (half the size, what models meant for others are published in) or F16.
     */
    public void save(Path dir, Tokenizer tokenizer, DType dtype) {
        save(dir, tokenizer, ModelDir.SaveOptions.defaults().withDtype(dtype));
    }

    /** {@link #save(Path, Tokenizer)} with every option (dtype, sharding, overwrite) of {@link ModelDir.SaveOptions}. */
    public void save(Path dir, Tokenizer tokenizer, ModelDir.SaveOptions options) {
        Map<String, String> extra = tokenizer == null ? Map.of() : withChatStops(tokenizer);
        ModelDir.save(dir, config, weights.hfTensors(), extra, options);
    }

    /**
     * The tokenizer's files, plus — when it carries Seedling's default ChatML template — a generation_config.json
     * whose eos_token_id lists the chat format's stop tokens ({@code <|im_end|>} then EOS), so that HF transformers,
     * llama.cpp and Seedling's own chat all stop where the template ends a turn.
     */
    private static Map<String, String> withChatStops(Tokenizer tokenizer) {
        Map<String, String> files = new java.util.LinkedHashMap<>(tokenizer.files());
        String cfg = files.get("tokenizer_config.json");
        if (cfg == null) return files;
        try {
            com.fasterxml.jackson.databind.JsonNode t = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cfg).get("chat_template");
            if (t != null && t.isTextual() && t.asText().equals(dev.seedling.tokenizer.chat.ChatTemplate.SEEDLING_DEFAULT))
                files.put(ModelDir.GENERATION_CONFIG_FILE, dev.seedling.tokenizer.chat.ChatFormat.seedlingDefault(tokenizer).generationConfigJson());
        } catch (java.io.IOException e) {
            throw new dev.seedling.tensor.SeedlingException("tokenizer " + tokenizer.name() + ": tokenizer_config.json is not valid JSON: " + e.getMessage());
        }
        return files;
    }

    public LlamaConfig config() {
        return config;
    }

    public LlamaWeights weights() {
        return weights;
    }

    /** Gradients in the weights' layout, or null for an inference-only model. */
    public LlamaWeights grads() {
        return grads;
    }

    /**
     * Logits for {@code batch} sequences of {@code seq} tokens each (row-major in {@code tokens} from {@code off}),
     * every sequence starting at position 0. Returns a Var of shape (B·T, V). On a recording tape of a trainable
     * model the parameters take part in backward and their gradients are ADDED into {@link #grads()}.
     */
    public Var forward(Tape tape, int[] tokens, int off, int batch, int seq) {
        if (seq > config.contextLength())
            throw new IllegalArgumentException("sequence of " + seq + " tokens exceeds the context length "
                    + config.contextLength() + " (max_position_embeddings, or sliding_window when smaller)");
        if (config.hasQkvBias() || config.hasQkNorm())
            throw new SeedlingException("the training forward does not support " + config.architecture() + " ("
                    + (config.hasQkvBias() ? "q/k/v biases" : "q/k norms") + "); it loads and runs for inference only"
                    + " (dev.seedling.model.infer.InferenceModel)");
        int h = config.numAttentionHeads(), kv = config.numKeyValueHeads(), d = config.headDim();
        float eps = (float) config.rmsNormEps();
        Var embed = param(tape, weights.embed(), grads == null ? null : grads.embed());
        Var x = EmbeddingOp.apply(tape, embed, tokens, off, batch * seq);                  // (B·T, C)
        for (int l = 0; l < weights.numLayers(); l++) {
            LlamaWeights.Layer w = weights.layer(l), g = grads == null ? null : grads.layer(l);
            // attention block
            Var hn = RmsNormOp.apply(tape, x, param(tape, w.attnNorm(), g == null ? null : g.attnNorm()), eps);
            Var qkv = LinearOp.apply(tape, hn, param(tape, w.wqkv(), g == null ? null : g.wqkv())); // (B·T, (H+2KV)·D)
            qkv = RopeOp.apply(tape, qkv, rope, batch, seq, h, kv, d);
            Var att = AttentionOp.apply(tape, qkv, batch, seq, h, kv, d);                    // (B·T, H·D)
            Var o = LinearOp.apply(tape, att, param(tape, w.wo(), g == null ? null : g.wo())); // (B·T, C)
            x = AddOp.apply(tape, x, o);
            // MLP block
            Var hm = RmsNormOp.apply(tape, x, param(tape, w.mlpNorm(), g == null ? null : g.mlpNorm()), eps);
            Var gu = LinearOp.apply(tape, hm, param(tape, w.wGateUp(), g == null ? null : g.wGateUp())); // (B·T, 2F)
            Var act = SwiGluOp.apply(tape, gu);                                              // (B·T, F)
            Var down = LinearOp.apply(tape, act, param(tape, w.wDown(), g == null ? null : g.wDown())); // (B·T, C)
            x = AddOp.apply(tape, x, down);
        }
        Var xn = RmsNormOp.apply(tape, x, param(tape, weights.norm(), grads == null ? null : grads.norm()), eps);
        Var head = config.tieWordEmbeddings() ? embed
                : param(tape, weights.lmHead(), grads == null ? null : grads.lmHead());
        return LinearOp.apply(tape, xn, head);                                               // (B·T, V)
    }

    private static Var param(Tape tape, Tensor value, Tensor grad) {
        return grad == null ? tape.constant(value) : tape.param(value, grad);
    }
}
