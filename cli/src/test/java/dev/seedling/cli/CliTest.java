package dev.seedling.cli;

import static dev.seedling.testkit.TextFixtures.assertUnchanged;
import static dev.seedling.testkit.TextFixtures.corpus;
import static dev.seedling.testkit.TextFixtures.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: pack, pretrain, resume, generate, help, and one-line errors. */
@ExtendWith(SeedReporter.class)
class CliTest {
    /** A model small enough for a test: hidden 32, one layer, 4 heads / 2 kv heads. */
    private static final String[] SMALL = {"--preset", "tiny", "--set", "hidden_size=32", "--set", "intermediate_size=64",
            "--set", "num_hidden_layers=1", "--set", "num_attention_heads=4", "--set", "num_key_value_heads=2",
            "--batch", "2", "--seq", "32"};

    @TempDir
    static Path shared;
    /** A text corpus, and a finished 6-step run on it (tests only read these). */
    static Path text, run;

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Result cli(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] args(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static String[] pretrain(Path data, Path out, String... more) {
        return args(args(new String[] {"pretrain", "--data", data.toString(), "--out", out.toString()}, SMALL), more);
    }

    /** Exit code 1, exactly one line on stderr, no stack trace; returns that line. */
    static String assertOneLineError(Result r) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.errLines()).as("stderr").hasSize(1);
        String line = r.errLines().getFirst();
        assertThat(line).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
        return line;
    }

    @BeforeAll
    static void trainOnce() {
        text = corpus(shared.resolve("text"), Seeds.rng("CliTest"), 12, 2500);
        run = shared.resolve("run");
        Result r = cli(pretrain(text, run, "--steps", "6", "--set", "eval_every=3"));
        assertThat(r.code()).as("pretrain stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("done: 6 steps").contains("model: " + run.resolve("model"));
    }

    @Test
    void pretrainWritesACompleteModelDirectory() throws IOException {
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json"))
            assertThat(run.resolve("model").resolve(f)).isRegularFile();
        assertThat(Files.readString(run.resolve("model/config.json"))).contains("\"hidden_size\": 32")
                .contains("\"num_hidden_layers\": 1").contains("\"vocab_size\": 320");
        assertThat(run.resolve("run.json")).isRegularFile();
        assertThat(run.resolve("data/index.json")).isRegularFile();
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(metrics.stream().filter(l -> l.contains("\"loss\""))).hasSize(6);
        assertThat(metrics.stream().filter(l -> l.contains("\"val_loss\"")).map(l -> l.substring(0, l.indexOf(','))))
                .containsExactly("{\"step\":0", "{\"step\":3", "{\"step\":6");
    }

    @Test
    void generateContinuesThePromptReproducibly() {
        String model = run.resolve("model").toString();
        Result greedy = cli("generate", "--model", model, "--prompt", "The", "--max-tokens", "20", "--temperature", "0");
        assertThat(greedy.code()).as(greedy.err()).isZero();
        assertThat(greedy.out()).startsWith("The");
        assertThat(greedy.out().length()).isGreaterThan("The".length());
        assertThat(cli("generate", "--model", model, "--prompt", "The", "--max-tokens", "20", "--temperature", "0").out())
                .isEqualTo(greedy.out());

        String[] sampled = {"generate", "--model", model, "--prompt", "The pump", "--max-tokens", "30",
                "--temperature", "0.9", "--seed", "5"};
        Result s1 = cli(sampled), s2 = cli(sampled);
        assertThat(s1.code()).isZero();
        assertThat(s1.out()).startsWith("The pump").isEqualTo(s2.out());
    }

    @Test
    void packThenPretrainOnThePackedFolder() {
        Path packed = tmp.resolve("packed");
        Result p = cli("pack", "--data", text.toString(), "--out", packed.toString(), "--val-fraction", "0.2");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(packed.resolve("index.json")).isRegularFile();
        Path out = tmp.resolve("run");
        Result r = cli(pretrain(packed, out, "--steps", "3"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("model/model.safetensors")).isRegularFile();
        assertThat(out.resolve("data")).as("packed input is used in place").doesNotExist();
    }

    @Test
    void aTrainedTokenizerCarriesThroughPackPretrainAndGenerate() throws IOException {
        Path tok = tmp.resolve("tok");
        Result t = cli("tokenizer", "train", "--data", text.toString(), "--out", tok.toString(), "--vocab-size", "400");
        assertThat(t.code()).as(t.err()).isZero();
        Path packed = tmp.resolve("packed");
        Result p = cli("pack", "--data", text.toString(), "--out", packed.toString(), "--tokenizer", tok.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(Files.readString(packed.resolve("tokenizer.json"))).isEqualTo(Files.readString(tok.resolve("tokenizer.json")));
        Path out = tmp.resolve("run");
        Result r = cli(pretrain(packed, out, "--steps", "2"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("model/tokenizer.json"))).isEqualTo(Files.readString(tok.resolve("tokenizer.json")));
        assertThat(Files.readString(out.resolve("model/config.json"))).contains("\"vocab_size\": 448");
        Result g = cli("generate", "--model", out.resolve("model").toString(), "--prompt", "The", "--max-tokens", "5", "--temperature", "0");
        assertThat(g.code()).as(g.err()).isZero();
        // a packed folder and another tokenizer: refused, nothing trained
        new dev.seedling.tokenizer.ByteTokenizer().save(tmp.resolve("byte"));
        String bad = assertOneLineError(cli(pretrain(packed, tmp.resolve("run2"), "--steps", "2", "--tokenizer", tmp.resolve("byte").toString())));
        assertThat(bad).contains("was packed with another tokenizer");
        assertThat(tmp.resolve("run2")).doesNotExist();
    }

    @Test
    void haltedRunContinuesWithResume() {
        Path out = tmp.resolve("run");
        Result first = cli(pretrain(text, out, "--steps", "4", "--set", "halt_after=2"));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("halted after step 2");
        assertThat(out.resolve("model")).doesNotExist();
        Result second = cli(pretrain(text, out, "--steps", "4", "--resume"));
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("done: 4 steps");
        assertThat(out.resolve("model/model.safetensors")).isRegularFile();
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] a : List.of(new String[] {"--help"}, new String[] {"pretrain", "--help"},
                new String[] {"generate", "--help"}, new String[] {"pack", "--help"}, new String[] {"help", "pretrain"})) {
            Result r = cli(a);
            assertThat(r.code()).as(String.join(" ", a)).isZero();
            assertThat(r.out()).as(String.join(" ", a)).contains("Usage:");
        }
    }

    // ---- errors: exit 1, one line, names the file and the problem, changes nothing ----

    @Test
    void emptyDataFolder() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String line = assertOneLineError(cli(pretrain(empty, tmp.resolve("run"), "--steps", "2")));
        assertThat(line).contains(empty.toString()).contains("no usable text");
    }

    @Test
    void binaryFileAmongTextFiles() throws IOException {
        Path dir = corpus(tmp.resolve("text"), Seeds.rng("binaryFileAmongTextFiles"), 3, 400);
        Path bin = Files.write(dir.resolve("doc-01a.txt"), new byte[] {'a', 'b', 0, 1, 2, 'c'});
        String line = assertOneLineError(cli(pretrain(dir, tmp.resolve("run"), "--steps", "2")));
        assertThat(line).contains(bin.toString()).contains("binary");
        assertThat(tmp.resolve("run/data/index.json")).doesNotExist();
    }

    @Test
    void corruptedShard() throws IOException {
        Path packed = tmp.resolve("packed");
        assertThat(cli("pack", "--data", text.toString(), "--out", packed.toString()).code()).isZero();
        Path shard = packed.resolve("train-00000.bin");
        byte[] b = Files.readAllBytes(shard);
        b[b.length - 5] ^= 0x10;
        Files.write(shard, b);
        String line = assertOneLineError(cli(pretrain(packed, tmp.resolve("run"), "--steps", "2")));
        assertThat(line).contains(shard.toString()).contains("corrupt");
        assertThat(Files.readAllBytes(shard)).isEqualTo(b);
    }

    @Test
    void headsThatDoNotDivideTheHiddenSize() throws IOException {
        String line = assertOneLineError(cli(pretrain(text, tmp.resolve("run"), "--steps", "2",
                "--set", "num_attention_heads=5", "--set", "num_key_value_heads=5")));
        assertThat(line).contains("num_attention_heads=5").contains("hidden_size=32");
        assertThat(tmp.resolve("run")).doesNotExist();

        Path config = tmp.resolve("config.json");
        Files.writeString(config, """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 32,
                 "intermediate_size": 64, "num_attention_heads": 5, "num_key_value_heads": 5,
                 "num_hidden_layers": 1, "vocab_size": 320, "max_position_embeddings": 64}
                """);
        line = assertOneLineError(cli("pretrain", "--data", text.toString(), "--out", tmp.resolve("run").toString(),
                "--config", config.toString(), "--steps", "2", "--batch", "2", "--seq", "32"));
        assertThat(line).contains(config.toString()).contains("num_attention_heads=5").contains("hidden_size=32");
    }

    @Test
    void existingRunIsNotOverwrittenWithoutResume() {
        Map<String, byte[]> before = snapshot(run);
        String line = assertOneLineError(cli(pretrain(text, run, "--steps", "6")));
        assertThat(line).contains(run.toString()).contains("already holds a run").contains("--resume");
        assertUnchanged(before, snapshot(run));
        // the same with a packed folder as input (the trainer's own check)
        line = assertOneLineError(cli(pretrain(run.resolve("data"), run, "--steps", "6")));
        assertThat(line).contains(run.toString()).contains("already holds a run");
        assertUnchanged(before, snapshot(run));
    }

    @Test
    void resumeWithoutACheckpoint() {
        Path fresh = tmp.resolve("fresh");
        String line = assertOneLineError(cli(pretrain(run.resolve("data"), fresh, "--steps", "6", "--resume")));
        assertThat(line).contains(fresh.toString()).contains("nothing to resume");
    }

    @Test
    void resumeWithADifferentModelNamesTheCheckpointAndTheField() {
        Map<String, byte[]> before = snapshot(run);
        String line = assertOneLineError(cli(pretrain(text, run, "--steps", "8", "--resume", "--set", "hidden_size=48")));
        assertThat(line).contains(run.resolve("checkpoints").toString()).contains("hidden").contains("32").contains("48");
        assertUnchanged(before, snapshot(run));
    }

    @Test
    void badSettingsAndMissingFiles() {
        String line = assertOneLineError(cli(pretrain(text, tmp.resolve("run"), "--set", "grad_accum=0")));
        assertThat(line).contains("grad_accum=0");
        line = assertOneLineError(cli(pretrain(text, tmp.resolve("run"), "--set", "learning_speed=3")));
        assertThat(line).contains("learning_speed").contains("learning_rate");
        Path missing = tmp.resolve("no-such-model");
        line = assertOneLineError(cli("generate", "--model", missing.toString(), "--prompt", "The"));
        assertThat(line).contains(missing.toString());
        line = assertOneLineError(cli(pretrain(tmp.resolve("nothing-here"), tmp.resolve("run"))));
        assertThat(line).contains("nothing-here").contains("does not exist");
    }

    // ---- helpers ----
}
