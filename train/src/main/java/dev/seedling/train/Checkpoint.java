package dev.seedling.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.data.BatchLoader;
import dev.seedling.data.MixtureLoader;
import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.model.format.Safetensors;
import dev.seedling.model.format.SafetensorsFile;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint: a directory {@code step-NNNNNNNN/} holding
 * <ul>
 *   <li>{@code model/} — a complete HF model directory (config.json, model.safetensors in f32, tokenizer files), so
 *       any checkpoint can be loaded, evaluated or served as it is;</li>
 *   <li>{@code optimizer.safetensors} — the AdamW moments {@code exp_avg} and {@code exp_avg_sq}, flat, in the
 *       model's parameter layout;</li>
 *   <li>{@code trainer_state.json} — format name and version, step, tokens seen, the data loader's position
 *       ({@code loader} for one packed directory; {@code mixture} with the sources' names, weights and train sizes
 *       plus the mixture loader's position for a mixture run) and the resolved training config.</li>
 * </ul>
 * Float32 values are stored bit-exactly, which is what makes resume exact.
 */
final class Checkpoint {
    static final String FORMAT = "seedling-checkpoint";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {}

    /** The non-tensor state: the step completed, tokens seen and where the training data loader stands. */
    record State(long step, long tokens, Position loader) {}

    /** Where the training data stands: one loader over one packed directory, or a mixture loader. */
    sealed interface Position permits Single, Mix {}

    /** The position of a {@link BatchLoader} over one packed directory. */
    record Single(BatchLoader.State state) implements Position {}

    /**
     * The position of a {@link MixtureLoader}, with what the mixture was (so a resume with another mixture fails
     * instead of silently drawing other rows).
     */
    record Mix(List<MixSource> sources, MixtureLoader.State state) implements Position {
        Mix {
            sources = List.copyOf(sources);
        }
    }

    /** One source of a mixture as the checkpoint records it: its name, weight and train-split size in tokens. */
    record MixSource(String name, double weight, long trainTokens) {}

    /** A checkpoint read back. */
    record Loaded(Path dir, long step, long tokens, Position loaderState, LlamaConfig modelConfig,
                  JsonNode trainConfig, LlamaWeights weights, LlamaWeights adamM, LlamaWeights adamV) {

        /** Refuses to resume into a run whose model differs from the checkpoint's. */
        void checkCompatible(LlamaConfig model, TrainConfig train) {
            if (!modelConfig.equals(model))
                throw new SeedlingException("checkpoint " + dir + " was written for a different model ("
                        + describeDiff(modelConfig, model) + "); resume with the run's original model settings or start a new run directory");
            for (String k : new String[] {"batch_size", "seq_len", "grad_accum", "seed"}) {
                String was = trainConfig.path(k).asText(), now = String.valueOf(train.toMap().get(k));
                if (!was.equals(now))
                    throw new SeedlingException("checkpoint " + dir + " was written with " + k + "=" + was + " but this run has "
                            + k + "=" + now + "; the data order would differ — use the original value to resume");
            }
        }
    }

    private static String describeDiff(LlamaConfig a, LlamaConfig b) {
        Map<String, Object> ma = JSON.convertValue(a, LinkedHashMap.class), mb = JSON.convertValue(b, LinkedHashMap.class);
        for (var e : ma.entrySet()) {
            Object other = mb.get(e.getKey());
            if (!String.valueOf(e.getValue()).equals(String.valueOf(other)))
                return e.getKey() + "=" + e.getValue() + " in the checkpoint vs " + other + " now";
        }
        return "configs differ";
    }

    /** Writes a checkpoint into {@code dir} (which must not exist yet; the caller renames it into place). */
    static void write(Path dir, State state, LlamaModel model, LlamaWeights m, LlamaWeights v, TrainConfig cfg,
                      Tokenizer tokenizer) throws IOException {
        Files.createDirectories(dir);
        model.save(dir.resolve("model"), tokenizer);
        Map<String, Tensor> opt = new LinkedHashMap<>();
        opt.put("exp_avg", Tensor.of(m.data(), m.data().length));
        opt.put("exp_avg_sq", Tensor.of(v.data(), v.data().length));
        Safetensors.write(dir.resolve("optimizer.safetensors"), opt, Map.of("format", FORMAT));
        ObjectNode json = JSON.createObjectNode();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.put("step", state.step());
        json.put("tokens", state.tokens());
        switch (state.loader()) {
            case Single one -> json.set("loader", JSON.valueToTree(one.state()));
            case Mix mix -> {
                ObjectNode mixture = json.putObject("mixture");
                var sources = mixture.putArray("sources");
                for (MixSource s : mix.sources())
                    sources.addObject().put("name", s.name()).put("weight", s.weight()).put("train_tokens", s.trainTokens());
                ObjectNode loader = mixture.putObject("loader");
                loader.put("rows", mix.state().rows());
                var per = loader.putArray("sources");
                for (BatchLoader.State s : mix.state().sources()) per.add(JSON.valueToTree(s));
            }
        }
        json.set("train_config", JSON.valueToTree(cfg.toMap()));
        AtomicFiles.write(dir.resolve("trainer_state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    static Loaded read(Path dir) {
        Path statePath = dir.resolve("trainer_state.json");
        JsonNode json;
        try {
            json = JSON.readTree(statePath.toFile());
        } catch (IOException e) {
            throw new SeedlingException("cannot read checkpoint state " + statePath + ": " + e.getMessage()
                    + " (the checkpoint is damaged; delete it to resume from the one before)");
        }
        if (!FORMAT.equals(json.path("format").asText()))
            throw new SeedlingException(statePath + " is not a Seedling checkpoint (format '" + json.path("format").asText() + "')");
        if (json.path("version").asInt() != VERSION)
            throw new SeedlingException(statePath + " has checkpoint version " + json.path("version").asInt()
                    + " but this Seedling reads version " + VERSION + "; use the Seedling version that wrote it");
        LlamaModel model = LlamaModel.load(dir.resolve("model"), false);
        LlamaWeights m = model.weights().sameLayout(), v = model.weights().sameLayout();
        Path optPath = dir.resolve("optimizer.safetensors");
        try (SafetensorsFile f = Safetensors.open(optPath)) {
            f.readInto("exp_avg", Tensor.of(m.data(), m.data().length));
            f.readInto("exp_avg_sq", Tensor.of(v.data(), v.data().length));
        }
        Position loader;
        try {
            loader = json.has("mixture") ? readMix(json.get("mixture"))
                    : new Single(JSON.treeToValue(json.path("loader"), BatchLoader.State.class));
        } catch (IOException | RuntimeException e) {
            throw new SeedlingException(statePath + ": unreadable data loader state: " + e.getMessage());
        }
        if (loader instanceof Single(BatchLoader.State st) && st == null)
            throw new SeedlingException(statePath + ": no data loader state (\"loader\" or \"mixture\"); the checkpoint is damaged");
        return new Loaded(dir, json.path("step").asLong(), json.path("tokens").asLong(), loader,
                model.config(), json.path("train_config"), model.weights(), m, v);
    }

    private static Mix readMix(JsonNode node) throws IOException {
        List<MixSource> sources = new ArrayList<>();
        for (JsonNode s : node.path("sources")) {
            if (!s.path("name").isTextual() || !s.path("weight").isNumber() || !s.path("train_tokens").isIntegralNumber())
                throw new IOException("mixture.sources entries need name, weight and train_tokens");
            sources.add(new MixSource(s.get("name").asText(), s.get("weight").asDouble(), s.get("train_tokens").asLong()));
        }
        JsonNode loader = node.path("loader");
        if (!loader.path("rows").isIntegralNumber() || !loader.path("sources").isArray())
            throw new IOException("mixture.loader needs rows and sources");
        List<BatchLoader.State> per = new ArrayList<>();
        for (JsonNode s : loader.get("sources")) per.add(JSON.treeToValue(s, BatchLoader.State.class));
        if (per.size() != sources.size())
            throw new IOException("mixture.loader has " + per.size() + " source positions for " + sources.size() + " sources");
        return new Mix(sources, new MixtureLoader.State(loader.get("rows").asLong(), per));
    }
}
