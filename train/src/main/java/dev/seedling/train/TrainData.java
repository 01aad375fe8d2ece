package dev.seedling.train;

import dev.seedling.data.Mixture;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a pretraining run reads: one packed token-shard directory, or a {@link Mixture} of sources sampled by weight
 * (domain text plus general "replay" text for domain-adaptive pretraining).
 */
public sealed interface TrainData {
    /** One token-shard directory ({@code seedling pack} output): windows in a seeded shuffle, epoch after epoch. */
    record Packed(Path dir) implements TrainData {
        public Packed {
            Objects.requireNonNull(dir, "dir");
        }
    }

    /**
     * A mixture: every training row comes from source s with probability weight[s] / Σ weight
     * ({@link dev.seedling.data.MixtureLoader}); validation loss is reported per source and as the
     * weight-averaged total.
     *
     * @param mixture  the sources and weights
     * @param packRoot where sources given as documents are packed ({@code packRoot/<name>}; an existing pack made
     *                 with the run's tokenizer is reused), normally {@code RUN/data}
     * @param file     the mixture file it was read from, recorded in {@code run.json} (may be null)
     */
    record Mixed(Mixture mixture, Path packRoot, Path file) implements TrainData {
        public Mixed {
            Objects.requireNonNull(mixture, "mixture");
            Objects.requireNonNull(packRoot, "packRoot");
        }
    }
}
