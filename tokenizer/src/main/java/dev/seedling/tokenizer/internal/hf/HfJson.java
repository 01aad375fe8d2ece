package dev.seedling.tokenizer.internal.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.tensor.SeedlingException;

/** Small helpers for reading the components of a {@code tokenizer.json}, with one-line errors naming the file. */
final class HfJson {
    private HfJson() {}

    /** True when {@code n} is absent or JSON null. */
    static boolean isNull(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull();
    }

    /** The {@code "type"} of a component object, or a one-line error naming the file and component. */
    static String type(JsonNode n, String component, String file) {
        JsonNode t = n.path("type");
        if (!n.isObject() || !t.isTextual()) {
            throw new SeedlingException(file + ": " + component + " " + oneLine(n.toString(), 80) + " has no \"type\"");
        }
        return t.asText();
    }

    static SeedlingException unsupported(String file, String component, String type) {
        return new SeedlingException(file + ": unsupported " + component + " type '" + type + "'");
    }

    static String text(JsonNode n, String key, String component, String file) {
        JsonNode v = n.path(key);
        if (!v.isTextual()) throw new SeedlingException(file + ": " + component + " needs a string \"" + key + "\"");
        return v.asText();
    }

    static String textOr(JsonNode n, String key, String dflt) {
        JsonNode v = n.path(key);
        return v.isTextual() ? v.asText() : dflt;
    }

    static boolean bool(JsonNode n, String key, boolean dflt) {
        JsonNode v = n.path(key);
        return v.isBoolean() ? v.asBoolean() : dflt;
    }

    /** One code point held in a string field (Metaspace replacement, Strip content). */
    static int codePoint(JsonNode n, String key, String component, String file) {
        String s = text(n, key, component, file);
        if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
            throw new SeedlingException(file + ": " + component + " \"" + key + "\" must be one character, got " + quote(s));
        }
        return s.codePointAt(0);
    }

    /**
     * A {@code {"String": "..."}} or {@code {"Regex": "..."}} pattern object as a matcher; {@code component} names it
     * in errors.
     */
    static TextPattern pattern(JsonNode n, String component, String file) {
        JsonNode p = n.path("pattern");
        if (p.path("String").isTextual()) return TextPattern.literal(p.path("String").asText());
        if (p.path("Regex").isTextual()) return TextPattern.regex(OnigRegex.compile(p.path("Regex").asText(), file + ": " + component));
        throw new SeedlingException(file + ": " + component + " needs a pattern {\"String\": ...} or {\"Regex\": ...}, got "
                + oneLine(p.toString(), 80));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static String oneLine(String s) {
        return oneLine(s, 200);
    }

    static String oneLine(String s, int max) {
        if (s == null) return "";
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > max ? t.substring(0, max) + "…" : t;
    }
}
