package dev.seedling.tokenizer.chat;

import dev.seedling.tensor.SeedlingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One message of a conversation, as OpenAI-style chat data and Hugging Face chat templates know it.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool} (other roles pass through to the
 *                   template, which may reject them)
 * @param content    the text; may be null (e.g. an assistant message that only calls tools)
 * @param toolCalls  the assistant's tool calls ({@code [{"type":"function","function":{"name":..,"arguments":..}}]}),
 *                   or null
 * @param name       an optional name (tool name of a tool result), or null
 * @param toolCallId the id of the call a tool result answers, or null
 */
public record ChatMessage(String role, String content, List<Map<String, Object>> toolCalls, String name, String toolCallId) {
    public ChatMessage {
        if (role == null || role.isBlank()) throw new SeedlingException("chat message has no role");
        toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null, null);
    }

    public static ChatMessage assistantToolCalls(String content, List<Map<String, Object>> toolCalls) {
        return new ChatMessage("assistant", content, toolCalls, null, null);
    }

    public static ChatMessage tool(String content, String toolCallId, String name) {
        return new ChatMessage("tool", content, null, name, toolCallId);
    }

    /**
     * The message as the template sees it: keys {@code role}, {@code content} (always present, possibly null), then
     * {@code tool_calls}, {@code name}, {@code tool_call_id} when set.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        if (toolCalls != null) m.put("tool_calls", toolCalls);
        if (name != null) m.put("name", name);
        if (toolCallId != null) m.put("tool_call_id", toolCallId);
        return m;
    }

    /** Reads one message from its JSON-like map form (the inverse of {@link #toMap()}). */
    @SuppressWarnings("unchecked")
    public static ChatMessage fromMap(Map<String, ?> m) {
        Object role = m.get("role"), content = m.get("content"), calls = m.get("tool_calls");
        if (!(role instanceof String r)) throw new SeedlingException("chat message has no string 'role': " + m.keySet());
        if (content != null && !(content instanceof String))
            throw new SeedlingException("chat message 'content' must be a string or null (structured content parts are not supported)");
        if (calls != null && !(calls instanceof List<?>)) throw new SeedlingException("chat message 'tool_calls' must be a list");
        return new ChatMessage(r, (String) content, (List<Map<String, Object>>) calls, (String) m.get("name"), (String) m.get("tool_call_id"));
    }
}
