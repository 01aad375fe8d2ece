package dev.seedling.data;

import java.util.Map;
import java.util.Objects;

/**
 * One document of a corpus, as in {@code docs.jsonl}: {@code {"id", "text", "source", "meta"}}.
 *
 * @param id     a stable identifier (the relative path of a text file, or the {@code id} of a jsonl line, else
 *               {@code <file>:<line>})
 * @param text   the document's text, never blank
 * @param source where it came from (relative path, or the jsonl {@code source} field, else the jsonl file name)
 * @param meta   free-form metadata (the jsonl {@code meta} object), empty when none; unmodifiable
 */
public record Document(String id, String text, String source, Map<String, Object> meta) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        meta = meta == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
    }
}
