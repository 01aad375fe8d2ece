package dev.seedling.tokenizer.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The interpreter piece by piece against {@code @huggingface/jinja}: {@code make_golden.mjs} rendered ~40 small
 * snippets (arithmetic and number printing, string methods, slicing, membership, filters, tests, loops and the loop
 * object, namespaces, macros, filter blocks, whitespace control, escapes, tojson variants) over one fixed context into
 * {@code expressions.jsonl}; each renders byte-identically here, and each snippet the reference rejects is rejected
 * here too (with a one-line error).
 */
class JinjaExpressionGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySnippetRendersLikeTheReference() throws IOException {
        String[] lines = ChatTemplateGoldenTest.resource("expressions.jsonl").split("\n");
        Map<String, Object> context = JSON.convertValue(JSON.readTree(lines[0]).get("context"), new TypeReference<>() {});
        RenderOptions opts = RenderOptions.DEFAULT.withVariables(context).withClock(ChatTemplateGoldenTest.FIXED);
        int ok = 0, errors = 0;
        List<String> failures = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            JsonNode g = JSON.readTree(lines[i]);
            String src = g.get("template").asText();
            String got;
            try {
                got = ChatTemplate.compile(src, "snippet", Map.of()).render(List.of(), opts);
            } catch (SeedlingException e) {
                assertThat(e.getMessage()).as(src).doesNotContain("\n");
                got = null;
                if (g.has("error")) errors++;
                else failures.add(src + "\n  expected: " + g.get("expected").asText() + "\n  error:    " + e.getMessage());
                continue;
            }
            if (g.has("error")) failures.add(src + "\n  expected an error like: " + g.get("error").asText() + "\n  got:      " + got);
            else if (!got.equals(g.get("expected").asText()))
                failures.add(src + "\n  expected: " + g.get("expected").asText() + "\n  got:      " + got);
            else ok++;
        }
        assertThat(failures).as("snippets that differ from @huggingface/jinja").isEmpty();
        assertThat(ok).isGreaterThanOrEqualTo(35);
        assertThat(errors).isGreaterThanOrEqualTo(3);
    }
}
