package dev.seedling.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.data.BatchLoader;
import dev.seedling.data.Mixture;
import dev.seedling.data.MixtureLoader;
import dev.seedling.data.TokenShards;
import dev.seedling.data.TokenSplit;
import dev.seedling.model.LlamaConfig;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data side of a run, opened from a {@link TrainData}: the training batches, their checkpointable position,
 * the validation loaders and the description recorded in {@code run.json}. One packed directory is read by a
 * {@link BatchLoader} exactly as before mixtures existed (same windows, same order); a mixture by a
 * {@link MixtureLoader}. Not thread-safe; owned by one {@link Trainer#run} call.
 */
abstract sealed class DataFeed implements AutoCloseable permits DataFeed.Single, DataFeed.Mixed {
    /**
     * One validation source: the windows of its validation split in order, and its weight in the total.
     *
     * @param name   the mixture source's name, or null for a single packed directory
     * @param weight normalised mixture probability (1 for a single directory)
     */
    record ValSource(String name, double weight, BatchLoader loader) {}

    /** Fills one micro-batch of B·T inputs and targets. */
    abstract void next(int[] inputs, int[] targets);

    /** Where the training stream stands, for a checkpoint. */
    abstract Checkpoint.Position position();

    /** Continues from a checkpoint's position; refuses a position written for other data. */
    abstract void restore(Checkpoint.Position position, Path checkpointDir);

    /** The sources with a validation split of at least one window (empty when none has one). */
    abstract List<ValSource> validation();

    /** The {@code "data"} object of {@code run.json}. */
    abstract ObjectNode describe(ObjectMapper json);

    /** Extra members for a step's metrics line (starting with a comma), or "" when there are none. */
    abstract String stepMetrics();

    /** True for a mixture: validation lines then also carry {@code val_loss_by_source}. */
    abstract boolean isMixture();

    @Override
    public abstract void close();

    static DataFeed open(TrainData data, Tokenizer tokenizer, LlamaConfig model, TrainConfig cfg) {
        if (cfg.seqLen() > model.maxPositionEmbeddings())
            throw new SeedlingException("seq_len=" + cfg.seqLen() + " exceeds the model's max_position_embeddings="
                    + model.maxPositionEmbeddings());
        return switch (data) {
            case TrainData.Packed p -> new Single(p.dir(), model, cfg);
            case TrainData.Mixed m -> new Mixed(m, tokenizer, model, cfg);
        };
    }

    private static void checkVocab(TokenShards shards, String what, LlamaConfig model) {
        if (shards.vocabSize() > model.vocabSize())
            throw new SeedlingException(what + " was packed with a " + shards.vocabSize()
                    + "-token vocabulary but the model's vocab_size is " + model.vocabSize()
                    + "; set vocab_size >= " + shards.vocabSize());
    }

    /** A validation loader over {@code val}, or null when it is shorter than one window (tiny corpora). */
    private static BatchLoader validationLoader(TokenSplit val, TrainConfig cfg) {
        return val.size() > cfg.seqLen() ? BatchLoader.validation(val, cfg.batchSize(), cfg.seqLen()) : null;
    }

    /** One packed directory. */
    static final class Single extends DataFeed {
        private final TokenShards shards;
        private final BatchLoader train;
        private final List<ValSource> val;

        Single(Path dir, LlamaConfig model, TrainConfig cfg) {
            TokenShards sh = TokenShards.open(dir);
            try {
                checkVocab(sh, "the data in " + dir, model);
                this.train = BatchLoader.training(sh.train(), cfg.batchSize(), cfg.seqLen(), cfg.seed());
                BatchLoader v = validationLoader(sh.val(), cfg);
                this.val = v == null ? List.of() : List.of(new ValSource(null, 1.0, v));
            } catch (RuntimeException e) {
                sh.close();
                throw e;
            }
            this.shards = sh;
        }

        @Override
        void next(int[] inputs, int[] targets) {
            train.next(inputs, targets);
        }

        @Override
        Checkpoint.Position position() {
            return new Checkpoint.Single(train.state());
        }

        @Override
        void restore(Checkpoint.Position position, Path checkpointDir) {
            switch (position) {
                case Checkpoint.Single s -> train.restore(s.state());
                case Checkpoint.Mix m -> throw new SeedlingException("checkpoint " + checkpointDir
                        + " was written by a mixture run (sources " + String.join(", ", m.sources().stream().map(Checkpoint.MixSource::name).toList())
                        + "); resume it with --mixture and the same mixture file, not --data");
            }
        }

        @Override
        List<ValSource> validation() {
            return val;
        }

        @Override
        ObjectNode describe(ObjectMapper json) {
            ObjectNode d = json.createObjectNode();
            d.put("packed", shards.dir().toString());
            d.put("train_tokens", shards.train().size());
            d.put("val_tokens", shards.val().size());
            return d;
        }

        @Override
        String stepMetrics() {
            return "";
        }

        @Override
        boolean isMixture() {
            return false;
        }

        @Override
        public void close() {
            shards.close();
        }
    }

    /** A mixture of sources sampled by weight. */
    static final class Mixed extends DataFeed {
        private final TrainData.Mixed spec;
        private final Mixture.Opened opened;
        private final MixtureLoader train;
        private final List<ValSource> val = new ArrayList<>();
        private final double[] probabilities; // (S)
        private final long[] rowsBefore; // (S) rowsPerSource() after the previous step's metrics

        Mixed(TrainData.Mixed spec, Tokenizer tokenizer, LlamaConfig model, TrainConfig cfg) {
            this.spec = spec;
            Mixture mixture = spec.mixture();
            Mixture.Opened o = mixture.open(tokenizer, spec.packRoot());
            try {
                this.probabilities = mixture.probabilities();
                for (int s = 0; s < mixture.sources().size(); s++) {
                    Mixture.Source src = mixture.sources().get(s);
                    TokenShards sh = o.shards().get(s);
                    checkVocab(sh, "mixture source " + src.name() + " (" + sh.dir() + ")", model);
                    if (sh.train().size() <= cfg.seqLen())
                        throw new SeedlingException("mixture source " + src.name() + " (" + sh.dir() + ") has "
                                + sh.train().size() + " training tokens, fewer than one window of seq_len+1="
                                + (cfg.seqLen() + 1) + "; add text to it or lower seq_len");
                    BatchLoader v = validationLoader(sh.val(), cfg);
                    if (v != null) val.add(new ValSource(src.name(), probabilities[s], v));
                }
                this.train = o.trainingLoader(cfg.batchSize(), cfg.seqLen(), cfg.seed());
            } catch (RuntimeException e) {
                o.close();
                throw e;
            }
            this.opened = o;
            this.rowsBefore = new long[probabilities.length];
        }

        @Override
        void next(int[] inputs, int[] targets) {
            train.next(inputs, targets);
        }

        private List<Checkpoint.MixSource> sources() {
            List<Checkpoint.MixSource> out = new ArrayList<>();
            List<Mixture.Source> src = spec.mixture().sources();
            for (int s = 0; s < src.size(); s++)
                out.add(new Checkpoint.MixSource(src.get(s).name(), src.get(s).weight(), opened.shards().get(s).train().size()));
            return out;
        }

        @Override
        Checkpoint.Position position() {
            return new Checkpoint.Mix(sources(), train.state());
        }

        @Override
        void restore(Checkpoint.Position position, Path checkpointDir) {
            switch (position) {
                case Checkpoint.Single s -> throw new SeedlingException("checkpoint " + checkpointDir
                        + " was written by a run on one data directory, not a mixture; resume it with --data");
                case Checkpoint.Mix m -> {
                    List<Checkpoint.MixSource> now = sources();
                    if (!names(m.sources()).equals(names(now)))
                        throw new SeedlingException("checkpoint " + checkpointDir + " was written for mixture sources "
                                + names(m.sources()) + " but this mixture has " + names(now)
                                + "; resume with the run's original mixture file");
                    double sumWas = 0, sumNow = 0;
                    for (int s = 0; s < now.size(); s++) {
                        sumWas += m.sources().get(s).weight();
                        sumNow += now.get(s).weight();
                    }
                    for (int s = 0; s < now.size(); s++) {
                        Checkpoint.MixSource was = m.sources().get(s), is = now.get(s);
                        // the rows drawn depend on the normalised weights only (2:1 and 4:2 draw alike)
                        if (was.weight() / sumWas != is.weight() / sumNow)
                            throw new SeedlingException("checkpoint " + checkpointDir + " was written with mixture source "
                                    + is.name() + " at weight " + was.weight() + " but the mixture now gives " + is.weight()
                                    + "; the data order would differ — resume with the original weights or start a new run");
                        if (was.trainTokens() != is.trainTokens())
                            throw new SeedlingException("mixture source " + is.name() + " now has " + is.trainTokens()
                                    + " training tokens but checkpoint " + checkpointDir + " was written when it had "
                                    + was.trainTokens() + "; its data changed since — restore it or start a new run");
                    }
                    train.restore(m.state());
                    java.util.Arrays.fill(rowsBefore, 0);
                }
            }
        }

        private static List<String> names(List<Checkpoint.MixSource> sources) {
            return sources.stream().map(Checkpoint.MixSource::name).toList();
        }

        @Override
        List<ValSource> validation() {
            return val;
        }

        @Override
        ObjectNode describe(ObjectMapper json) {
            ObjectNode d = json.createObjectNode();
            ObjectNode mix = d.putObject("mixture");
            if (spec.file() != null) mix.put("file", spec.file().toAbsolutePath().normalize().toString());
            ArrayNode arr = mix.putArray("sources");
            List<Mixture.Source> src = spec.mixture().sources();
            for (int s = 0; s < src.size(); s++) {
                TokenShards sh = opened.shards().get(s);
                arr.addObject()
                        .put("name", src.get(s).name())
                        .put("path", src.get(s).path().toString())
                        .put("packed", sh.dir().toString())
                        .put("weight", src.get(s).weight())
                        .put("probability", probabilities[s])
                        .put("train_tokens", sh.train().size())
                        .put("val_tokens", sh.val().size());
            }
            return d;
        }

        /** {@code ,"rows_by_source":{"name":rows,…}}: how many of this step's B·gradAccum rows each source gave. */
        @Override
        String stepMetrics() {
            long[] now = train.rowsPerSource();
            StringBuilder sb = new StringBuilder(",\"rows_by_source\":{");
            List<Mixture.Source> src = spec.mixture().sources();
            for (int s = 0; s < now.length; s++) {
                if (s > 0) sb.append(',');
                sb.append('"').append(src.get(s).name()).append("\":").append(now[s] - rowsBefore[s]);
                rowsBefore[s] = now[s];
            }
            return sb.append('}').toString();
        }

        @Override
        boolean isMixture() {
            return true;
        }

        @Override
        public void close() {
            opened.close();
        }
    }

    /** {@code "name":loss,…} in source order, for a validation line. */
    static String lossesJson(List<ValSource> sources, double[] losses) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sources.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(sources.get(i).name()).append("\":").append(String.format(Locale.ROOT, "%.6f", losses[i]));
        }
        return sb.toString();
    }
}
