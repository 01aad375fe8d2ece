package dev.seedling.model;

import dev.seedling.tensor.Tensor;
import java.util.Map;

/**
 * An independent, deliberately plain double-precision Llama forward pass written from the HF modeling code's
 * equations: separate q/k/v/gate/up matrices read by their HF names, explicit causal softmax attention with
 * repeat_kv, rotate-half RoPE. It shares no code with the engine besides the weight views. Covers Qwen2's q/k/v
 * biases, Qwen3's per-head q/k RMSNorm (before RoPE) and the {@code rope_scaling} types linear and llama3 (written
 * here again from HF's {@code _compute_llama3_parameters}).
 */
final class ReferenceLlama {
    private ReferenceLlama() {}

    static double[] logits(LlamaWeights w, int[] tokens, int batch, int seq) {
        LlamaConfig c = w.config();
        Map<String, Tensor> t = w.hfTensors();
        int C = c.hiddenSize(), H = c.numAttentionHeads(), KV = c.numKeyValueHeads(), D = c.headDim(), F = c.intermediateSize(), V = c.vocabSize();
        double eps = c.rmsNormEps();
        double[] out = new double[batch * seq * V];
        for (int b = 0; b < batch; b++) {
            double[][] x = new double[seq][C];
            for (int s = 0; s < seq; s++) x[s] = row(t.get("model.embed_tokens.weight"), tokens[b * seq + s], C);
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                String p = "model.layers." + l + ".";
                double[][] q = new double[seq][], k = new double[seq][], v = new double[seq][];
                double[] invFreq = inverseFrequencies(c);
                for (int s = 0; s < seq; s++) {
                    double[] hn = rmsnorm(x[s], t.get(p + "input_layernorm.weight"), eps);
                    double[] qs = addBias(matvec(t.get(p + "self_attn.q_proj.weight"), hn), t.get(p + "self_attn.q_proj.bias"));
                    double[] ks = addBias(matvec(t.get(p + "self_attn.k_proj.weight"), hn), t.get(p + "self_attn.k_proj.bias"));
                    v[s] = addBias(matvec(t.get(p + "self_attn.v_proj.weight"), hn), t.get(p + "self_attn.v_proj.bias"));
                    if (t.containsKey(p + "self_attn.q_norm.weight")) {
                        qs = headNorm(qs, H, D, t.get(p + "self_attn.q_norm.weight"), eps);
                        ks = headNorm(ks, KV, D, t.get(p + "self_attn.k_norm.weight"), eps);
                    }
                    q[s] = rope(qs, s, H, D, invFreq);
                    k[s] = rope(ks, s, KV, D, invFreq);
                }
                for (int s = 0; s < seq; s++) {
                    double[] att = new double[H * D];
                    for (int h = 0; h < H; h++) {
                        int g = h / (H / KV);
                        double[] sc = new double[s + 1];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j <= s; j++) {
                            double dot = 0;
                            for (int d = 0; d < D; d++) dot += q[s][h * D + d] * k[j][g * D + d];
                            sc[j] = dot / Math.sqrt(D);
                            max = Math.max(max, sc[j]);
                        }
                        double sum = 0;
                        for (int j = 0; j <= s; j++) sum += sc[j] = Math.exp(sc[j] - max);
                        for (int j = 0; j <= s; j++)
                            for (int d = 0; d < D; d++) att[h * D + d] += sc[j] / sum * v[j][g * D + d];
                    }
                    double[] o = matvec(t.get(p + "self_attn.o_proj.weight"), att);
                    for (int i = 0; i < C; i++) x[s][i] += o[i];
                    double[] hm = rmsnorm(x[s], t.get(p + "post_attention_layernorm.weight"), eps);
                    double[] gate = matvec(t.get(p + "mlp.gate_proj.weight"), hm), up = matvec(t.get(p + "mlp.up_proj.weight"), hm);
                    double[] act = new double[F];
                    for (int i = 0; i < F; i++) act[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                    double[] down = matvec(t.get(p + "mlp.down_proj.weight"), act);
                    for (int i = 0; i < C; i++) x[s][i] += down[i];
                }
            }
            Tensor head = c.tieWordEmbeddings() ? t.get("model.embed_tokens.weight") : t.get("lm_head.weight");
            for (int s = 0; s < seq; s++) {
                double[] logits = matvec(head, rmsnorm(x[s], t.get("model.norm.weight"), eps));
                System.arraycopy(logits, 0, out, (b * seq + s) * V, V);
            }
        }
        return out;
    }

    /** Mean cross-entropy of the reference logits. */
    static double loss(LlamaWeights w, int[] tokens, int[] targets, int batch, int seq) {
        int V = w.config().vocabSize();
        double[] lg = logits(w, tokens, batch, seq);
        double sum = 0;
        for (int r = 0; r < batch * seq; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < V; i++) max = Math.max(max, lg[r * V + i]);
            double z = 0;
            for (int i = 0; i < V; i++) z += Math.exp(lg[r * V + i] - max);
            sum += Math.log(z) + max - lg[r * V + targets[r]];
        }
        return sum / (batch * seq);
    }

    private static double[] row(Tensor t, int r, int n) {
        double[] o = new double[n];
        for (int i = 0; i < n; i++) o[i] = t.get(r * n + i);
        return o;
    }

    private static double[] matvec(Tensor w, double[] x) {
        int rows = w.dim(0), cols = w.dim(1);
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < cols; i++) s += w.get(r * cols + i) * x[i];
            y[r] = s;
        }
        return y;
    }

    private static double[] rmsnorm(double[] x, Tensor w, double eps) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double r = 1 / Math.sqrt(ss / x.length + eps);
        double[] o = new double[x.length];
        for (int i = 0; i < x.length; i++) o[i] = x[i] * r * w.get(i);
        return o;
    }

    private static double[] addBias(double[] y, Tensor bias) {
        if (bias != null) for (int i = 0; i < y.length; i++) y[i] += bias.get(i);
        return y;
    }

    /** RMSNorm of each of the {@code heads} D-wide slices of x with the shared weight w (D). */
    private static double[] headNorm(double[] x, int heads, int D, Tensor w, double eps) {
        double[] o = new double[x.length];
        for (int h = 0; h < heads; h++) {
            double[] part = java.util.Arrays.copyOfRange(x, h * D, (h + 1) * D);
            System.arraycopy(rmsnorm(part, w, eps), 0, o, h * D, D);
        }
        return o;
    }

    /** The RoPE inverse frequencies of HF's rope init functions (default, linear, llama3). */
    static double[] inverseFrequencies(LlamaConfig c) {
        int D = c.headDim();
        double[] f = new double[D / 2];
        for (int i = 0; i < f.length; i++) f[i] = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / D);
        LlamaConfig.RopeScaling rs = c.ropeScaling();
        if (rs == null) return f;
        for (int i = 0; i < f.length; i++) {
            if (rs.type().equals("linear")) {
                f[i] = f[i] / rs.factor();
                continue;
            }
            double oldCtx = rs.originalMaxPositionEmbeddings(), lowWavelen = oldCtx / rs.lowFreqFactor();
            double highWavelen = oldCtx / rs.highFreqFactor(), wavelen = 2 * Math.PI / f[i];
            double scaled = wavelen > lowWavelen ? f[i] / rs.factor() : f[i];
            double smooth = (oldCtx / wavelen - rs.lowFreqFactor()) / (rs.highFreqFactor() - rs.lowFreqFactor());
            double smoothed = (1 - smooth) * scaled / rs.factor() + smooth * scaled;
            boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            f[i] = medium ? smoothed : scaled;
        }
        return f;
    }

    /** HF rotate-half RoPE on each head of x at position pos. */
    private static double[] rope(double[] x, int pos, int heads, int D, double[] invFreq) {
        double[] o = new double[x.length];
        int half = D / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double ang = pos * invFreq[i];
                double x1 = x[h * D + i], x2 = x[h * D + i + half];
                o[h * D + i] = x1 * Math.cos(ang) - x2 * Math.sin(ang);
                o[h * D + i + half] = x2 * Math.cos(ang) + x1 * Math.sin(ang);
            }
        }
        return o;
    }
}
