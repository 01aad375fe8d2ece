package dev.seedling.cli;

import static dev.seedling.cli.CliTest.Result;
import static dev.seedling.cli.CliTest.args;
import static dev.seedling.cli.CliTest.assertOneLineError;
import static dev.seedling.cli.CliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.demo.DemoCorpus;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.TextFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seedling pretrain --mixture} end to end: two demo-domain sources and a small general text folder, packed
 * under the run directory, sampled by weight, validated per source, resumed exactly; bad mixture files fail in one
 * line.
 */
@ExtendWith(SeedReporter.class)
class PretrainMixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A model small enough for a test (as CliTest's), batch 2 × seq 32, validation every 2 steps on one batch. */
    private static final String[] SMALL = {"--preset", "tiny", "--set", "hidden_size=32", "--set", "intermediate_size=64",
            "--set", "num_hidden_layers=1", "--set", "num_attention_heads=4", "--set", "num_key_value_heads=2",
            "--batch", "2", "--seq", "32", "--set", "eval_every=2", "--set", "eval_batches=1"};

    @TempDir
    static Path shared;
    /** The mixture file, and a finished 4-step run on it (tests only read these). */
    static Path mixture, run;
    static Result first;

    @TempDir
    Path tmp;

    static String[] pretrain(Path mix, Path out, String... more) {
        return args(args(new String[] {"pretrain", "--mixture", mix.toString(), "--out", out.toString()}, SMALL), more);
    }

    @BeforeAll
    static void trainOnce() throws IOException {
        DemoCorpus.generate(shared.resolve("demo"), 20_000, DemoCorpus.DEFAULT_SEED);
        TextFixtures.corpus(shared.resolve("general"), Seeds.rng("PretrainMixtureTest"), 8, 1500);
        mixture = Files.writeString(shared.resolve("mix.json"), """
                {"sources": [
                  {"name": "manuals", "path": "demo/docs/manuals", "weight": 0.5},
                  {"name": "faults",  "path": "demo/docs/faults",  "weight": 0.2},
                  {"name": "general", "path": "general",           "weight": 0.3}
                ]}
                """);
        run = shared.resolve("run");
        first = cli(pretrain(mixture, run, "--steps", "4"));
        assertThat(first.code()).as("pretrain stdout: %s%nstderr: %s", first.out(), first.err()).isZero();
    }

    @Test
    void aMixtureRunPacksEverySourceSamplesByWeightAndReportsEachValidationLoss() throws IOException {
        assertThat(first.out()).contains("done: 4 steps").contains("validation loss by source: manuals ")
                .contains("faults ").contains("general ").contains("model: " + run.resolve("model"));
        for (String name : List.of("manuals", "faults", "general")) {
            assertThat(run.resolve("data").resolve(name).resolve("index.json")).as(name).isRegularFile();
            assertThat(run.resolve("data").resolve(name).resolve("tokenizer.json")).as(name).isRegularFile();
        }
        assertThat(run.resolve("model/model.safetensors")).isRegularFile();

        JsonNode sources = JSON.readTree(run.resolve("run.json").toFile()).path("data").path("mixture").path("sources");
        assertThat(sources).hasSize(3);
        assertThat(sources.get(0).path("name").asText()).isEqualTo("manuals");
        assertThat(sources.get(0).path("probability").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(sources.get(1).path("probability").asDouble()).isCloseTo(0.2, within(1e-12));
        assertThat(sources.get(2).path("packed").asText()).isEqualTo(run.resolve("data/general").toString());
        assertThat(JSON.readTree(run.resolve("run.json").toFile()).path("data").path("mixture").path("file").asText())
                .isEqualTo(mixture.toAbsolutePath().normalize().toString());

        List<JsonNode> metrics = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) metrics.add(JSON.readTree(line));
        List<JsonNode> steps = metrics.stream().filter(n -> n.has("loss")).toList();
        assertThat(steps).hasSize(4);
        for (JsonNode s : steps) {
            JsonNode rows = s.path("rows_by_source");
            assertThat(rows.path("manuals").asInt() + rows.path("faults").asInt() + rows.path("general").asInt())
                    .as("rows of step %s", s.get("step")).isEqualTo(2);
        }
        List<JsonNode> vals = metrics.stream().filter(n -> n.has("val_loss")).toList();
        assertThat(vals.stream().map(n -> n.get("step").asInt())).containsExactly(0, 2, 4);
        for (JsonNode v : vals) {
            JsonNode by = v.path("val_loss_by_source");
            double weighted = 0.5 * by.path("manuals").asDouble() + 0.2 * by.path("faults").asDouble()
                    + 0.3 * by.path("general").asDouble();
            assertThat(v.get("val_loss").asDouble()).as("weighted val_loss at step %s", v.get("step")).isCloseTo(weighted, within(2e-6));
        }
    }

    @Test
    void haltAndResumeEqualsTheStraightRun() throws IOException {
        Path out = tmp.resolve("halted");
        Result a = cli(pretrain(mixture, out, "--steps", "4", "--set", "halt_after=2"));
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("halted after step 2");
        Result b = cli(pretrain(mixture, out, "--steps", "4", "--resume"));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("resuming from step 2").doesNotContain("packing");
        assertThat(Files.readAllBytes(out.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(run.resolve("model/model.safetensors")));
    }

    @Test
    void badMixturesFailInOneLine() throws IOException {
        String line = assertOneLineError(cli(args(pretrain(mixture, tmp.resolve("r1"), "--steps", "2"),
                "--data", shared.resolve("general").toString())));
        assertThat(line).contains("--data").contains("--mixture");

        line = assertOneLineError(cli(pretrain(mix("{\"sources\": [{\"name\": \"a\", \"path\": \"nowhere\", \"weight\": 1}]}"),
                tmp.resolve("r2"), "--steps", "2")));
        assertThat(line).contains("source a").contains("nowhere").contains("does not exist");

        line = assertOneLineError(cli(pretrain(mix("{\"sources\": [{\"name\": \"g\", \"path\": \"" + generalPath() + "\", \"weight\": 0}]}"),
                tmp.resolve("r3"), "--steps", "2")));
        assertThat(line).contains("g").contains("weight").contains("positive");

        line = assertOneLineError(cli(pretrain(mix("{\"sources\": [{\"name\": \"g\", \"path\": \"" + generalPath() + "\", \"weight\": 1, \"wieght\": 2}]}"),
                tmp.resolve("r4"), "--steps", "2")));
        assertThat(line).contains("unknown key").contains("wieght");

        line = assertOneLineError(cli(pretrain(tmp.resolve("absent.json"), tmp.resolve("r5"), "--steps", "2")));
        assertThat(line).contains("absent.json");
        assertThat(tmp.resolve("r1")).doesNotExist();
        assertThat(tmp.resolve("r5")).doesNotExist();
    }

    @Test
    void aSourcePackedWithAnotherTokenizerIsRefused() throws IOException {
        Path packed = tmp.resolve("packed-general");
        assertThat(cli("pack", "--data", shared.resolve("general").toString(), "--out", packed.toString()).code()).isZero();
        Path tok = tmp.resolve("tok");
        Result t = cli("tokenizer", "train", "--data", shared.resolve("general").toString(), "--out", tok.toString(),
                "--vocab-size", "300");
        assertThat(t.code()).as(t.err()).isZero();
        Path mix = mix("{\"sources\": [{\"name\": \"p\", \"path\": \"" + packed.toAbsolutePath() + "\", \"weight\": 1}]}");
        String line = assertOneLineError(cli(args(pretrain(mix, tmp.resolve("r"), "--steps", "2"), "--tokenizer", tok.toString())));
        assertThat(line).contains("source p").contains("another tokenizer").contains(tok.toString());
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    private Path mix(String json) throws IOException {
        return Files.writeString(Files.createTempFile(tmp, "mix", ".json"), json);
    }

    private static String generalPath() {
        return shared.resolve("general").toAbsolutePath().toString().replace("\\", "\\\\");
    }
}
