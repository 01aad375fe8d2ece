package dev.seedling.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link HfTokenizer} against the Hugging Face JavaScript reference: {@code golden/hf/make_golden.mjs} encoded
 * {@code golden/hf/texts.jsonl} with {@code @huggingface/tokenizers} for every checked-in tokenizer, with and without
 * special tokens, and decoded the ids; the results are in {@code golden-<name>.jsonl}. Exact equality, no tolerance.
 */
class HfTokenizerGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> NAMES = HfFixtures.NAMES;

    @ParameterizedTest
    @FieldSource("NAMES")
    void matchesTheJavaScriptReference(String name) throws Exception {
        HfTokenizer tok = HfFixtures.tokenizer(name);
        List<JsonNode> golden = HfFixtures.jsonLines("golden/hf/golden-" + name + ".jsonl");
        assertThat(golden).hasSize(HfFixtures.texts().size());
        for (JsonNode g : golden) {
            String text = g.path("text").asText();
            String shown = JSON.writeValueAsString(text);
            int[] ids = HfFixtures.ints(g.path("ids"));
            assertThat(tok.encode(text)).as("%s ids of %s", name, shown).containsExactly(ids);
            assertThat(tok.encode(text, true)).as("%s ids with specials of %s", name, shown)
                    .containsExactly(HfFixtures.ints(g.path("ids_with_special")));
            assertThat(tok.decode(ids)).as("%s decode of %s", name, shown).isEqualTo(g.path("decoded").asText());
        }
    }
}
