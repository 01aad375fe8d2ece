package dev.seedling.tokenizer.chat;

import dev.seedling.tensor.SeedlingException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * How to render a conversation.
 *
 * @param addGenerationPrompt  end with the marker that starts the assistant's reply (the template's
 *                             {@code add_generation_prompt})
 * @param continueFinalMessage end the text right after the final message's content, so the model continues that
 *                             message (transformers' {@code continue_final_message}); exclusive with the above
 * @param tools                tool definitions (JSON-schema-like maps) passed as {@code tools}, or null for none
 * @param variables            further template variables, e.g. {@code enable_thinking}, {@code date_string} (null
 *                             values are {@code none})
 * @param clock                the clock of {@code strftime_now} (fix it for reproducible output)
 */
public record RenderOptions(boolean addGenerationPrompt, boolean continueFinalMessage, List<Map<String, Object>> tools,
        Map<String, Object> variables, Clock clock) {
    /** No generation prompt, no tools, no extra variables, the system clock in UTC. */
    public static final RenderOptions DEFAULT = new RenderOptions(false, false, null, Map.of(), Clock.systemUTC());

    public RenderOptions {
        if (addGenerationPrompt && continueFinalMessage)
            throw new SeedlingException("render options: addGenerationPrompt and continueFinalMessage cannot both be set");
        tools = tools == null ? null : List.copyOf(tools);
        variables = variables == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
        if (clock == null) clock = Clock.systemUTC();
    }

    /** DEFAULT with the generation prompt: what serving uses before the model's reply. */
    public static RenderOptions generation() {
        return DEFAULT.withAddGenerationPrompt(true);
    }

    public RenderOptions withAddGenerationPrompt(boolean on) {
        return new RenderOptions(on, on ? false : continueFinalMessage, tools, variables, clock);
    }

    public RenderOptions withContinueFinalMessage(boolean on) {
        return new RenderOptions(on ? false : addGenerationPrompt, on, tools, variables, clock);
    }

    public RenderOptions withTools(List<Map<String, Object>> newTools) {
        return new RenderOptions(addGenerationPrompt, continueFinalMessage, newTools, variables, clock);
    }

    public RenderOptions withVariables(Map<String, Object> newVariables) {
        return new RenderOptions(addGenerationPrompt, continueFinalMessage, tools, newVariables, clock);
    }

    public RenderOptions withClock(Clock newClock) {
        return new RenderOptions(addGenerationPrompt, continueFinalMessage, tools, variables, newClock);
    }
}
