package dev.seedling.model.infer;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.tensor.Attention;
import dev.seedling.tensor.Elementwise;
import dev.seedling.tensor.RmsNorm;
import dev.seedling.tensor.Rope;
import dev.seedling.tensor.RopeTable;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.SwiGlu;
import dev.seedling.tensor.Tensor;
import dev.seedling.tensor.infer.DecodeAttention;
import dev.seedling.tensor.infer.F32DecodeMatrix;
import dev.seedling.tensor.quant.F32Matrix;
import dev.seedling.tensor.quant.WeightMatrix;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The inference engine of the Llama family (Llama, Mistral, Qwen2 with q/k/v biases, Qwen3 with q/k norms): a
 * forward pass over a batch of sequence segments that reads and extends a {@link KvCache}.
 *
 * <p>Legend: M rows in one call (tokens of all segments together), V vocab, C hidden size, H query heads, KV key/value
 * heads, D head dim, W = (H + 2·KV)·D, F intermediate size.
 *
 * <p>One call ({@link #forward}) takes segments: segment {@code s} appends {@code counts[s]} tokens to cache slot
 * {@code slots[s]}, at positions {@code length(slot) ..}. A prompt prefill is one long segment (matrix-matrix work:
 * every projection is one {@link WeightMatrix#matmul} with m = prompt length); a decoding step of a batch is one
 * single-token segment per sequence (m = batch size, each row at its own position and cache slot); scoring packs
 * several whole sequences. Per layer: RMSNorm → fused q/k/v projection (+ bias) → (per-head q/k RMSNorm) → RoPE →
 * keys/values into the cache → causal attention over the cache → o projection → residual; RMSNorm → fused gate/up →
 * SwiGLU → down → residual; then final RMSNorm and the LM head on the rows whose logits are asked for.
 *
 * <p>Every projection and the LM head is a {@link WeightMatrix}: f32 views of the {@link LlamaWeights} by default, or
 * whatever format the {@code format} function of {@link #of(LlamaWeights, Function)} makes of them (e.g. Q8_0). An
 * f32 result ({@link F32Matrix}) runs as an {@link F32DecodeMatrix} (same weights, no copy; decoding steps stream
 * the rows in address order). The embedding table, norms and biases stay f32.
 *
 * <p>Threads and memory: kernels run on the {@link dev.seedling.tensor.Parallel} pool; activation scratch is
 * allocated for the largest M seen and reused, so steady-state decoding allocates nothing. Not thread-safe: one
 * call at a time per model.
 */
public final class InferenceModel {
    /** Default most rows per {@link #forward} call; {@link #prefill} splits longer prompts into chunks of this size. */
    public static final int DEFAULT_MAX_ROWS = 512;

    private record Layer(LlamaWeights.Layer f32, WeightMatrix wqkv, WeightMatrix wo, WeightMatrix wGateUp, WeightMatrix wDown) {}

    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Layer[] layers;
    private final WeightMatrix lmHead;
    private final RopeTable rope;
    private final int maxRows;
    private final DecodeAttention decodeAttention = new DecodeAttention();
    // dimensions
    private final int V, C, H, KV, D, W, F;
    private final float eps;
    // scratch, grown to the largest M seen
    private int capacity;
    private float[] x, xn, tmp, hid; // (M, C): residual stream, normed, projection output, rows for the LM head
    private float[] qkv;             // (M, W)
    private float[] att;             // (M, H·D)
    private float[] gu, act;         // (M, 2F), (M, F)
    private float[] rstd;            // (M)
    private int[] rowSlot, rowPos, rowKvBase, rowKeys, decodeIndex; // (M)
    private int[] decodeCounts = new int[0], decodeRows = new int[0];  // (M), the segments of decode()
    private final float[] headRstd;                                    // (max(H, KV)), q/k norm scratch

    private InferenceModel(LlamaWeights weights, Function<F32Matrix, WeightMatrix> format, int maxRows) {
        this.config = weights.config();
        this.weights = weights;
        this.maxRows = maxRows;
        if (maxRows <= 0) throw new IllegalArgumentException("maxRows must be positive, got " + maxRows);
        V = config.vocabSize(); C = config.hiddenSize(); H = config.numAttentionHeads(); KV = config.numKeyValueHeads();
        D = config.headDim(); W = (H + 2 * KV) * D; F = config.intermediateSize();
        eps = (float) config.rmsNormEps();
        layers = new Layer[weights.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            LlamaWeights.Layer y = weights.layer(l);
            layers[l] = new Layer(y, convert(format, y.wqkv()), convert(format, y.wo()), convert(format, y.wGateUp()),
                    convert(format, y.wDown()));
        }
        lmHead = convert(format, weights.lmHead());
        rope = RopeTable.create(config.ropeInverseFrequencies(), config.contextLength());
        headRstd = new float[Math.max(H, KV)];
    }

    /**
     * The matrix the engine runs for weight tensor {@code t} [out × in] in {@code format}: f32 stays f32 (no copy) but
     * takes the row-streaming decode path of {@link F32DecodeMatrix}. Benchmarks use this to time what decoding runs.
     */
    public static WeightMatrix convert(Function<F32Matrix, WeightMatrix> format, Tensor t) {
        F32Matrix m = new F32Matrix(t.data(), t.offset(), t.dim(0), t.dim(1));
        WeightMatrix w = format.apply(m);
        if (w instanceof F32Matrix f) w = new F32DecodeMatrix(f); // f32 stays f32, with the row-streaming decode path
        if (w.rows() != m.rows() || w.cols() != m.cols())
            throw new IllegalStateException("weight format " + w.format() + " changed a " + m.rows() + "x" + m.cols()
                    + " matrix into " + w.rows() + "x" + w.cols());
        return w;
    }

    /** An engine over {@code weights} (f32 views, no copy). */
    public static InferenceModel of(LlamaWeights weights) {
        return of(weights, m -> m);
    }

    /**
     * An engine whose projection matrices and LM head are {@code format.apply(f32 view)} (e.g. a quantiser); the
     * f32 weights stay referenced for the embedding, norms and biases.
     */
    public static InferenceModel of(LlamaWeights weights, Function<F32Matrix, WeightMatrix> format) {
        return new InferenceModel(weights, format, DEFAULT_MAX_ROWS);
    }

    /** As {@link #of(LlamaWeights, Function)} with a chosen most rows per forward call (and prefill chunk). */
    public static InferenceModel of(LlamaWeights weights, Function<F32Matrix, WeightMatrix> format, int maxRows) {
        return new InferenceModel(weights, format, maxRows);
    }

    /** Loads a Hugging Face model directory (any supported architecture, f32/bf16/f16, single or sharded). */
    public static InferenceModel load(Path dir) {
        return of(LlamaModel.load(dir, false).weights());
    }

    /** Loads a model directory and converts its matrices with {@code format}. */
    public static InferenceModel load(Path dir, Function<F32Matrix, WeightMatrix> format) {
        return of(LlamaModel.load(dir, false).weights(), format);
    }

    public LlamaConfig config() {
        return config;
    }

    /** The f32 weights the engine was built from. */
    public LlamaWeights weights() {
        return weights;
    }

    /** Most rows one {@link #forward} call takes. */
    public int maxRows() {
        return maxRows;
    }

    /** The longest sequence this model handles ({@link LlamaConfig#contextLength()}). */
    public int contextLength() {
        return config.contextLength();
    }

    /** Bytes of matrix weights read per forward call (all projections and the LM head; memory-bandwidth figures). */
    public long weightBytes() {
        long b = lmHead.bytes();
        for (Layer y : layers) b += y.wqkv().bytes() + y.wo().bytes() + y.wGateUp().bytes() + y.wDown().bytes();
        return b;
    }

    /** The storage format of the projection matrices ({@code "f32"}, {@code "q8_0"}, …). */
    public String weightFormat() {
        return layers.length == 0 ? lmHead.format() : layers[0].wqkv().format();
    }

    /** A new cache of {@code slots} sequences of up to {@code maxSeq} tokens (≤ {@link #contextLength()}). */
    public KvCache newCache(int slots, int maxSeq) {
        if (maxSeq > contextLength())
            throw new SeedlingException("a KV cache of " + maxSeq + " tokens exceeds the model's context length " + contextLength());
        return new KvCache(layers.length, slots, maxSeq, KV, D);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // convenience entry points

    /**
     * Appends {@code tokens} to slot {@code slot} (in chunks of {@link #maxRows()}) and writes the logits of the last
     * token into {@code logits[0, V)}.
     */
    public void prefill(KvCache cache, int slot, int[] tokens, float[] logits) {
        if (tokens.length == 0) throw new IllegalArgumentException("prefill needs at least one token");
        if (cache.length(slot) + tokens.length > cache.maxSeq())
            throw new SeedlingException("a prompt of " + tokens.length + " tokens after " + cache.length(slot)
                    + " cached ones goes beyond the cache's " + cache.maxSeq() + " (context length " + contextLength() + ")");
        int[] slots = {slot}, counts = new int[1], last = new int[1];
        for (int off = 0; off < tokens.length; off += maxRows) {
            int n = Math.min(maxRows, tokens.length - off);
            counts[0] = n;
            boolean isLast = off + n == tokens.length;
            last[0] = n - 1;
            forward(cache, 1, slots, counts, tokens, off, last, isLast ? 1 : 0, logits);
        }
    }

    /**
     * One decoding step of {@code n} sequences: token {@code tokens[i]} is appended to slot {@code slots[i]}; the
     * next-token logits of sequence i go to {@code logits[i·V, (i+1)·V)}.
     */
    public void decode(KvCache cache, int[] slots, int[] tokens, int n, float[] logits) {
        ensureRows(n);
        int[] counts = decodeCounts, rows = decodeRows;
        for (int i = 0; i < n; i++) {
            counts[i] = 1;
            rows[i] = i;
        }
        forward(cache, n, slots, counts, tokens, 0, rows, n, logits);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the forward pass

    /**
     * The general forward pass. Segment {@code s < segments} appends tokens {@code tokens[tokOff + r]} for its rows r
     * (segments follow each other in the row order) to slot {@code slots[s]} ({@code counts[s]} tokens; slots
     * distinct). Rows number 0..M-1 over all segments, M ≤ {@link #maxRows()}. The logits of rows
     * {@code logitRows[0, numLogitRows)} (increasing) are written to {@code logits} as (numLogitRows, V).
     */
    public void forward(KvCache cache, int segments, int[] slots, int[] counts, int[] tokens, int tokOff,
                        int[] logitRows, int numLogitRows, float[] logits) {
        int m = 0;
        for (int s = 0; s < segments; s++) {
            int slot = slots[s], n = counts[s];
            if (n <= 0) throw new IllegalArgumentException("segment " + s + " has " + n + " tokens");
            if (cache.length(slot) + n > cache.maxSeq())
                throw new SeedlingException("sequence in slot " + slot + " would reach " + (cache.length(slot) + n)
                        + " tokens, beyond the cache's " + cache.maxSeq() + " (context length " + contextLength() + ")");
            for (int t = 0; t < s; t++)
                if (slots[t] == slot) throw new IllegalArgumentException("slot " + slot + " appears twice in one batch");
            m += n;
        }
        if (m > maxRows) throw new IllegalArgumentException(m + " rows exceed maxRows=" + maxRows);
        if (m == 0) return;
        if ((long) numLogitRows * V > logits.length)
            throw new IllegalArgumentException("logits buffer of " + logits.length + " floats < " + numLogitRows + " x " + V);
        for (int i = 0; i < numLogitRows; i++)
            if (logitRows[i] < 0 || logitRows[i] >= m || (i > 0 && logitRows[i] <= logitRows[i - 1]))
                throw new IllegalArgumentException("logit rows must increase within [0, " + m + ")");
        for (int r = 0; r < m; r++) {
            int t = tokens[tokOff + r];
            if (t < 0 || t >= V) throw new SeedlingException("token id " + t + " is outside the vocabulary [0, " + V + ")");
        }
        ensureRows(Math.max(m, numLogitRows));
        int decodeRowsCount = 0;
        for (int s = 0, r = 0; s < segments; s++) {
            int slot = slots[s], start = cache.length(slot);
            for (int i = 0; i < counts[s]; i++, r++) {
                rowSlot[r] = slot;
                rowPos[r] = start + i;
            }
            if (counts[s] == 1) decodeRowsCount++;
        }

        Tensor embed = weights.embed();
        for (int r = 0; r < m; r++)
            System.arraycopy(embed.data(), embed.offset() + tokens[tokOff + r] * C, x, r * C, C);

        int hd = H * D, kvd = KV * D;
        for (int l = 0; l < layers.length; l++) {
            Layer y = layers[l];
            LlamaWeights.Layer w = y.f32();
            float[] kc = cache.keys[l], vc = cache.values[l];
            // attention block
            RmsNorm.forward(xn, 0, rstd, 0, x, 0, w.attnNorm().data(), w.attnNorm().offset(), m, C, eps);
            y.wqkv().matmul(qkv, 0, xn, 0, m);                                                     // (M, W)
            if (w.bqkv() != null)
                for (int r = 0; r < m; r++) Elementwise.add(qkv, r * W, qkv, r * W, w.bqkv().data(), w.bqkv().offset(), W);
            if (w.qNorm() != null) {
                for (int r = 0; r < m; r++) {
                    RmsNorm.forward(qkv, r * W, headRstd, 0, qkv, r * W, w.qNorm().data(), w.qNorm().offset(), H, D, eps);
                    RmsNorm.forward(qkv, r * W + hd, headRstd, 0, qkv, r * W + hd, w.kNorm().data(), w.kNorm().offset(), KV, D, eps);
                }
            }
            for (int s = 0, r = 0; s < segments; r += counts[s], s++)
                Rope.forwardAt(qkv, r * W, qkv, r * W, rope, rowPos[r], counts[s], H, KV, D);
            for (int r = 0; r < m; r++) {
                int at = cache.offset(rowSlot[r], rowPos[r]);
                System.arraycopy(qkv, r * W + hd, kc, at, kvd);
                System.arraycopy(qkv, r * W + hd + kvd, vc, at, kvd);
            }
            attention(cache, kc, vc, segments, slots, counts, m, decodeRowsCount);                 // (M, H·D)
            y.wo().matmul(tmp, 0, att, 0, m);                                                      // (M, C)
            Elementwise.add(x, 0, x, 0, tmp, 0, m * C);
            // MLP block
            RmsNorm.forward(xn, 0, rstd, 0, x, 0, w.mlpNorm().data(), w.mlpNorm().offset(), m, C, eps);
            y.wGateUp().matmul(gu, 0, xn, 0, m);                                                   // (M, 2F)
            SwiGlu.forward(act, 0, gu, 0, m, F);                                                   // (M, F)
            y.wDown().matmul(tmp, 0, act, 0, m);                                                   // (M, C)
            Elementwise.add(x, 0, x, 0, tmp, 0, m * C);
        }
        for (int s = 0; s < segments; s++) cache.advance(slots[s], counts[s]);

        if (numLogitRows == 0) return;
        for (int i = 0; i < numLogitRows; i++) System.arraycopy(x, logitRows[i] * C, hid, i * C, C);
        Tensor norm = weights.norm();
        RmsNorm.forward(hid, 0, rstd, 0, hid, 0, norm.data(), norm.offset(), numLogitRows, C, eps);
        lmHead.matmul(logits, 0, hid, 0, numLogitRows);                                            // (rows, V)
    }

    /** Single-token segments in one parallel decode-attention call; longer segments through the tiled kernel. */
    private void attention(KvCache cache, float[] kc, float[] vc, int segments, int[] slots, int[] counts, int m,
                           int decodeRowsCount) {
        if (decodeRowsCount > 0) {
            // gather the single-token rows (their q rows are at their own row index)
            int n = 0;
            for (int s = 0, r = 0; s < segments; r += counts[s], s++) {
                if (counts[s] != 1) continue;
                rowKvBase[n] = cache.offset(slots[s], 0);
                rowKeys[n] = rowPos[r] + 1;
                decodeIndex[n++] = r;
            }
            if (n == m) {
                decodeAttention.forward(att, 0, qkv, 0, W, kc, vc, rowKvBase, KV * D, rowKeys, n, H, KV, D);
            } else {
                for (int i = 0; i < n; i++) {
                    int r = decodeIndex[i];
                    rowKvBase[0] = rowKvBase[i];
                    rowKeys[0] = rowKeys[i];
                    decodeAttention.forward(att, r * H * D, qkv, r * W, W, kc, vc, rowKvBase, KV * D, rowKeys, 1, H, KV, D);
                }
            }
        }
        for (int s = 0, r = 0; s < segments; r += counts[s], s++) {
            if (counts[s] == 1) continue;
            int base = cache.offset(slots[s], 0);
            Attention.forwardCached(att, r * H * D, qkv, r * W, W, kc, base, vc, base, KV * D, rowPos[r], counts[s], H, KV, D);
        }
    }

    private void ensureRows(int m) {
        if (m <= capacity) return;
        int n = Math.max(m, Math.min(maxRows, capacity * 2));
        x = new float[n * C];
        xn = new float[n * C];
        tmp = new float[n * C];
        hid = new float[n * C];
        qkv = new float[n * W];
        att = new float[n * H * D];
        gu = new float[n * 2 * F];
        act = new float[n * F];
        rstd = new float[n];
        rowSlot = new int[n];
        rowPos = new int[n];
        rowKvBase = new int[n];
        rowKeys = new int[n];
        decodeIndex = new int[n];
        decodeCounts = new int[n];
        decodeRows = new int[n];
        capacity = n;
    }
}
