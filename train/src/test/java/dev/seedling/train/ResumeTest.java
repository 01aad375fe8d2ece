package dev.seedling.train;

import static dev.seedling.train.TrainFixtures.bytes;
import static dev.seedling.train.TrainFixtures.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.model.LlamaConfig;
import dev.seedling.testkit.SeedReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Halting a run and resuming it gives the uninterrupted run bit for bit: losses, weights, metrics. */
@ExtendWith(SeedReporter.class)
class ResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS = 8;

    @TempDir
    static Path shared;
    static Path data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void packCorpus() {
        data = TrainFixtures.packedCorpus(shared, "ResumeTest");
    }

    @Test
    void resumeEqualsUninterruptedRun() throws IOException {
        assertResumeIsExact(Map.of());
    }

    @Test
    void resumeWithGradientAccumulationEqualsUninterruptedRun() throws IOException {
        assertResumeIsExact(Map.of("grad_accum", 2));
    }

    @Test
    void resumeWithIntermediateCheckpointsAndValidationEqualsUninterruptedRun() throws IOException {
        assertResumeIsExact(Map.of("checkpoint_every", 3, "eval_every", 2));
    }

    @Test
    void resumeAcrossAWsdScheduleWithoutClippingEqualsUninterruptedRun() throws IOException {
        assertResumeIsExact(Map.of("schedule", "wsd", "decay_fraction", 0.5, "grad_clip", 0));
    }

    private void assertResumeIsExact(Map<String, ?> overrides) throws IOException {
        LlamaConfig model = TrainFixtures.tinyModel();
        TrainConfig full = TrainFixtures.train(STEPS, overrides);
        Map<String, Object> halted = new TreeMap<>(overrides);
        halted.put("halt_after", STEPS / 2);
        TrainConfig half = TrainFixtures.train(STEPS, halted);

        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        TrainResult ra = TrainFixtures.run(model, full, data, a, false);
        assertThat(ra.firstStep()).isZero();
        assertThat(ra.lastStep()).isEqualTo(STEPS);
        assertThat(ra.losses()).hasSize(STEPS);
        assertThat(ra.modelDir()).isEqualTo(a.resolve("model"));

        TrainResult rb1 = TrainFixtures.run(model, half, data, b, false);
        assertThat(rb1.lastStep()).isEqualTo(STEPS / 2);
        assertThat(rb1.modelDir()).as("a halted run writes no final model").isNull();
        assertThat(b.resolve("model")).doesNotExist();
        assertThat(Files.readString(b.resolve("checkpoints/latest")).trim()).isEqualTo(String.format("step-%08d", STEPS / 2));

        TrainResult rb2 = TrainFixtures.run(model, full, data, b, true);
        assertThat(rb2.firstStep()).isEqualTo(STEPS / 2);
        assertThat(rb2.lastStep()).isEqualTo(STEPS);
        assertThat(rb2.initialValLoss()).isNaN();

        double[] resumed = new double[STEPS];
        System.arraycopy(rb1.losses(), 0, resumed, 0, STEPS / 2);
        System.arraycopy(rb2.losses(), 0, resumed, STEPS / 2, STEPS / 2);
        for (int i = 0; i < STEPS; i++)
            assertThat(resumed[i]).as("loss of step %d (uninterrupted %s, resumed %s)", i + 1,
                    Arrays.toString(ra.losses()), Arrays.toString(resumed)).isEqualTo(ra.losses()[i]);
        assertThat(rb2.valLoss()).isEqualTo(ra.valLoss());
        assertThat(rb1.initialValLoss()).isEqualTo(ra.initialValLoss());

        assertThat(bytes(b.resolve("model/model.safetensors")))
                .as("final weights of the resumed run").isEqualTo(bytes(a.resolve("model/model.safetensors")));
        assertThat(Files.readString(b.resolve("model/config.json"))).isEqualTo(Files.readString(a.resolve("model/config.json")));
        // the AdamW moments of the final checkpoints match too
        String last = String.format("checkpoints/step-%08d/optimizer.safetensors", STEPS);
        assertThat(bytes(b.resolve(last))).isEqualTo(bytes(a.resolve(last)));

        // metrics.jsonl: one training line per step, no duplicates, and the same figures as the uninterrupted run
        List<JsonNode> ma = metrics(a), mb = metrics(b);
        List<Long> trainSteps = mb.stream().filter(n -> n.has("loss")).map(n -> n.get("step").asLong()).toList();
        assertThat(trainSteps).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(deterministicPart(mb)).isEqualTo(deterministicPart(ma));
        for (int i = 0; i < STEPS; i++) {
            int step = i + 1;
            JsonNode line = mb.stream().filter(n -> n.has("loss") && n.get("step").asLong() == step).findFirst().orElseThrow();
            assertThat(line.get("loss").asDouble()).isCloseTo(ra.losses()[i], org.assertj.core.api.Assertions.within(1e-6));
        }

        // intermediate checkpoints: the step-N folders at multiples of checkpoint_every plus the end, the newest two kept
        try (Stream<Path> s = Files.list(b.resolve("checkpoints"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-")).sorted().toList();
            assertThat(names).last().isEqualTo(String.format("step-%08d", STEPS));
            assertThat(names).allSatisfy(n -> assertThat(b.resolve("checkpoints").resolve(n).resolve("trainer_state.json")).isRegularFile());
        }
        assertThat(JSON.readTree(b.resolve("run.json").toFile()).path("train").path("max_steps").asInt()).isEqualTo(STEPS);
    }

    @Test
    void keepCheckpointsBoundsHowManyStay() throws IOException {
        Path run = tmp.resolve("run");
        TrainFixtures.run(TrainFixtures.tinyModel(),
                TrainFixtures.train(6, Map.of("checkpoint_every", 1, "keep_checkpoints", 3)), data, run, false);
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-")).sorted())
                    .containsExactly("step-00000004", "step-00000005", "step-00000006");
        }
    }

    /** The parsed lines of a run's metrics.jsonl (shared with MixtureTrainingTest). */
    static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines(run.resolve("metrics.jsonl"))) out.add(JSON.readTree(line));
        return out;
    }

    /** The metric lines without wall-clock figures. */
    static List<String> deterministicPart(List<JsonNode> lines) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : lines) {
            ObjectNode o = n.deepCopy();
            o.remove(List.of("step_s", "tokens_per_s", "mfu"));
            out.add(o.toString());
        }
        return out;
    }
}
