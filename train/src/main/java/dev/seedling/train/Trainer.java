package dev.seedling.train;

import dev.seedling.data.BatchLoader;
import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.tensor.CrossEntropyOp;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tape;
import dev.seedling.tensor.Var;
import dev.seedling.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pretraining loop: causal-LM loss over packed token shards, gradient accumulation, AdamW with a learning-rate
 * schedule and global gradient clipping, periodic validation, atomic checkpoints and exact resume.
 *
 * <p>One step = {@code gradAccum} micro-batches of B×T tokens: forward, loss, backward (gradients summed with
 * weight 1/gradAccum), then clip and update. Validation runs on an inference tape over the first
 * {@code evalBatches} batches of the validation split, the same windows every time. The data is one packed
 * directory or a mixture ({@link TrainData}); a mixture draws each training row from a source by weight and
 * validates every source separately ({@code evalBatches} each), reporting each loss and their weighted mean.
 *
 * <p>Determinism: the seed fixes initialisation and data order, every kernel is deterministic for a given thread
 * count, and a checkpoint holds weights, both AdamW moments, the step and the data loader's position, so a
 * resumed run continues the uninterrupted loss curve bit for bit.
 */
public final class Trainer {
    private Trainer() {}

    /**
     * One pretraining run.
     *
     * @param model      architecture (ignored for the weights when resuming: the checkpoint's config must equal it)
     * @param train      training settings
     * @param data       a packed token-shard directory, or a mixture of sources
     * @param tokenizer  saved next to the model so the model directory is complete; mixture sources given as
     *                   documents are packed with it
     * @param runDir     where metrics, checkpoints and the final model go
     * @param resume     continue from the latest checkpoint in {@code runDir}
     * @param peakFlops  the machine's measured peak FLOP/s for MFU (0 = unknown)
     */
    public record Request(LlamaConfig model, TrainConfig train, TrainData data, Tokenizer tokenizer, Path runDir,
                          boolean resume, double peakFlops, StepListener listener) {
        public Request {
            listener = listener == null ? StepListener.NONE : listener;
        }

        /** A run on one packed token-shard directory ({@code seedling pack} output). */
        public Request(LlamaConfig model, TrainConfig train, Path data, Tokenizer tokenizer, Path runDir,
                       boolean resume, double peakFlops, StepListener listener) {
            this(model, train, new TrainData.Packed(data), tokenizer, runDir, resume, peakFlops, listener);
        }
    }

    /** A validation pass: the weighted total and each source's loss (by name; empty for one packed directory). */
    private record Validation(double loss, Map<String, Double> bySource, String json) {}

    public static TrainResult run(Request req) {
        TrainConfig cfg = req.train();
        LlamaConfig mc = req.model();
        RunDir run = RunDir.prepare(req.runDir(), req.resume(), cfg.keepCheckpoints());
        try (DataFeed data = DataFeed.open(req.data(), req.tokenizer(), mc, cfg)) {
            LlamaModel model;
            LlamaWeights m, v;
            long startStep, tokens;
            Checkpoint.Loaded ck = req.resume() ? run.latestCheckpoint() : null;
            if (ck != null) {
                Checkpoint.Loaded c = ck;
                c.checkCompatible(mc, cfg);
                data.restore(c.loaderState(), c.dir());
                model = LlamaModel.of(c.weights(), true);
                m = c.adamM();
                v = c.adamV();
                startStep = c.step();
                tokens = c.tokens();
                run.truncateMetricsAfter(startStep);
            } else {
                model = LlamaModel.initialize(mc, cfg.seed(), true);
                m = model.weights().sameLayout();
                v = model.weights().sameLayout();
                startStep = 0;
                tokens = 0;
            }
            run.writeResolvedConfig(mc, cfg, data.describe(RunDir.JSON));
            long lastStep = cfg.haltAfter() > 0 ? cfg.haltAfter() : cfg.maxSteps();
            long params = LlamaWeights.size(mc);
            req.listener().onStart(startStep, lastStep, params);

            double flopsPerToken = 6.0 * params + 6.0 * mc.numHiddenLayers() * mc.hiddenSize() * cfg.seqLen();
            TrainStep stepper = new TrainStep(model, m, v, cfg);
            Tape evalTape = Tape.inference();
            boolean validates = !data.validation().isEmpty();

            double initialVal = Double.NaN;
            if (startStep == 0 && validates) {
                Validation val0 = validate(model, data, evalTape, cfg);
                initialVal = val0.loss();
                run.appendMetrics("{\"step\":0," + val0.json() + "}");
                req.listener().onEval(0, val0.loss(), val0.bySource());
            }
            double[] losses = new double[(int) Math.max(0, lastStep - startStep)];
            long t0 = System.nanoTime();
            long tokens0 = tokens;
            double valLoss = Double.NaN;
            Map<String, Double> valBySource = Map.of();
            for (long step = startStep; step < lastStep; step++) {
                long s0 = System.nanoTime();
                TrainStep.Outcome out = stepper.run(step, data::next);
                if (!Double.isFinite(out.loss()))
                    throw new SeedlingException("training diverged at step " + (step + 1) + " (loss " + out.loss()
                            + "); lower learning_rate (now " + cfg.learningRate() + ") or raise warmup_steps");
                tokens += cfg.tokensPerStep();
                long done = step + 1;
                double secs = (System.nanoTime() - s0) / 1e9;
                double tps = cfg.tokensPerStep() / secs;
                double mfu = req.peakFlops() > 0 ? tps * flopsPerToken / req.peakFlops() : Double.NaN;
                losses[(int) (step - startStep)] = out.loss();
                run.appendMetrics(String.format(Locale.ROOT,
                        "{\"step\":%d,\"loss\":%.6f,\"lr\":%.6g,\"grad_norm\":%.5f,\"tokens\":%d,\"step_s\":%.4f,\"tokens_per_s\":%.1f,\"mfu\":%s%s}",
                        done, out.loss(), out.lr(), out.gradNorm(), tokens, secs, tps,
                        Double.isNaN(mfu) ? "null" : String.format(Locale.ROOT, "%.4f", mfu), data.stepMetrics()));
                req.listener().onStep(new StepListener.StepStats(done, out.loss(), out.lr(), out.gradNorm(), tokens, secs, tps, mfu));

                boolean last = done == lastStep;
                if (validates && ((cfg.evalEvery() > 0 && done % cfg.evalEvery() == 0) || (last && done == cfg.maxSteps()))) {
                    Validation val = validate(model, data, evalTape, cfg);
                    valLoss = val.loss();
                    valBySource = val.bySource();
                    run.appendMetrics("{\"step\":" + done + "," + val.json() + "}");
                    req.listener().onEval(done, val.loss(), val.bySource());
                }
                if ((cfg.checkpointEvery() > 0 && done % cfg.checkpointEvery() == 0) || last) {
                    Path dir = run.saveCheckpoint(new Checkpoint.State(done, tokens, data.position()), model, m, v, cfg,
                            req.tokenizer());
                    run.writeLossPlot();
                    req.listener().onCheckpoint(done, dir);
                }
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double meanTps = elapsed > 0 ? (tokens - tokens0) / elapsed : Double.NaN;
            Path modelDir = null;
            if (lastStep == cfg.maxSteps()) modelDir = run.saveFinalModel(model, req.tokenizer());
            return new TrainResult(startStep, lastStep, losses, valLoss, initialVal, meanTps, modelDir, valBySource);
        }
    }

    /**
     * Validation loss of every source with a validation split, and their total weighted by the mixture's
     * probabilities (renormalised over the sources that have one). One packed directory gives its loss unchanged.
     */
    private static Validation validate(LlamaModel model, DataFeed data, Tape tape, TrainConfig cfg) {
        List<DataFeed.ValSource> sources = data.validation();
        double[] losses = new double[sources.size()];
        double weighted = 0, weights = 0;
        Map<String, Double> bySource = new LinkedHashMap<>();
        for (int i = 0; i < losses.length; i++) {
            DataFeed.ValSource s = sources.get(i);
            losses[i] = evaluate(model, s.loader(), tape, cfg);
            weighted += s.weight() * losses[i];
            weights += s.weight();
            if (s.name() != null) bySource.put(s.name(), losses[i]);
        }
        double total = weighted / weights;
        String json = String.format(Locale.ROOT, "\"val_loss\":%.6f", total);
        if (data.isMixture()) json += ",\"val_loss_by_source\":{" + DataFeed.lossesJson(sources, losses) + "}";
        return new Validation(total, Collections.unmodifiableMap(bySource), json);
    }

    /** Mean loss over the first {@code evalBatches} validation windows (the same windows every call). */
    public static double evaluate(LlamaModel model, BatchLoader val, Tape tape, TrainConfig cfg) {
        int bt = cfg.batchSize() * cfg.seqLen();
        int[] inputs = new int[bt], targets = new int[bt];
        val.reset();
        long batches = Math.min(cfg.evalBatches(), val.batchesPerEpoch());
        double sum = 0;
        int n = 0;
        for (int b = 0; b < batches; b++) {
            val.next(inputs, targets);
            tape.reset();
            Var logits = model.forward(tape, inputs, 0, cfg.batchSize(), cfg.seqLen());
            sum += CrossEntropyOp.apply(tape, logits, targets, 0).value().get(0);
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
