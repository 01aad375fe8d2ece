package dev.seedling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.demo.DemoCorpus;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.tokenizer.ByteTokenizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code seedling tokenizer train|encode|decode|inspect} end to end on the demo corpus. */
@ExtendWith(SeedReporter.class)
class TokenizerCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    /** The demo corpus and a tokenizer trained on it once (tests only read these). */
    static Path docs, tok;

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result cli(String stdin, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.out.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String oneLineError(Result r) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).as("stderr").hasSize(1);
        String line = r.err().lines().findFirst().orElseThrow();
        assertThat(line).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
        return line;
    }

    @BeforeAll
    static void trainOnce() {
        docs = DemoCorpus.generate(shared.resolve("demo"), 400_000, 7).outDir().resolve("docs");
        tok = shared.resolve("tok");
        Result r = cli("", "tokenizer", "train", "--data", docs.toString(), "--out", tok.toString(), "--vocab-size", "800");
        assertThat(r.code()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("tokenizer: " + tok).contains("800 tokens").contains("count").contains("merge");
    }

    @Test
    void trainWritesHuggingFaceFiles() throws Exception {
        JsonNode json = JSON.readTree(tok.resolve("tokenizer.json").toFile());
        assertThat(json.path("model").path("type").asText()).isEqualTo("BPE");
        assertThat(json.path("model").path("vocab")).hasSize(800);
        assertThat(json.path("pre_tokenizer").path("pretokenizers").path(0).path("type").asText()).isEqualTo("Split");
        JsonNode cfg = JSON.readTree(tok.resolve("tokenizer_config.json").toFile());
        assertThat(cfg.path("eos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(cfg.path("chat_template").asText()).contains("<|im_start|>");
    }

    @Test
    void trainingTwiceGivesTheSameFiles() throws Exception {
        Path again = tmp.resolve("again");
        Result r = cli("", "tokenizer", "train", "--data", docs.toString(), "--out", again.toString(), "--vocab-size", "800");
        assertThat(r.code()).as(r.err()).isZero();
        for (String f : List.of("tokenizer.json", "tokenizer_config.json"))
            assertThat(Files.readString(again.resolve(f))).as(f).isEqualTo(Files.readString(tok.resolve(f)));
    }

    @Test
    void encodeThenDecodeGivesTheTextBack() {
        String text = "The pump P-204 shows fault E17 at 3.5 bar.\n<|im_start|>user\nÜber 温度 🚀<|im_end|>\n";
        Result enc = cli(text, "tokenizer", "encode", "--tokenizer", tok.toString());
        assertThat(enc.code()).as(enc.err()).isZero();
        String ids = enc.out().strip();
        assertThat(ids).matches("\\d+( \\d+)*");
        assertThat(ids.split(" ").length).isLessThan(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(ids).contains(" 2 ").contains(" 3 "); // <|im_start|>, <|im_end|>
        Result dec = cli(ids, "tokenizer", "decode", "--tokenizer", tok.resolve("tokenizer.json").toString());
        assertThat(dec.code()).as(dec.err()).isZero();
        assertThat(dec.out()).isEqualTo(text);

        Result json = cli(text, "tokenizer", "encode", "--tokenizer", tok.toString(), "--json");
        assertThat(json.out().strip()).isEqualTo("[" + ids.replace(' ', ',') + "]");
        assertThat(cli(json.out(), "tokenizer", "decode", "--tokenizer", tok.toString()).out()).isEqualTo(text);
    }

    @Test
    void inspectShowsFertilitySideBySide() {
        Path bytes = tmp.resolve("bytes");
        new ByteTokenizer().save(bytes);
        Result r = cli("", "tokenizer", "inspect", "--tokenizer", tok.toString(), "--compare", bytes.toString(), "--corpus", docs.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("vocabulary size", "800", "260", "mean token length (bytes)", "single-byte tokens", "multi-byte tokens",
                "tokens per word", "tokens per byte", "bytes per token", "fewer tokens than " + bytes);
        // the byte tokenizer spends exactly one token per byte
        String perByte = r.out().lines().filter(l -> l.startsWith("tokens per byte")).findFirst().orElseThrow();
        assertThat(perByte).endsWith("1.0000");
        Result alone = cli("", "tokenizer", "inspect", "--tokenizer", tok.toString());
        assertThat(alone.code()).as(alone.err()).isZero();
        assertThat(alone.out()).contains("vocabulary size").doesNotContain("tokens per word");
    }

    @Test
    void helpAnswers() {
        for (String sub : List.of("train", "encode", "decode", "inspect")) {
            Result r = cli("", "tokenizer", sub, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Usage:", "tokenizer " + sub);
        }
        assertThat(cli("", "tokenizer", "train", "--help").out()).contains("--vocab-size", "--pre-tokenizer", "--special", "llama3");
    }

    @Test
    void userMistakesAreOneLine() throws Exception {
        assertThat(oneLineError(cli("", "tokenizer", "train", "--data", tmp.resolve("missing").toString(), "--out",
                tmp.resolve("o").toString(), "--vocab-size", "300"))).contains("missing");
        assertThat(oneLineError(cli("", "tokenizer", "train", "--data", docs.toString(), "--out", tmp.resolve("o").toString(),
                "--pre-tokenizer", "bert"))).contains("llama3 or gpt2");
        assertThat(oneLineError(cli("", "tokenizer", "train", "--data", docs.toString(), "--out", tmp.resolve("o").toString(),
                "--vocab-size", "100"))).contains("below 260");
        assertThat(tmp.resolve("o")).doesNotExist();
        assertThat(oneLineError(cli("1 2 99999", "tokenizer", "decode", "--tokenizer", tok.toString()))).contains("99999");
        assertThat(oneLineError(cli("1 two", "tokenizer", "decode", "--tokenizer", tok.toString()))).contains("'two'");
        assertThat(oneLineError(cli("x", "tokenizer", "encode", "--tokenizer", tmp.resolve("nope").toString()))).contains("nope");
        Path bad = Files.writeString(tmp.resolve("tokenizer.json"), "{\"model\": ");
        assertThat(oneLineError(cli("x", "tokenizer", "encode", "--tokenizer", bad.toString()))).contains("tokenizer.json");
    }
}
