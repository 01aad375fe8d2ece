package dev.seedling.cli;

import dev.seedling.bench.Peak;
import dev.seedling.data.Mixture;
import dev.seedling.data.PackConfig;
import dev.seedling.model.LlamaConfig;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.ByteTokenizer;
import dev.seedling.tokenizer.Tokenizer;
import dev.seedling.train.StepListener;
import dev.seedling.train.TrainConfig;
import dev.seedling.train.TrainData;
import dev.seedling.train.TrainResult;
import dev.seedling.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seedling pretrain}: train a Llama-style model from scratch (or continue a run) on a folder of text, or on a
 * mixture of sources sampled by weight (domain-adaptive pretraining with general replay).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pretrain a Llama-style model from scratch on your text, on the CPU.", "",
                "DATA is a folder of .txt/.md files, a docs.jsonl ({\"text\": …} per line), or a directory packed by",
                "`seedling pack`. Text is tokenized byte-level (learned vocabularies arrive with the tokenizer stage),",
                "split into train/validation by document, and packed into OUT/data.",
                "",
                "--mixture FILE trains on several sources instead: each training row comes from",
                "a source with probability weight / sum of weights, deterministically for a seed",
                "and exactly on --resume. Sources given as documents are packed into",
                "OUT/data/NAME with the run's tokenizer (reused when already there). Validation",
                "loss is reported per source and as their weighted mean (docs/formats.md).",
                "",
                "The run directory OUT gets run.json (resolved settings), metrics.jsonl (loss, lr, grad norm, tokens/s,",
                "MFU per step; validation loss), checkpoints/ (resumable with --resume) and model/ (a Hugging Face",
                "model directory: config.json, model.safetensors, tokenizer.json) when the run completes.",
                ""},
        footer = {"", "Examples:",
                "  seedling pretrain --data docs/ --preset tiny --out runs/tiny --steps 300",
                "  seedling pretrain --data docs/ --preset tiny --out runs/tiny --set hidden_size=128 --set schedule=wsd",
                "  seedling pretrain --out runs/tiny --data docs/ --resume          # continue after an interruption",
                "  seedling pretrain --mixture mix.json --out runs/dapt --steps 300",
                "  with mix.json (paths relative to its folder; weights need not sum to 1):",
                "    {\"sources\": [",
                "      {\"name\": \"domain\",  \"path\": \"manuals/\",           \"weight\": 0.7},",
                "      {\"name\": \"general\", \"path\": \"general/docs.jsonl\", \"weight\": 0.3}]}",
                "", "Model keys for --set: " + "hidden_size, intermediate_size, num_attention_heads, num_key_value_heads,",
                "  num_hidden_layers, vocab_size, rms_norm_eps, rope_theta, max_position_embeddings, tie_word_embeddings, head_dim",
                "Training keys for --set: batch_size, seq_len, grad_accum, max_steps, learning_rate, schedule (cosine|wsd|constant),",
                "  warmup_steps, min_lr_ratio, decay_fraction, weight_decay, beta1, beta2, adam_eps, grad_clip, eval_every,",
                "  eval_batches, checkpoint_every, keep_checkpoints, seed, halt_after"})
final class PretrainCommand implements Runnable {
    @Option(names = "--data", paramLabel = "DATA", description = "Text folder, docs.jsonl, or packed directory.")
    Path data;
    @Option(names = "--mixture", paramLabel = "FILE",
            description = "Mixture file: sources (text folder, docs.jsonl or packed directory) with weights; instead of --data.")
    Path mixtureFile;
    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Run directory (new, or existing with --resume).")
    Path out;
    @Option(names = "--preset", paramLabel = "NAME", description = "Model size: tiny (5M), small (32M), smollm2-135m (135M). Default: tiny.")
    String preset;
    @Option(names = "--config", paramLabel = "FILE", description = "A Hugging Face config.json instead of a preset.")
    Path config;
    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (max_steps).")
    Integer steps;
    @Option(names = "--batch", paramLabel = "B", description = "Sequences per micro-batch (batch_size).")
    Integer batch;
    @Option(names = "--seq", paramLabel = "T", description = "Tokens per sequence (seq_len).")
    Integer seq;
    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (learning_rate).")
    Double lr;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a model or training setting (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();
    @Option(names = "--resume", description = "Continue the run in OUT from its latest checkpoint.")
    boolean resume;
    @Option(names = "--tokenizer", paramLabel = "PATH", description = {"Tokenizer for text data: a tokenizer.json or a directory holding one",
            "(see `seedling tokenizer train`). Default: the one a packed --data directory was packed with, else byte-level."})
    Path tokenizerPath;
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public void run() {
        if (preset != null && config != null) throw new SeedlingException("give either --preset or --config, not both");
        if (data != null && mixtureFile != null) throw new SeedlingException("give either --data or --mixture, not both");
        if (data == null && mixtureFile == null) throw new SeedlingException("give the training text with --data DATA or --mixture FILE");
        Mixture mixture = mixtureFile == null ? null : readMixture();
        Tokenizer tokenizer = mixture != null ? chooseTokenizer(mixture) : chooseTokenizer();
        Map<String, String> modelKeys = new LinkedHashMap<>(), trainKeys = new LinkedHashMap<>();
        for (var e : overrides.entrySet()) (LlamaConfig.KEYS.contains(e.getKey()) ? modelKeys : trainKeys).put(e.getKey(), e.getValue());
        shortcut(trainKeys, "--steps", "max_steps", steps);
        shortcut(trainKeys, "--batch", "batch_size", batch);
        shortcut(trainKeys, "--seq", "seq_len", seq);
        shortcut(trainKeys, "--lr", "learning_rate", lr);
        if (resume && !Files.isRegularFile(out.resolve("checkpoints").resolve("latest")))
            throw new SeedlingException("nothing to resume in " + out + ": it has no checkpoints/latest");

        LlamaConfig base = config != null ? LlamaConfig.read(config) : LlamaConfig.preset(preset == null ? "tiny" : preset);
        if (!modelKeys.containsKey("vocab_size") && config == null) {
            // a preset's vocabulary is sized for a learned tokenizer; byte-level text needs far fewer rows
            int v = (tokenizer.vocabSize() + 63) / 64 * 64;
            modelKeys.put("vocab_size", String.valueOf(v));
        }
        LlamaConfig model = base.withOverrides(modelKeys);
        if (config == null) model = model.withSpecialTokens(tokenizer.bosId() >= 0 ? tokenizer.bosId() : tokenizer.eosId(), tokenizer.eosId());
        TrainConfig train = TrainConfig.defaults();
        if (!trainKeys.containsKey("seq_len")) trainKeys.put("seq_len", String.valueOf(Math.min(train.seqLen(), model.maxPositionEmbeddings())));
        train = train.withOverrides(trainKeys);

        TrainData trainData = mixture != null ? packMixture(mixture, tokenizer) : new TrainData.Packed(packIfNeeded(tokenizer));
        double peak = Peak.fmaPeakGflops() * 1e9;
        System.out.printf(Locale.ROOT, "model: %,d parameters (%d layers, hidden %d, %d heads / %d kv heads, vocab %d); %d threads%n",
                model.parameterCount(), model.numHiddenLayers(), model.hiddenSize(), model.numAttentionHeads(),
                model.numKeyValueHeads(), model.vocabSize(), Parallel.threads());
        System.out.printf(Locale.ROOT, "training: %d steps × %d tokens (batch %d × seq %d × accum %d), lr %.2g %s%n",
                train.maxSteps(), train.tokensPerStep(), train.batchSize(), train.seqLen(), train.gradAccum(),
                train.learningRate(), train.schedule());
        ProgressListener listener = new ProgressListener(train.maxSteps());
        TrainResult r = Trainer.run(new Trainer.Request(model, train, trainData, tokenizer, out, resume, peak, listener));
        if (r.modelDir() != null) {
            System.out.printf(Locale.ROOT, "done: %d steps, final train loss %.4f, validation loss %.4f, %.0f tokens/s%n",
                    r.lastStep(), r.losses().length > 0 ? r.losses()[r.losses().length - 1] : Double.NaN, r.valLoss(), r.tokensPerSecond());
            if (!r.valLossBySource().isEmpty()) System.out.println("validation loss by source: " + bySource(r.valLossBySource()));
            System.out.println("model: " + r.modelDir());
            System.out.println("try:   bin/seedling generate --model " + r.modelDir() + " --prompt \"...\"");
        } else {
            System.out.println("halted after step " + r.lastStep() + "; continue with --resume");
        }
    }

    /**
     * --tokenizer when given; else the tokenizer saved in a packed --data directory; else byte-level. A packed directory
     * whose shards came from another tokenizer than --tokenizer is an error, not a silent mismatch.
     */
    private Tokenizer chooseTokenizer() {
        Tokenizer packed = Files.isRegularFile(data.resolve("index.json")) ? PackCommand.packedWith(data) : null;
        if (tokenizerPath == null) return packed != null ? packed : new ByteTokenizer();
        Tokenizer chosen = PackCommand.load(tokenizerPath);
        if (packed != null && !packed.files().equals(chosen.files()))
            throw new SeedlingException(data + " was packed with another tokenizer than " + tokenizerPath + "; drop --tokenizer or repack");
        return chosen;
    }

    private Mixture readMixture() {
        if (!Files.isRegularFile(mixtureFile)) throw new SeedlingException("mixture file " + mixtureFile + " does not exist");
        Mixture m = Mixture.read(mixtureFile);
        for (Mixture.Source s : m.sources())
            if (!Files.exists(s.path()))
                throw new SeedlingException(mixtureFile + ": source " + s.name() + " names " + s.path()
                        + ", which does not exist (relative paths are resolved against the mixture file's folder)");
        return m;
    }

    /**
     * For a mixture: --tokenizer when given, else the tokenizer saved in the first source that is a packed directory,
     * else byte-level. Every packed source must have been packed with it.
     */
    private Tokenizer chooseTokenizer(Mixture mixture) {
        Tokenizer chosen = tokenizerPath != null ? PackCommand.load(tokenizerPath) : null;
        String chosenFrom = tokenizerPath != null ? "--tokenizer " + tokenizerPath : null;
        for (Mixture.Source s : mixture.sources()) {
            if (!Files.isRegularFile(s.path().resolve("index.json"))) continue;
            Tokenizer packed = PackCommand.packedWith(s.path());
            if (packed == null) continue; // packed without tokenizer files: the name and vocabulary size are checked when opened
            if (chosen == null) {
                chosen = packed;
                chosenFrom = "source " + s.name() + " (" + s.path() + ")";
            } else if (!packed.files().equals(chosen.files())) {
                throw new SeedlingException(mixtureFile + ": source " + s.name() + " (" + s.path()
                        + ") was packed with another tokenizer than " + chosenFrom + "; repack it with the same tokenizer");
            }
        }
        return chosen != null ? chosen : new ByteTokenizer();
    }

    /**
     * Packs every source given as documents into OUT/data/NAME with the run's tokenizer (with a progress bar), or
     * reuses a pack already there made with that tokenizer; packed sources are read in place.
     */
    private TrainData packMixture(Mixture mixture, Tokenizer tokenizer) {
        if (!resume) refuseUsedRunDirectory();
        Path root = out.resolve("data");
        for (Mixture.Source s : mixture.sources()) {
            if (Files.isRegularFile(s.path().resolve("index.json"))) continue;
            Path dest = root.resolve(s.name());
            if (Files.isRegularFile(dest.resolve("index.json")) && Files.isRegularFile(dest.resolve("tokenizer.json"))) {
                if (PackCommand.packedWith(dest).files().equals(tokenizer.files())) continue;
                throw new SeedlingException(dest + " (source " + s.name() + ") was packed with another tokenizer than this run's; "
                        + (resume ? "resume with the run's original --tokenizer" : "delete it to repack, or choose another --out"));
            }
            System.out.println("source " + s.name() + ": packing " + s.path() + " into " + dest);
            PackCommand.packWithProgress(PackConfig.of(s.path(), dest, tokenizer));
            tokenizer.save(dest);
        }
        return new TrainData.Mixed(mixture, root, mixtureFile);
    }

    /** A new run may only go into an absent or empty OUT, or one holding just packed data from an earlier attempt. */
    private void refuseUsedRunDirectory() {
        if (Files.isRegularFile(out.resolve("run.json")) || Files.exists(out.resolve("checkpoints")))
            throw new SeedlingException("run directory " + out + " already holds a run; pass --resume to continue it or choose another --out");
        if (!Files.isDirectory(out)) return;
        try (Stream<Path> s = Files.list(out)) {
            if (!s.allMatch(p -> p.getFileName().toString().equals("data")))
                throw new SeedlingException("run directory " + out + " is not empty; choose a new or empty --out");
        } catch (IOException e) {
            throw new SeedlingException("cannot list " + out + ": " + e.getMessage());
        }
    }

    private static String bySource(Map<String, Double> losses) {
        StringBuilder sb = new StringBuilder();
        for (var e : losses.entrySet())
            sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(String.format(Locale.ROOT, " %.4f", e.getValue()));
        return sb.toString();
    }

    /** Applies a shortcut option such as {@code --steps}; giving it and {@code --set} for the same key is an error. */
    private static void shortcut(Map<String, String> keys, String option, String key, Object value) {
        if (value == null) return;
        if (keys.containsKey(key))
            throw new SeedlingException(option + " and --set " + key + "=" + keys.get(key) + " both set " + key + "; give one");
        keys.put(key, String.valueOf(value));
    }

    private Path packIfNeeded(Tokenizer tokenizer) {
        if (!Files.exists(data)) throw new SeedlingException("data path " + data + " does not exist");
        if (Files.isRegularFile(data.resolve("index.json"))) return data;
        Path dest = out.resolve("data");
        if (resume && Files.isRegularFile(dest.resolve("index.json"))) return dest;
        if (Files.isRegularFile(out.resolve("run.json")) && !resume)
            throw new SeedlingException("run directory " + out + " already holds a run; pass --resume to continue it or choose another --out");
        PackCommand.packWithProgress(PackConfig.of(data, dest, tokenizer));
        return dest;
    }

    /** Draws the progress bar from the trainer's step reports. */
    private static final class ProgressListener implements StepListener {
        private final Progress bar;
        private long first;
        private double lastVal = Double.NaN;

        ProgressListener(long total) {
            this.bar = new Progress(System.out, "pretrain", total);
        }

        @Override
        public void onStart(long firstStep, long lastStep, long parameters) {
            first = firstStep;
            if (firstStep > 0) bar.note("resuming from step " + firstStep);
        }

        @Override
        public void onStep(StepStats s) {
            String mfu = Double.isNaN(s.mfu()) ? "" : String.format(Locale.ROOT, " MFU %.0f%%", 100 * s.mfu());
            String val = Double.isNaN(lastVal) ? "" : String.format(Locale.ROOT, " val %.3f", lastVal);
            bar.update(s.step(), first, String.format(Locale.ROOT, "loss %.3f%s lr %.1e %,.0f tok/s%s",
                    s.loss(), val, s.lr(), s.tokensPerSecond(), mfu));
        }

        @Override
        public void onEval(long step, double valLoss, Map<String, Double> bySource) {
            lastVal = valLoss;
            bar.note(String.format(Locale.ROOT, "step %d: validation loss %.4f", step, valLoss)
                    + (bySource.isEmpty() ? "" : " (" + bySource(bySource) + ")"));
        }
    }
}
