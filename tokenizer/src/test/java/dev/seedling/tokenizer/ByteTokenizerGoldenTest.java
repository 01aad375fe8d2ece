package dev.seedling.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The byte tokenizer against the Hugging Face JavaScript reference: {@code golden/make_golden.mjs} loaded the
 * {@code tokenizer.json} / {@code tokenizer_config.json} that Seedling writes (checked in under
 * {@code golden/byte-tokenizer}) with {@code @huggingface/tokenizers} and encoded {@code texts.jsonl}; the ids are
 * in {@code golden.jsonl}. This proves the files load unchanged in HF tokenizers and encode exactly as we do.
 */
class ByteTokenizerGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFilesWeWriteAreTheOnesTheReferenceRead() throws IOException {
        Map<String, String> files = new ByteTokenizer().files();
        for (String name : new String[] {"tokenizer.json", "tokenizer_config.json"})
            assertThat(JSON.readTree(files.get(name))).as(name).isEqualTo(JSON.readTree(resource("byte-tokenizer/" + name)));
    }

    @Test
    void encodingAndDecodingMatchHuggingFaceTokenizers() throws IOException {
        ByteTokenizer tok = new ByteTokenizer();
        int checked = 0;
        for (String line : resource("golden.jsonl").split("\n")) {
            if (line.isBlank()) continue;
            JsonNode g = JSON.readTree(line);
            String text = g.path("text").asText();
            int[] expected = new int[g.path("ids").size()];
            for (int i = 0; i < expected.length; i++) expected[i] = g.path("ids").path(i).asInt();
            assertThat(tok.encode(text)).as("ids of %s", JSON.writeValueAsString(text)).containsExactly(expected);
            assertThat(tok.decode(expected)).as("decode of %s", JSON.writeValueAsString(text)).isEqualTo(g.path("decoded").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(16);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ByteTokenizerGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) throw new IOException("missing test resource golden/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
