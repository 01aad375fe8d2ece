package dev.seedling.train;

import dev.seedling.tensor.SeedlingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a pretraining run needs besides the model and data, validated on construction. All defaults live in
 * {@link #defaults()}; the resolved config is written into the run directory and every checkpoint.
 *
 * @param batchSize       sequences per micro-batch (B)
 * @param seqLen          tokens per sequence (T)
 * @param gradAccum       micro-batches per optimizer step (tokens per step = B·T·gradAccum)
 * @param maxSteps        optimizer steps of the whole run (the schedule's horizon)
 * @param learningRate    peak learning rate
 * @param schedule        cosine | wsd | constant
 * @param warmupSteps     linear warmup steps
 * @param minLrRatio      final learning rate as a fraction of the peak
 * @param decayFraction   WSD only: fraction of steps spent decaying
 * @param weightDecay     AdamW decoupled weight decay, applied to matrices (not to norms)
 * @param beta1           AdamW β1
 * @param beta2           AdamW β2
 * @param adamEps         AdamW ε
 * @param gradClip        global gradient-norm clip (0 = off)
 * @param evalEvery       validation every this many steps (0 = only at the end)
 * @param evalBatches     micro-batches per validation
 * @param checkpointEvery checkpoint every this many steps (0 = only at the end)
 * @param keepCheckpoints how many most recent checkpoints to keep
 * @param seed            fixes initialisation and data order
 * @param haltAfter       stop (with a checkpoint) after this step, as if interrupted; 0 = run to maxSteps
 */
public record TrainConfig(
        int batchSize, int seqLen, int gradAccum, int maxSteps,
        double learningRate, String schedule, int warmupSteps, double minLrRatio, double decayFraction,
        double weightDecay, double beta1, double beta2, double adamEps, double gradClip,
        int evalEvery, int evalBatches, int checkpointEvery, int keepCheckpoints, long seed, int haltAfter) {

    public TrainConfig {
        positive("batch_size", batchSize);
        positive("seq_len", seqLen);
        positive("grad_accum", gradAccum);
        positive("max_steps", maxSteps);
        if (!(learningRate > 0)) throw bad("learning_rate", learningRate, "must be > 0");
        Schedule.of(schedule, Math.max(0, warmupSteps), maxSteps, minLrRatio, decayFraction); // validates the name
        if (warmupSteps < 0) throw bad("warmup_steps", warmupSteps, "must be >= 0");
        if (minLrRatio < 0 || minLrRatio > 1) throw bad("min_lr_ratio", minLrRatio, "must be in [0, 1]");
        if (decayFraction <= 0 || decayFraction > 1) throw bad("decay_fraction", decayFraction, "must be in (0, 1]");
        if (weightDecay < 0) throw bad("weight_decay", weightDecay, "must be >= 0");
        if (beta1 < 0 || beta1 >= 1) throw bad("beta1", beta1, "must be in [0, 1)");
        if (beta2 < 0 || beta2 >= 1) throw bad("beta2", beta2, "must be in [0, 1)");
        if (!(adamEps > 0)) throw bad("adam_eps", adamEps, "must be > 0");
        if (gradClip < 0) throw bad("grad_clip", gradClip, "must be >= 0 (0 = off)");
        if (evalEvery < 0) throw bad("eval_every", evalEvery, "must be >= 0");
        positive("eval_batches", evalBatches);
        if (checkpointEvery < 0) throw bad("checkpoint_every", checkpointEvery, "must be >= 0");
        positive("keep_checkpoints", keepCheckpoints);
        if (haltAfter < 0 || haltAfter > maxSteps) throw bad("halt_after", haltAfter, "must be in [0, max_steps]");
    }

    /** The defaults: a small run that a laptop finishes in minutes on the tiny preset. */
    public static TrainConfig defaults() {
        return new TrainConfig(8, 256, 1, 1000, 1e-3, "cosine", 50, 0.1, 0.2,
                0.1, 0.9, 0.95, 1e-8, 1.0, 100, 8, 250, 2, 1337, 0);
    }

    public Schedule lrSchedule() {
        return Schedule.of(schedule, warmupSteps, maxSteps, minLrRatio, decayFraction);
    }

    public long tokensPerStep() {
        return (long) batchSize * seqLen * gradAccum;
    }

    /** This config as {@code key → value} with the snake_case keys that {@link #withOverrides} accepts. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", batchSize);
        m.put("seq_len", seqLen);
        m.put("grad_accum", gradAccum);
        m.put("max_steps", maxSteps);
        m.put("learning_rate", learningRate);
        m.put("schedule", schedule);
        m.put("warmup_steps", warmupSteps);
        m.put("min_lr_ratio", minLrRatio);
        m.put("decay_fraction", decayFraction);
        m.put("weight_decay", weightDecay);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("adam_eps", adamEps);
        m.put("grad_clip", gradClip);
        m.put("eval_every", evalEvery);
        m.put("eval_batches", evalBatches);
        m.put("checkpoint_every", checkpointEvery);
        m.put("keep_checkpoints", keepCheckpoints);
        m.put("seed", seed);
        m.put("halt_after", haltAfter);
        return m;
    }

    /** A copy with {@code key=value} overrides applied (keys as in {@link #toMap}); unknown keys are an error. */
    public TrainConfig withOverrides(Map<String, ?> overrides) {
        Map<String, Object> m = toMap();
        for (var e : overrides.entrySet()) {
            if (!m.containsKey(e.getKey()))
                throw new SeedlingException("unknown training setting '" + e.getKey() + "'; valid settings: "
                        + String.join(", ", new TreeMap<>(m).keySet()));
            m.put(e.getKey(), e.getValue());
        }
        try {
            return new TrainConfig(i(m, "batch_size"), i(m, "seq_len"), i(m, "grad_accum"), i(m, "max_steps"),
                    d(m, "learning_rate"), String.valueOf(m.get("schedule")), i(m, "warmup_steps"),
                    d(m, "min_lr_ratio"), d(m, "decay_fraction"), d(m, "weight_decay"), d(m, "beta1"),
                    d(m, "beta2"), d(m, "adam_eps"), d(m, "grad_clip"), i(m, "eval_every"), i(m, "eval_batches"),
                    i(m, "checkpoint_every"), i(m, "keep_checkpoints"), l(m, "seed"), i(m, "halt_after"));
        } catch (NumberFormatException e) {
            throw new SeedlingException("training setting is not a number: " + e.getMessage());
        }
    }

    private static int i(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof Number n) return n.intValue();
        String s = String.valueOf(v).trim().replace("_", "");
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            double dv = parse(k, v, s); // accepts 1e3
            if (dv != Math.rint(dv)) throw new SeedlingException(k + "=" + v + " must be a whole number");
            return (int) dv;
        }
    }

    private static long l(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v instanceof Number n) return n.longValue();
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw notANumber(k, v);
        }
    }

    private static double d(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Number n ? n.doubleValue() : parse(k, v, String.valueOf(v).trim());
    }

    private static double parse(String k, Object v, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw notANumber(k, v);
        }
    }

    private static SeedlingException notANumber(String k, Object v) {
        return new SeedlingException("training setting " + k + "=" + v + " is not a number");
    }

    private static void positive(String key, int v) {
        if (v <= 0) throw bad(key, v, "must be > 0");
    }

    private static SeedlingException bad(String key, Object v, String why) {
        return new SeedlingException("training setting " + key + "=" + v + " " + why);
    }
}
