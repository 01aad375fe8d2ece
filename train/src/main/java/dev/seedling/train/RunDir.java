package dev.seedling.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.model.LlamaWeights;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run directory:
 * <pre>
 *   run.json                 resolved model + training config + what data was read (packed dir or mixture)
 *   metrics.jsonl            one JSON line per step (and per validation)
 *   checkpoints/step-NNNNNNNN/   see {@link Checkpoint}; "checkpoints/latest" names the newest
 *   model/                   the final HF model directory
 * </pre>
 */
final class RunDir {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Path checkpoints;
    private final Path metrics;
    private final int keep;

    private RunDir(Path dir, int keep) {
        this.dir = dir;
        this.checkpoints = dir.resolve("checkpoints");
        this.metrics = dir.resolve("metrics.jsonl");
        this.keep = keep;
    }

    /** Opens or creates a run directory; a directory with checkpoints is only reused when resuming. */
    static RunDir prepare(Path dir, boolean resume, int keepCheckpoints) {
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new SeedlingException("run directory " + dir + " is a file; choose another --out");
        RunDir r = new RunDir(dir, keepCheckpoints);
        if (resume) {
            if (r.latestName() == null)
                throw new SeedlingException("nothing to resume in " + dir + ": it has no checkpoints/latest");
        } else if (Files.exists(r.checkpoints) || Files.exists(r.metrics)) {
            throw new SeedlingException("run directory " + dir + " already holds a run; pass --resume to continue it or choose another --out");
        } else if (Files.isDirectory(dir) && !onlyPackedData(dir)) {
            throw new SeedlingException("run directory " + dir + " is not empty; choose a new or empty --out");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SeedlingException("cannot create run directory " + dir + ": " + e.getMessage());
        }
        return r;
    }

    /** True when {@code d} is empty or holds only the run's packed data ({@code data/}). */
    private static boolean onlyPackedData(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.allMatch(p -> p.getFileName().toString().equals("data"));
        } catch (IOException e) {
            throw new SeedlingException("cannot list " + d + ": " + e.getMessage());
        }
    }

    private String latestName() {
        Path latest = checkpoints.resolve("latest");
        if (!Files.isRegularFile(latest)) return null;
        try {
            String name = Files.readString(latest).trim();
            return name.isEmpty() ? null : name;
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + latest + ": " + e.getMessage());
        }
    }

    /** The newest checkpoint, or null when there is none. */
    Checkpoint.Loaded latestCheckpoint() {
        String name = latestName();
        if (name == null) return null;
        Path ck = checkpoints.resolve(name);
        if (!Files.isDirectory(ck))
            throw new SeedlingException(checkpoints.resolve("latest") + " names " + name + ", which does not exist");
        return Checkpoint.read(ck);
    }

    void writeResolvedConfig(LlamaConfig model, TrainConfig train, ObjectNode data) {
        ObjectNode json = JSON.createObjectNode();
        json.set("model", JSON.valueToTree(model));
        json.set("train", JSON.valueToTree(train.toMap()));
        json.set("data", data);
        try {
            AtomicFiles.write(dir.resolve("run.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        } catch (IOException e) {
            throw new SeedlingException("cannot write " + dir.resolve("run.json") + ": " + e.getMessage());
        }
    }

    void appendMetrics(String jsonLine) {
        try {
            Files.writeString(metrics, jsonLine + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SeedlingException("cannot append to " + metrics + ": " + e.getMessage());
        }
    }

    /** Redraws {@code loss.svg} from {@code metrics.jsonl}: training loss per step, validation loss per evaluation. */
    void writeLossPlot() {
        if (!Files.exists(metrics)) return;
        try {
            List<LossPlot.Point> train = new ArrayList<>(), val = new ArrayList<>();
            for (String line : Files.readAllLines(metrics)) {
                var node = JSON.readTree(line);
                long step = node.path("step").asLong(-1);
                if (node.has("loss")) train.add(new LossPlot.Point(step, node.path("loss").asDouble()));
                if (node.has("val_loss")) val.add(new LossPlot.Point(step, node.path("val_loss").asDouble()));
            }
            String title = "loss — " + dir.toAbsolutePath().normalize().getFileName();
            AtomicFiles.writeString(dir.resolve("loss.svg"), LossPlot.svg(title, train, val));
        } catch (IOException e) {
            throw new SeedlingException("cannot draw " + dir.resolve("loss.svg") + " from " + metrics + ": " + e.getMessage());
        }
    }

    /** On resume: drops metric lines of steps after the checkpoint (they will be recomputed identically). */
    void truncateMetricsAfter(long step) {
        if (!Files.exists(metrics)) return;
        try {
            List<String> kept = new ArrayList<>();
            for (String line : Files.readAllLines(metrics)) {
                JsonStep s = JsonStep.of(line);
                if (s == null || s.step <= step) kept.add(line);
            }
            AtomicFiles.write(metrics, (String.join("\n", kept) + (kept.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SeedlingException("cannot rewrite " + metrics + ": " + e.getMessage());
        }
    }

    private record JsonStep(long step) {
        static JsonStep of(String line) {
            try {
                return new JsonStep(JSON.readTree(line).path("step").asLong(-1));
            } catch (IOException e) {
                return null;
            }
        }
    }

    Path saveCheckpoint(Checkpoint.State state, LlamaModel model, LlamaWeights m, LlamaWeights v, TrainConfig cfg,
                        Tokenizer tokenizer) {
        String name = String.format("step-%08d", state.step());
        Path tmp = checkpoints.resolve("." + name + ".tmp"), dest = checkpoints.resolve(name);
        try {
            Files.createDirectories(checkpoints);
            AtomicFiles.deleteQuietly(tmp);
            Checkpoint.write(tmp, state, model, m, v, cfg, tokenizer);
            AtomicFiles.deleteQuietly(dest);
            AtomicFiles.moveAtomically(tmp, dest);
            AtomicFiles.syncDirectory(checkpoints);
            AtomicFiles.write(checkpoints.resolve("latest"), (name + "\n").getBytes(StandardCharsets.UTF_8));
            pruneOld();
        } catch (IOException e) {
            throw new SeedlingException("cannot write checkpoint " + dest + ": " + e.getMessage());
        }
        return dest;
    }

    private void pruneOld() throws IOException {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(checkpoints, "step-*")) {
            for (Path p : ds) all.add(p);
        }
        all.sort(Comparator.comparing(Path::toString));
        for (int i = 0; i < all.size() - keep; i++) AtomicFiles.deleteQuietly(all.get(i));
    }

    Path saveFinalModel(LlamaModel model, Tokenizer tokenizer) {
        Path out = dir.resolve("model");
        model.save(out, tokenizer);
        return out;
    }
}
