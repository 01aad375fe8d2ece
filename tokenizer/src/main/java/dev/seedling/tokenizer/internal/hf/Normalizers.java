package dev.seedling.tokenizer.internal.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The normalizers of HF {@code tokenizers} that Seedling runs: NFC, NFD, NFKC, NFKD, Lowercase, Strip,
 * StripAccents, Replace (String or Regex pattern), Prepend, Sequence. Each one behaves as the Rust one on the
 * normalized string.
 */
public final class Normalizers {
    private Normalizers() {}

    /**
     * The normalizer described by {@code node} (a {@code tokenizer.json} {@code "normalizer"} value), or null for JSON
     * null / absent (no normalization). Any other type is a one-line {@link dev.seedling.tensor.SeedlingException}
     * {@code "<file>: unsupported normalizer type '<X>'"}.
     */
    public static Normalizer fromJson(JsonNode node, String file) {
        if (HfJson.isNull(node)) return null;
        String type = HfJson.type(node, "normalizer", file);
        return switch (type) {
            case "NFC" -> new Unicode(java.text.Normalizer.Form.NFC);
            case "NFD" -> new Unicode(java.text.Normalizer.Form.NFD);
            case "NFKC" -> new Unicode(java.text.Normalizer.Form.NFKC);
            case "NFKD" -> new Unicode(java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> new Lowercase();
            case "Strip" -> new Strip(HfJson.bool(node, "strip_left", true), HfJson.bool(node, "strip_right", true));
            case "StripAccents" -> new StripAccents();
            case "Replace" -> new Replace(HfJson.pattern(node, "normalizer Replace", file),
                    HfJson.text(node, "content", "normalizer Replace", file));
            case "Prepend" -> new Prepend(HfJson.text(node, "prepend", "normalizer Prepend", file));
            case "Sequence" -> {
                JsonNode list = node.path("normalizers");
                if (!list.isArray()) throw new dev.seedling.tensor.SeedlingException(file + ": normalizer Sequence needs a \"normalizers\" array");
                List<Normalizer> steps = new ArrayList<>();
                for (JsonNode n : list) {
                    Normalizer s = fromJson(n, file);
                    if (s != null) steps.add(s);
                }
                yield new Sequence(List.copyOf(steps));
            }
            default -> throw HfJson.unsupported(file, "normalizer", type);
        };
    }

    /** Unicode normalization form. */
    record Unicode(java.text.Normalizer.Form form) implements Normalizer {
        @Override
        public String normalize(String text) {
            return java.text.Normalizer.normalize(text, form);
        }
    }

    /** Rust's {@code char::to_lowercase} on every code point (no context rules such as final sigma). */
    record Lowercase() implements Normalizer {
        @Override
        public String normalize(String text) {
            StringBuilder sb = null;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int n = Character.charCount(cp);
                int lower = Character.toLowerCase(cp);
                if (lower != cp || cp == 0x130) {
                    if (sb == null) sb = new StringBuilder(text.length()).append(text, 0, i);
                    if (cp == 0x130) sb.append("i\u0307"); // the one code point whose full lowercase has two
                    else sb.appendCodePoint(lower);
                } else if (sb != null) {
                    sb.appendCodePoint(cp);
                }
                i += n;
            }
            return sb == null ? text : sb.toString();
        }
    }

    /** Removes leading and/or trailing White_Space. */
    record Strip(boolean left, boolean right) implements Normalizer {
        @Override
        public String normalize(String text) {
            int s = 0, e = text.length();
            if (left) {
                while (s < e) {
                    int cp = text.codePointAt(s);
                    if (!CharClasses.isWhiteSpace(cp)) break;
                    s += Character.charCount(cp);
                }
            }
            if (right) {
                while (e > s) {
                    int cp = text.codePointBefore(e);
                    if (!CharClasses.isWhiteSpace(cp)) break;
                    e -= Character.charCount(cp);
                }
            }
            return text.substring(s, e);
        }
    }

    /** Removes combining marks (use after NFD/NFKD). */
    record StripAccents() implements Normalizer {
        @Override
        public String normalize(String text) {
            StringBuilder sb = new StringBuilder(text.length());
            text.codePoints().filter(cp -> !CharClasses.isCombiningMark(cp)).forEach(sb::appendCodePoint);
            return sb.toString();
        }
    }

    /** Replaces every match of the pattern with {@code content}. */
    record Replace(TextPattern pattern, String content) implements Normalizer {
        @Override
        public String normalize(String text) {
            Spans spans = new Spans();
            pattern.find(text, spans);
            StringBuilder sb = new StringBuilder(text.length() + 16);
            for (int i = 0; i < spans.size; i++) {
                if (spans.match[i]) sb.append(content);
                else sb.append(text, spans.start[i], spans.end[i]);
            }
            return sb.toString();
        }
    }

    /** Prepends a string to non-empty text. */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    /** Applies the steps in order. */
    record Sequence(List<Normalizer> steps) implements Normalizer {
        @Override
        public String normalize(String text) {
            for (Normalizer n : steps) text = n.normalize(text);
            return text;
        }
    }

}
