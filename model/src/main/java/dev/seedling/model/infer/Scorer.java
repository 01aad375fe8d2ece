package dev.seedling.model.infer;

import dev.seedling.tensor.SeedlingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Log-likelihood of continuations given contexts: the primitive of multiple-choice evaluation and of DPO's reference
 * log-probs. Items are packed several to a forward pass (each in its own cache slot, whole sequences prefilled as
 * matrix-matrix work, logits computed only for the rows that predict continuation tokens); an item longer than one
 * pass continues in the next, through its cache slot.
 *
 * <p>Log-probs are the log-softmax of the raw logits over the whole vocabulary, in double precision from float32
 * logits.
 */
public final class Scorer {
    private Scorer() {}

    /** A context (at least one token) and the continuation (at least one token) to score after it. */
    public record Item(int[] context, int[] continuation) {
        public Item {
            if (context == null || context.length == 0)
                throw new SeedlingException("a scoring context must hold at least one token (e.g. BOS)");
            if (continuation == null || continuation.length == 0)
                throw new SeedlingException("a scoring continuation must hold at least one token");
            context = context.clone();
            continuation = continuation.clone();
        }

        int length() {
            return context.length + continuation.length;
        }

        int token(int i) {
            return i < context.length ? context[i] : continuation[i - context.length];
        }
    }

    /**
     * The score of one item: the sum of its continuation tokens' log-probs, each of them, and whether every
     * continuation token was the argmax of its logits (greedy decoding would have produced it).
     */
    public record Score(double logLikelihood, float[] tokenLogprobs, boolean greedy) {}

    /** Scores {@code items} with up to 8 per forward pass. */
    public static List<Score> logLikelihood(InferenceModel model, List<Item> items) {
        return logLikelihood(model, items, 8);
    }

    /**
     * Scores {@code items} (in order), packing up to {@code slots} items and {@link InferenceModel#maxRows()} tokens
     * into each forward pass.
     */
    public static List<Score> logLikelihood(InferenceModel model, List<Item> items, int slots) {
        int V = model.config().vocabSize(), maxRows = model.maxRows();
        int longest = 1;
        for (Item it : items) {
            if (it.length() - 1 > model.contextLength())
                throw new SeedlingException("a scoring item of " + it.length() + " tokens exceeds the context length "
                        + model.contextLength() + " (the last token needs no position)");
            longest = Math.max(longest, it.length() - 1);
        }
        if (items.isEmpty()) return List.of();
        slots = Math.min(slots, items.size());
        KvCache cache = model.newCache(slots, longest);
        // logits of at most maxRows rows per pass, computed in one LM-head product
        int logitBudget = Math.max(1, Math.min(maxRows, (64 << 20) / (4 * V)));
        float[] logits = new float[logitBudget * V];
        int[] segSlots = new int[slots], counts = new int[slots], logitRows = new int[maxRows], tokens = new int[maxRows];
        int[] owner = new int[slots], done = new int[slots]; // item in slot, tokens of it fed so far
        double[] sums = new double[items.size()];
        float[][] lps = new float[items.size()][];
        boolean[] greedy = new boolean[items.size()];
        int next = 0, finished = 0;
        java.util.Arrays.fill(owner, -1);
        while (finished < items.size()) {
            // assign free slots
            for (int s = 0; s < slots; s++) {
                if (owner[s] < 0 && next < items.size()) {
                    owner[s] = next;
                    lps[next] = new float[items.get(next).continuation().length];
                    greedy[next] = true;
                    done[s] = 0;
                    cache.reset(s);
                    next++;
                }
            }
            // one pass: each slot's next tokens while rows and logit rows last
            int segs = 0, rows = 0, nl = 0;
            for (int s = 0; s < slots && rows < maxRows && nl < logitBudget; s++) {
                if (owner[s] < 0) continue;
                Item it = items.get(owner[s]);
                int feed = it.length() - 1; // the last token is only predicted, never fed
                int c = 0, ctxLast = it.context().length - 1;
                while (done[s] + c < feed && rows + c < maxRows) {
                    int pos = done[s] + c;
                    boolean wantsLogits = pos >= ctxLast;
                    if (wantsLogits && nl == logitBudget) break;
                    tokens[rows + c] = it.token(pos);
                    if (wantsLogits) logitRows[nl++] = rows + c;
                    c++;
                }
                if (c == 0) continue;
                segSlots[segs] = s;
                counts[segs++] = c;
                rows += c;
            }
            model.forward(cache, segs, segSlots, counts, tokens, 0, logitRows, nl, logits);
            // read off the log-probs, segment by segment
            int li = 0;
            for (int g = 0, r = 0; g < segs; r += counts[g], g++) {
                int s = segSlots[g], item = owner[s];
                Item it = items.get(item);
                for (int i = 0; i < counts[g]; i++) {
                    int pos = done[s] + i;
                    if (li < nl && logitRows[li] == r + i) {
                        int target = it.token(pos + 1), j = pos + 1 - it.context().length;
                        int off = li * V;
                        float max = Float.NEGATIVE_INFINITY;
                        int arg = 0;
                        for (int v = 0; v < V; v++) if (logits[off + v] > max) { max = logits[off + v]; arg = v; }
                        double z = 0;
                        for (int v = 0; v < V; v++) z += Math.exp(logits[off + v] - max);
                        double lp = logits[off + target] - max - Math.log(z);
                        lps[item][j] = (float) lp;
                        sums[item] += lp;
                        if (arg != target) greedy[item] = false;
                        li++;
                    }
                }
                done[s] += counts[g];
                if (done[s] == it.length() - 1) {
                    owner[s] = -1;
                    finished++;
                }
            }
        }
        List<Score> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) out.add(new Score(sums[i], lps[i], greedy[i]));
        return out;
    }
}
