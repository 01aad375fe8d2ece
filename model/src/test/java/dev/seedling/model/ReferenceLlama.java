package dev.seedling.model;

import dev.seedling.tensor.Tensor;
import java.util.Map;

/**
 * An independent, deliberately plain double-precision Llama forward pass written from the HF modeling code's
 * equations: separate q/k/v/gate/up matrices read by their HF names, explicit causal softmax attention with
 * repeat_kv, rotate-half RoPE. It shares no code with the engine besides the weight views.
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
                for (int s = 0; s < seq; s++) {
                    double[] hn = rmsnorm(x[s], t.get(p + "input_layernorm.weight"), eps);
                    q[s] = rope(matvec(t.get(p + "self_attn.q_proj.weight"), hn), s, H, D, c.ropeTheta());
                    k[s] = rope(matvec(t.get(p + "self_attn.k_proj.weight"), hn), s, KV, D, c.ropeTheta());
                    v[s] = matvec(t.get(p + "self_attn.v_proj.weight"), hn);
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

    /** HF rotate-half RoPE on each head of x at position pos. */
    private static double[] rope(double[] x, int pos, int heads, int D, double theta) {
        double[] o = new double[x.length];
        int half = D / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double ang = pos * Math.pow(theta, -2.0 * i / D);
                double x1 = x[h * D + i], x2 = x[h * D + i + half];
                o[h * D + i] = x1 * Math.cos(ang) - x2 * Math.sin(ang);
                o[h * D + i + half] = x2 * Math.cos(ang) + x1 * Math.sin(ang);
            }
        }
        return o;
    }
}
