package dev.seedling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seedling score}: continuation log-likelihoods obey the chain rule; text perplexity in two weight formats. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path tinyModel() {
        LlamaConfig cfg = LlamaConfig.preset("tiny").withOverrides(Map.of("hidden_size", "64", "intermediate_size", "128",
                "num_hidden_layers", "2", "num_attention_heads", "4", "num_key_value_heads", "2", "vocab_size", "320",
                "max_position_embeddings", "64"));
        ByteTokenizer tok = new ByteTokenizer();
        Path dir = tmp.resolve("model");
        LlamaModel.initialize(cfg.withSpecialTokens(tok.bosId(), tok.eosId()), 11, false).save(dir, tok);
        return dir;
    }

    private static List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> r = new java.util.ArrayList<>();
        for (String l : out.lines().toList()) r.add(JSON.readTree(l));
        return r;
    }

    @Test
    void continuationScoresFollowTheChainRule() throws IOException {
        Path model = tinyModel();
        Path items = tmp.resolve("items.jsonl");
        Files.writeString(items, """
                {"context": "Fault E-44", "continuation": "11 means"}
                {"context": "Fault E-44", "continuation": "11"}
                {"context": "Fault E-4411", "continuation": " means"}
                """);
        CliTest.Result r = CliTest.cli("score", "--model", model.toString(), "--items", items.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> s = jsonLines(r.out());
        assertThat(s).hasSize(3);
        assertThat(s.get(0).get("tokens").asInt()).isEqualTo(8);
        // log p("11 means" | ctx) = log p("11" | ctx) + log p(" means" | ctx + "11")
        assertThat(s.get(0).get("logprob").asDouble())
                .isCloseTo(s.get(1).get("logprob").asDouble() + s.get(2).get("logprob").asDouble(), within(1e-3));
        assertThat(s.get(0).get("logprob").asDouble()).isNegative();
    }

    @Test
    void perplexityOfATextInF32AndQ8() throws IOException {
        Path model = tinyModel();
        Path text = tmp.resolve("held-out.txt");
        Files.writeString(text, "The pump P-200 reports fault E-4411 when the seal leaks. Replace the seal and restart.\n".repeat(3));
        JsonNode f32 = jsonLines(CliTest.cli("score", "--model", model.toString(), "--text", text.toString()).out()).getFirst();
        JsonNode q8 = jsonLines(CliTest.cli("score", "--model", model.toString(), "--text", text.toString(), "--weights", "q8_0").out()).getFirst();
        assertThat(f32.get("tokens").asLong()).isEqualTo(Files.size(text));
        assertThat(f32.get("perplexity").asDouble()).isCloseTo(Math.exp(f32.get("nll_per_token").asDouble()), within(1e-9));
        // a random model is close to uniform over its 320 rows
        assertThat(f32.get("perplexity").asDouble()).isBetween(100.0, 1000.0);
        assertThat(q8.get("weights").asText()).isEqualTo("q8_0");
        assertThat(q8.get("nll_per_token").asDouble()).isCloseTo(f32.get("nll_per_token").asDouble(), within(0.02));
    }

    @Test
    void badItemsAreOneLine() throws IOException {
        Path model = tinyModel();
        Path items = tmp.resolve("bad.jsonl");
        Files.writeString(items, "{\"context\": \"x\", \"continuation\": \"y\"}\n{\"context\": \"x\"}\n");
        String line = CliTest.assertOneLineError(CliTest.cli("score", "--model", model.toString(), "--items", items.toString()));
        assertThat(line).contains("bad.jsonl line 2").contains("continuation");
    }
}
