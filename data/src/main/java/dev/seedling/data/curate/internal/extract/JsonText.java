package dev.seedling.data.curate.internal.extract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Text out of parsed JSON: a configured field (a dotted path such as {@code body.text}), or, for a {@code .json}
 * file without that field, every string value in document order. Stateless and thread-safe.
 */
public final class JsonText {
    private JsonText() {}

    /** The string at {@code path} (split on dots) inside {@code node}, or null when absent or not a string. */
    public static String field(JsonNode node, String[] path) {
        JsonNode cur = node;
        for (String key : path) {
            if (cur == null || !cur.isObject()) return null;
            cur = cur.get(key);
        }
        return cur != null && cur.isTextual() ? cur.asText() : null;
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    /**
     * Streams one JSON Lines record without building a tree: returns {text, source} (either may be null when
     * absent or not a string; the last occurrence of a duplicated key wins), or null when the line is valid JSON but
     * not an object. Throws on malformed JSON or trailing content. {@code sourcePath} may be null.
     */
    public static String[] record(byte[] line, int length, String[] textPath, String[] sourcePath) throws IOException {
        try (JsonParser p = FACTORY.createParser(line, 0, length)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new IOException("no JSON value");
            String[] out = new String[2];
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() != null) throw new IOException("trailing content");
                return null;
            }
            object(p, 0, true, sourcePath != null, textPath, sourcePath, out);
            if (p.nextToken() != null) throw new IOException("trailing content");
            return out;
        }
    }

    /** Reads the fields of the object the parser is in; {@code text/sourceOn}: the path so far matches. */
    private static void object(JsonParser p, int depth, boolean textOn, boolean sourceOn, String[] textPath,
                               String[] sourcePath, String[] out) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) throw new IOException("malformed object");
            String name = p.currentName();
            JsonToken v = p.nextToken();
            boolean textHere = textOn && depth < textPath.length && name.equals(textPath[depth]);
            boolean sourceHere = sourceOn && depth < sourcePath.length && name.equals(sourcePath[depth]);
            if (v == JsonToken.START_OBJECT) {
                boolean textDeeper = textHere && depth < textPath.length - 1;
                boolean sourceDeeper = sourceHere && depth < sourcePath.length - 1;
                if (textDeeper || sourceDeeper) object(p, depth + 1, textDeeper, sourceDeeper, textPath, sourcePath, out);
                else p.skipChildren();
                if (textHere && depth == textPath.length - 1) out[0] = null;
                if (sourceHere && depth == sourcePath.length - 1) out[1] = null;
            } else if (v == JsonToken.START_ARRAY) {
                p.skipChildren();
                if (textHere && depth == textPath.length - 1) out[0] = null;
                if (sourceHere && depth == sourcePath.length - 1) out[1] = null;
            } else {
                boolean str = v == JsonToken.VALUE_STRING;
                if (textHere && depth == textPath.length - 1) out[0] = str ? p.getText() : null;
                if (sourceHere && depth == sourcePath.length - 1) out[1] = str ? p.getText() : null;
            }
        }
    }

    /**
     * The documents of a {@code .json} file: an array whose elements carry the field gives one text per such
     * element (others are ignored); an object with the field gives that text; anything else gives one text made of
     * all string values, one per line.
     */
    public static List<String> documents(JsonNode root, String[] path) {
        List<String> out = new ArrayList<>();
        if (root.isArray()) {
            for (JsonNode el : root) {
                String t = field(el, path);
                if (t != null) out.add(t);
            }
            if (!out.isEmpty()) return out;
        } else {
            String t = field(root, path);
            if (t != null) return List.of(t);
        }
        StringBuilder all = new StringBuilder();
        allStrings(root, all);
        return all.isEmpty() ? List.of() : List.of(all.toString());
    }

    private static void allStrings(JsonNode root, StringBuilder out) {
        // explicit stack: deep nesting must not overflow the thread stack
        ArrayList<JsonNode> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            JsonNode n = stack.removeLast();
            if (n.isTextual()) {
                String s = n.asText();
                if (!s.isBlank()) out.append(s).append('\n');
            } else if (n.isContainerNode()) {
                for (int i = n.size() - 1; i >= 0; i--) {
                    JsonNode child = n.isArray() ? n.get(i) : null;
                    if (child != null) stack.add(child);
                }
                if (n.isObject()) {
                    List<JsonNode> values = new ArrayList<>();
                    n.values().forEachRemaining(values::add);
                    for (int i = values.size() - 1; i >= 0; i--) stack.add(values.get(i));
                }
            }
        }
    }
}
