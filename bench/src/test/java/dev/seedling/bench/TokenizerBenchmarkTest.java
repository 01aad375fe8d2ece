package dev.seedling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code seedling bench tokenizer} at a toy size: it trains, encodes, runs the Rust reference in a child JVM, finds
 * the same ids there, and ends with one JSON line. (A smoke test of the program, not a timing.)
 */
class TokenizerBenchmarkTest {
    @Test
    void smallRunMatchesTheRustReferenceAndEndsWithOneJsonLine() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, Object> f = TokenizerBenchmark.run(new TokenizerBenchmark.Options(null, 0.3, 0.2, 600, true, 1),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(f.get("trained_ids_match")).as(out).isEqualTo(true);
        assertThat(f.get("trained_vocab")).isEqualTo(600);
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode json = new ObjectMapper().readTree(last);
        assertThat(json.path("bench").asText()).isEqualTo("tokenizer");
        assertThat(json.path("train_s_per_100mb").asDouble()).isPositive();
        assertThat(json.path("trained_mb_s").asDouble()).isPositive();
        assertThat(json.path("trained_rust_mb_s").asDouble()).isPositive();
        assertThat(out).contains("llama3: no tokenizer.json given");
    }
}
