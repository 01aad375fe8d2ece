package dev.seedling.train;

import java.nio.file.Path;
import java.util.Map;

/** What the trainer reports while it runs (the CLI draws a progress bar from it; tests record it). */
public interface StepListener {
    /** After every optimizer step. */
    default void onStep(StepStats stats) {}

    /** After a validation pass. */
    default void onEval(long step, double valLoss) {}

    /**
     * After a validation pass, with a mixture run's loss per source (in source order; empty for one packed
     * directory). {@code valLoss} is their mean weighted by the mixture. By default calls {@link #onEval(long, double)}.
     */
    default void onEval(long step, double valLoss, Map<String, Double> bySource) {
        onEval(step, valLoss);
    }

    /** After a checkpoint was written. */
    default void onCheckpoint(long step, Path dir) {}

    /** When the run begins: the step it starts from (non-zero after a resume) and the last step it will run. */
    default void onStart(long firstStep, long lastStep, long parameters) {}

    StepListener NONE = new StepListener() {};

    /**
     * Figures of one optimizer step.
     *
     * @param step        the step just completed, counted from 1
     * @param loss        mean training loss over the step's micro-batches
     * @param lr          learning rate used
     * @param gradNorm    global gradient norm before clipping
     * @param tokens      tokens seen so far in the whole run
     * @param stepSeconds wall time of this step
     * @param tokensPerSecond throughput of this step
     * @param mfu         achieved FLOP/s over the measured peak (NaN when no peak is known)
     */
    record StepStats(long step, double loss, double lr, double gradNorm, long tokens, double stepSeconds,
                     double tokensPerSecond, double mfu) {}
}
