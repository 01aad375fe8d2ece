package dev.seedling.tokenizer.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Real chat templates against the references: {@code golden/chat/make_golden.mjs} rendered every template of
 * {@code templates.json} (Llama 2/3, Qwen 2.5/3, Gemma, Mistral Nemo, DeepSeek V3, SmolLM2, Seedling's default and an
 * interpreter probe) over a set of conversations with {@code @huggingface/jinja}; {@code make_golden_py.py} added what
 * Python Jinja renders as transformers configures it. Java must match byte for byte; where the two references
 * disagree the case must be a known divergence and Java must give Python's text (what the model was trained on).
 */
class ChatTemplateGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-05T09:07:00Z"), ZoneOffset.UTC);

    /** Cases where @huggingface/jinja departs from Python Jinja; see the interpreter's javadoc for each. */
    private static final Set<String> PYTHON_WINS = Set.of(
            "llama2/empty_system", // JS "" == false: the empty system block is dropped
            "mistral_nemo/alternation_error"); // JS selectattr("tool_calls", "undefined") selects nothing

    static String resource(String name) throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("golden/chat/" + name)) {
            if (in == null) throw new IOException("test resource golden/chat/" + name + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Map<String, ChatTemplate> templates() throws IOException {
        JsonNode root = JSON.readTree(resource("templates.json"));
        Map<String, ChatTemplate> out = new HashMap<>();
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            Map<String, String> specials = JSON.convertValue(e.getValue().get("special_tokens"), new TypeReference<>() {});
            out.put(e.getKey(), ChatTemplate.compile(e.getValue().get("template").asText(), "golden/" + e.getKey(), specials));
        }
        return out;
    }

    static List<ChatMessage> messages(JsonNode arr) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : arr) out.add(ChatMessage.fromMap(JSON.convertValue(m, new TypeReference<Map<String, Object>>() {})));
        return out;
    }

    @Test
    void seedlingDefaultIsTheGoldenOne() throws IOException {
        assertThat(ChatTemplate.SEEDLING_DEFAULT).isEqualTo(JSON.readTree(resource("templates.json")).path("seedling").path("template").asText());
    }

    @Test
    void everyCaseRendersLikeTheReference() throws IOException {
        Map<String, ChatTemplate> templates = templates();
        int checked = 0, errors = 0, divergent = 0;
        for (String line : resource("golden.jsonl").split("\n")) {
            if (line.isBlank()) continue;
            JsonNode g = JSON.readTree(line);
            String id = g.path("template").asText() + "/" + g.path("case").asText();
            ChatTemplate t = templates.get(g.path("template").asText());
            RenderOptions opts = RenderOptions.DEFAULT.withAddGenerationPrompt(g.path("add_generation_prompt").asBoolean()).withClock(FIXED);
            if (g.has("tools")) opts = opts.withTools(JSON.convertValue(g.get("tools"), new TypeReference<List<Map<String, Object>>>() {}));
            if (g.has("variables")) opts = opts.withVariables(JSON.convertValue(g.get("variables"), new TypeReference<Map<String, Object>>() {}));
            List<ChatMessage> msgs = messages(g.get("messages"));

            boolean agree = g.path("expected").equals(g.path("expected_py")) && g.path("error").equals(g.path("error_py"));
            if (!agree && !PYTHON_WINS.contains(id)) fail("%s: the references disagree and this is not a known divergence", id);
            if (!agree) divergent++;
            String suffix = agree ? "" : "_py";
            if (g.has("error" + suffix)) {
                String message = g.get("error" + suffix).asText();
                RenderOptions o = opts;
                assertThatThrownBy(() -> t.render(msgs, o)).as(id).isInstanceOf(SeedlingException.class)
                        .hasMessageContaining(message).hasMessageContaining("golden/" + g.path("template").asText())
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
                errors++;
            } else {
                assertThat(t.render(msgs, opts)).as(id).isEqualTo(g.get("expected" + suffix).asText());
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(100);
        assertThat(errors).isGreaterThanOrEqualTo(5);
        assertThat(divergent).isEqualTo(PYTHON_WINS.size());
    }
}
