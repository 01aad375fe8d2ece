package dev.seedling.train;

/**
 * Learning-rate schedules: {@code lr(step)} for steps counted from 0, as a multiple of the peak learning rate.
 * All have a linear warmup from 0 over {@code warmup} steps.
 */
public sealed interface Schedule {
    /** Linear warmup, then cosine decay to {@code minRatio}·peak at {@code total} steps (nanoGPT, Llama). */
    record Cosine(int warmup, int total, double minRatio) implements Schedule {}

    /**
     * Warmup–stable–decay (MiniCPM): warmup, then the peak rate held, then a decay over the last
     * {@code decayFraction} of the steps down to {@code minRatio}·peak (linear in this implementation — MiniCPM's
     * exponential variant behaves alike; the stable phase is what lets a run be extended from a checkpoint).
     */
    record Wsd(int warmup, int total, double decayFraction, double minRatio) implements Schedule {}

    /** Warmup, then constant. */
    record Constant(int warmup) implements Schedule {}

    /** The multiplier of the peak learning rate at {@code step}. */
    default double factor(long step) {
        int warmup = switch (this) {
            case Cosine c -> c.warmup();
            case Wsd w -> w.warmup();
            case Constant k -> k.warmup();
        };
        if (step < warmup) return (step + 1.0) / warmup;
        return switch (this) {
            case Cosine c -> {
                if (step >= c.total()) yield c.minRatio();
                double progress = (double) (step - warmup) / Math.max(1, c.total() - warmup);
                yield c.minRatio() + 0.5 * (1 - c.minRatio()) * (1 + Math.cos(Math.PI * progress));
            }
            case Wsd w -> {
                long decaySteps = Math.round(w.total() * w.decayFraction());
                long decayStart = w.total() - decaySteps;
                if (step < decayStart) yield 1.0;
                if (step >= w.total()) yield w.minRatio();
                double progress = (double) (step - decayStart) / Math.max(1, decaySteps);
                yield 1.0 - (1.0 - w.minRatio()) * progress;
            }
            case Constant k -> 1.0;
        };
    }

    /** Parses {@code cosine}, {@code wsd} or {@code constant} with the given step counts. */
    static Schedule of(String name, int warmup, int total, double minRatio, double decayFraction) {
        return switch (name) {
            case "cosine" -> new Cosine(warmup, total, minRatio);
            case "wsd" -> new Wsd(warmup, total, decayFraction, minRatio);
            case "constant" -> new Constant(warmup);
            default -> throw new dev.seedling.tensor.SeedlingException(
                    "unknown schedule '" + name + "': use cosine, wsd or constant");
        };
    }
}
