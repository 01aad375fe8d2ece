package dev.seedling.train;

import static dev.seedling.train.TrainFixtures.bytes;
import static dev.seedling.train.TrainFixtures.lines;
import static dev.seedling.train.TrainFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.data.Mixture;
import dev.seedling.data.MixtureLoader;
import dev.seedling.data.PackConfig;
import dev.seedling.data.Packer;
import dev.seedling.data.TokenShards;
import dev.seedling.model.LlamaConfig;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a mixture: rows come from the sources by weight, validation is reported per source and weighted,
 * the run directory records the mixture, and halting + resuming equals the uninterrupted run bit for bit.
 */
@ExtendWith(SeedReporter.class)
class MixtureTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS = 8;

    @TempDir
    static Path shared;
    /** "domain": a packed directory used in place; "general": a text folder the trainer packs under RUN/data. */
    static Path domainPacked, generalText;

    @TempDir
    Path tmp;

    @BeforeAll
    static void corpora() {
        domainPacked = TrainFixtures.packedCorpus(shared.resolve("domain"), "MixtureTrainingTest.domain");
        generalText = TrainFixtures.corpus(shared.resolve("general"), Seeds.rng("MixtureTrainingTest.general"), 16, 1500);
    }

    private static Mixture mixture(double domainWeight, double generalWeight) {
        return new Mixture(List.of(new Mixture.Source("domain", domainPacked, domainWeight),
                new Mixture.Source("general", generalText, generalWeight)));
    }

    private static TrainResult run(Mixture mix, TrainConfig cfg, Path runDir, boolean resume) {
        return Trainer.run(new Trainer.Request(TrainFixtures.tinyModel(), cfg,
                new TrainData.Mixed(mix, runDir.resolve("data"), null), TrainFixtures.TOKENIZER, runDir, resume, 0, null));
    }

    @Test
    void resumeWithAMixtureEqualsUninterruptedRun() throws IOException {
        Map<String, Object> overrides = Map.of("checkpoint_every", 3, "eval_every", 2);
        TrainConfig full = TrainFixtures.train(STEPS, overrides);
        Map<String, Object> halted = new TreeMap<>(overrides);
        halted.put("halt_after", STEPS / 2);
        TrainConfig half = TrainFixtures.train(STEPS, halted);
        Mixture mix = mixture(0.7, 0.3);

        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        TrainResult ra = run(mix, full, a, false);
        assertThat(ra.losses()).hasSize(STEPS);
        assertThat(ra.valLossBySource()).containsOnlyKeys("domain", "general");
        TrainResult rb1 = run(mix, half, b, false);
        assertThat(rb1.modelDir()).isNull();
        TrainResult rb2 = run(mix, full, b, true);
        assertThat(rb2.firstStep()).isEqualTo(STEPS / 2);

        double[] resumed = new double[STEPS];
        System.arraycopy(rb1.losses(), 0, resumed, 0, STEPS / 2);
        System.arraycopy(rb2.losses(), 0, resumed, STEPS / 2, STEPS / 2);
        assertThat(resumed).as("losses: uninterrupted %s, resumed %s", Arrays.toString(ra.losses()), Arrays.toString(resumed))
                .containsExactly(ra.losses());
        assertThat(rb2.valLoss()).isEqualTo(ra.valLoss());
        assertThat(rb2.valLossBySource()).isEqualTo(ra.valLossBySource());
        assertThat(bytes(b.resolve("model/model.safetensors"))).isEqualTo(bytes(a.resolve("model/model.safetensors")));
        String last = String.format("checkpoints/step-%08d/", STEPS);
        assertThat(bytes(b.resolve(last + "optimizer.safetensors"))).isEqualTo(bytes(a.resolve(last + "optimizer.safetensors")));
        assertThat(JSON.readTree(b.resolve(last + "trainer_state.json").toFile()).path("mixture"))
                .isEqualTo(JSON.readTree(a.resolve(last + "trainer_state.json").toFile()).path("mixture"));

        List<JsonNode> ma = ResumeTest.metrics(a), mb = ResumeTest.metrics(b);
        assertThat(ResumeTest.deterministicPart(mb)).isEqualTo(ResumeTest.deterministicPart(ma));
        assertThat(mb.stream().filter(n -> n.has("loss")).map(n -> n.get("step").asLong()))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        // the general source was packed under the run directory, with the run's tokenizer
        try (TokenShards sh = TokenShards.open(b.resolve("data/general"))) {
            assertThat(sh.tokenizerName()).isEqualTo(TrainFixtures.TOKENIZER.name());
        }
    }

    @Test
    void rowsFollowTheWeightsAndValidationIsPerSourceAndWeighted() throws IOException {
        int batch = 8, accum = 2, steps = 10;
        TrainConfig cfg = TrainFixtures.train(steps, Map.of("batch_size", batch, "grad_accum", accum, "seq_len", 16,
                "eval_every", 5, "eval_batches", 2));
        Path runDir = tmp.resolve("run");
        Mixture mix = mixture(3, 1);
        TrainResult r = run(mix, cfg, runDir, false);

        // rows per step, as recorded, against the mixture loader's pure row → source function
        List<JsonNode> lines = ResumeTest.metrics(runDir);
        List<JsonNode> stepLines = lines.stream().filter(n -> n.has("loss")).toList();
        assertThat(stepLines).hasSize(steps);
        long domain = 0, total = 0;
        try (TokenShards d = TokenShards.open(domainPacked); TokenShards g = TokenShards.open(runDir.resolve("data/general"))) {
            MixtureLoader reference = MixtureLoader.training(List.of(d.train(), g.train()), new double[] {3, 1},
                    batch, 16, cfg.seed());
            long row = 0;
            for (JsonNode line : stepLines) {
                long[] expected = new long[2];
                for (int i = 0; i < batch * accum; i++) expected[reference.sourceOf(row++)]++;
                JsonNode rows = line.path("rows_by_source");
                assertThat(List.of(rows.path("domain").asLong(-1), rows.path("general").asLong(-1)))
                        .as("step %d", line.get("step").asLong()).containsExactly(expected[0], expected[1]);
                domain += expected[0];
                total += expected[0] + expected[1];
            }
        }
        assertThat(total).isEqualTo((long) steps * batch * accum);
        assertThat((double) domain / total).as("share of domain rows at weight 3:1").isCloseTo(0.75, within(0.1));

        // validation: one loss per source, and val_loss = their mean weighted 3:1
        List<JsonNode> valLines = lines.stream().filter(n -> n.has("val_loss")).toList();
        assertThat(valLines.stream().map(n -> n.get("step").asLong())).containsExactly(0L, 5L, 10L);
        for (JsonNode v : valLines) {
            double dl = v.path("val_loss_by_source").path("domain").asDouble(), gl = v.path("val_loss_by_source").path("general").asDouble();
            assertThat(dl).isPositive();
            assertThat(gl).isPositive().isNotEqualTo(dl);
            assertThat(v.get("val_loss").asDouble()).isCloseTo(0.75 * dl + 0.25 * gl, within(2e-6));
        }
        assertThat(r.valLoss()).isCloseTo(0.75 * r.valLossBySource().get("domain") + 0.25 * r.valLossBySource().get("general"), within(1e-12));

        // run.json records the mixture and the resolved weights
        JsonNode sources = JSON.readTree(runDir.resolve("run.json").toFile()).path("data").path("mixture").path("sources");
        assertThat(sources).hasSize(2);
        assertThat(sources.get(0).path("name").asText()).isEqualTo("domain");
        assertThat(sources.get(0).path("weight").asDouble()).isEqualTo(3.0);
        assertThat(sources.get(0).path("probability").asDouble()).isEqualTo(0.75);
        assertThat(sources.get(0).path("packed").asText()).isEqualTo(domainPacked.toString());
        assertThat(sources.get(1).path("probability").asDouble()).isEqualTo(0.25);
        assertThat(sources.get(1).path("packed").asText()).isEqualTo(runDir.resolve("data/general").toString());
        assertThat(sources.get(1).path("train_tokens").asLong()).isPositive();
    }

    @Test
    void aSingleDirectoryRunKeepsItsMetricNames() throws IOException {
        Path runDir = tmp.resolve("single");
        TrainFixtures.run(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), domainPacked, runDir, false);
        for (JsonNode n : ResumeTest.metrics(runDir)) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            if (n.has("val_loss")) assertThat(keys).containsExactly("step", "val_loss");
            else assertThat(keys).containsExactly("step", "loss", "lr", "grad_norm", "tokens", "step_s", "tokens_per_s", "mfu");
        }
        assertThat(JSON.readTree(runDir.resolve("run.json").toFile()).path("data").path("packed").asText())
                .isEqualTo(domainPacked.toString());
    }

    @Test
    void resumingWithOtherDataIsRefusedAndChangesNothing() {
        Path runDir = tmp.resolve("run");
        run(mixture(2, 1), TrainFixtures.train(4, Map.of("halt_after", 2)), runDir, false);
        var before = snapshot(runDir);
        TrainConfig cfg = TrainFixtures.train(4, Map.of());
        assertThatThrownBy(() -> run(mixture(1, 1), cfg, runDir, true)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("step-00000002").hasMessageContaining("domain").hasMessageContaining("weight 2.0");
        assertThatThrownBy(() -> run(new Mixture(List.of(new Mixture.Source("domain", domainPacked, 2))), cfg, runDir, true))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("[domain, general]").hasMessageContaining("[domain]");
        assertThatThrownBy(() -> TrainFixtures.run(TrainFixtures.tinyModel(), cfg, domainPacked, runDir, true))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("mixture").hasMessageContaining("--mixture");
        assertThat(snapshot(runDir).keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(snapshot(runDir).get(k)).as(k).isEqualTo(v));
    }

    @Test
    void aSourcePackedWithAnotherTokenizerIsNamed() {
        Path other = Packer.pack(PackConfig.of(generalText, tmp.resolve("other"), new Renamed(TrainFixtures.TOKENIZER))).outputDir();
        Mixture mix = new Mixture(List.of(new Mixture.Source("domain", domainPacked, 1), new Mixture.Source("elsewhere", other, 1)));
        Path runDir = tmp.resolve("run");
        assertThatThrownBy(() -> run(mix, TrainFixtures.train(2, Map.of()), runDir, false))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("elsewhere").hasMessageContaining("renamed-byte")
                .hasMessageContaining(TrainFixtures.TOKENIZER.name());
        assertThat(runDir.resolve("checkpoints")).doesNotExist();
    }

    @Test
    void aSourceShorterThanOneWindowIsNamed() throws IOException {
        Path tiny = Files.createDirectories(tmp.resolve("tiny"));
        Files.writeString(tiny.resolve("a.txt"), "just a few words");
        Files.writeString(tiny.resolve("b.txt"), "and a few more");
        Mixture mix = new Mixture(List.of(new Mixture.Source("domain", domainPacked, 1), new Mixture.Source("tiny", tiny, 1)));
        assertThatThrownBy(() -> run(mix, TrainFixtures.train(2, Map.of()), tmp.resolve("run"), false))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("mixture source tiny").hasMessageContaining("seq_len");
    }

    /** The byte tokenizer under another name: a stand-in for "packed with a different tokenizer". */
    private record Renamed(Tokenizer inner) implements Tokenizer {
        public String name() { return "renamed-byte"; }
        public int vocabSize() { return inner.vocabSize(); }
        public int[] encode(String text) { return inner.encode(text); }
        public String decode(int[] ids, int from, int to) { return inner.decode(ids, from, to); }
        public int bosId() { return inner.bosId(); }
        public int eosId() { return inner.eosId(); }
        public int padId() { return inner.padId(); }
        public OptionalInt tokenId(String specialToken) { return inner.tokenId(specialToken); }
        public String tokenText(int id) { return inner.tokenText(id); }
        public Map<String, String> files() { return inner.files(); }
    }

}
