package dev.seedling.tokenizer.internal.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.internal.ByteLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre-tokenizers of HF {@code tokenizers} that Seedling runs: ByteLevel (add_prefix_space, use_regex), Split
 * (String or Regex pattern, all five behaviors, invert), Metaspace (replacement, prepend_scheme, split), Digits,
 * Whitespace, WhitespaceSplit, Punctuation and Sequence.
 */
public final class PreTokenizers {
    private PreTokenizers() {}

    /** The GPT-2 regex that ByteLevel splits with when {@code use_regex} is true. */
    public static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /**
     * The pre-tokenizer described by {@code node} (a {@code tokenizer.json} {@code "pre_tokenizer"} value), or null
     * for JSON null / absent (the whole normalized text is one piece). An unknown type is a one-line
     * {@link SeedlingException} {@code "<file>: unsupported pre_tokenizer type '<X>'"}.
     */
    public static PreTokenizer fromJson(JsonNode node, String file) {
        if (HfJson.isNull(node)) return null;
        String type = HfJson.type(node, "pre_tokenizer", file);
        return switch (type) {
            case "ByteLevel" -> new ByteLevelSplit(HfJson.bool(node, "add_prefix_space", true), HfJson.bool(node, "use_regex", true));
            case "Split" -> {
                SplitBehavior b = behavior(node, "pre_tokenizer Split", file);
                TextPattern p = HfJson.pattern(node, "pre_tokenizer Split", file);
                yield new Split(HfJson.bool(node, "invert", false) ? TextPattern.invert(p) : p, b);
            }
            case "Metaspace" -> {
                String scheme = HfJson.textOr(node, "prepend_scheme", null);
                if (scheme == null) scheme = HfJson.bool(node, "add_prefix_space", true) ? "always" : "never";
                if (!scheme.equals("always") && !scheme.equals("first") && !scheme.equals("never")) {
                    throw new SeedlingException(file + ": pre_tokenizer Metaspace prepend_scheme must be always, first or never, got " + HfJson.quote(scheme));
                }
                yield new Metaspace(HfJson.codePoint(node, "replacement", "pre_tokenizer Metaspace", file), scheme,
                        HfJson.bool(node, "split", true));
            }
            case "Digits" -> new Split(TextPattern.chars(CharClasses::isNumeric),
                    HfJson.bool(node, "individual_digits", false) ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS);
            case "Whitespace" -> new Split(TextPattern.invert(TextPattern.regex(
                    OnigRegex.compileRegexOnly("\\w+|[^\\w\\s]+", file + ": pre_tokenizer Whitespace"))), SplitBehavior.REMOVED);
            case "WhitespaceSplit" -> new Split(TextPattern.chars(CharClasses::isWhiteSpace), SplitBehavior.REMOVED);
            case "Punctuation" -> new Split(TextPattern.chars(CharClasses::isPunctuation),
                    node.has("behavior") ? behavior(node, "pre_tokenizer Punctuation", file) : SplitBehavior.ISOLATED);
            case "Sequence" -> {
                JsonNode list = node.path("pretokenizers");
                if (!list.isArray()) throw new SeedlingException(file + ": pre_tokenizer Sequence needs a \"pretokenizers\" array");
                List<PreTokenizer> steps = new ArrayList<>();
                for (JsonNode n : list) {
                    PreTokenizer s = fromJson(n, file);
                    if (s != null) steps.add(s);
                }
                yield new Sequence(List.copyOf(steps));
            }
            default -> throw HfJson.unsupported(file, "pre_tokenizer", type);
        };
    }

    private static SplitBehavior behavior(JsonNode node, String component, String file) {
        String name = HfJson.text(node, "behavior", component, file);
        SplitBehavior b = SplitBehavior.fromJson(name);
        if (b == null) throw new SeedlingException(file + ": " + component + " has unknown behavior " + HfJson.quote(name));
        return b;
    }

    /** Split on a pattern with a delimiter behavior (also Digits, Whitespace, WhitespaceSplit, Punctuation). */
    record Split(TextPattern pattern, SplitBehavior behavior) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, PieceSink out) {
            Spans spans = new Spans(); // not shared: the sink may run further splits on this thread
            pattern.find(text, spans);
            behavior.apply(text, spans, atStart, out);
        }
    }

    /**
     * ByteLevel: optionally a prefix space, optionally the GPT-2 regex split, then every UTF-8 byte of each piece
     * mapped to its printable stand-in ({@link ByteLevel}).
     */
    record ByteLevelSplit(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
        private static final Split GPT2 = new Split(TextPattern.regex(OnigRegex.compile(GPT2_PATTERN, "ByteLevel")), SplitBehavior.ISOLATED);

        @Override
        public void split(String text, boolean atStart, PieceSink out) {
            if (addPrefixSpace && !text.isEmpty() && !text.startsWith(" ")) text = " " + text;
            if (useRegex) GPT2.split(text, atStart, (p, s) -> out.accept(toByteLevel(p), s));
            else if (!text.isEmpty()) out.accept(toByteLevel(text), atStart);
        }
    }

    /** The UTF-8 bytes of {@code s} as byte-level characters (unpaired surrogates as U+FFFD). */
    public static String toByteLevel(String s) {
        int n = s.length();
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || ByteLevel.charOf(c) != c) {
                out = new char[n * 3];
                int k = 0;
                for (int j = 0; j < i; j++) out[k++] = s.charAt(j);
                byte[] buf = new byte[4];
                for (int j = i; j < n; ) {
                    char d = s.charAt(j);
                    if (d < 0x80) {
                        out[k++] = ByteLevel.charOf(d);
                        j++;
                        continue;
                    }
                    int len = Character.isHighSurrogate(d) && j + 1 < n && Character.isLowSurrogate(s.charAt(j + 1)) ? 2 : 1;
                    int b = dev.seedling.tokenizer.internal.Utf8.encode(s, j, j + len, buf, 0);
                    for (int q = 0; q < b; q++) out[k++] = ByteLevel.charOf(buf[q] & 0xFF);
                    j += len;
                }
                return new String(out, 0, k);
            }
        }
        return s;
    }

    /** Metaspace: spaces become the replacement character, optionally prepended, optionally split before it. */
    record Metaspace(int replacement, String prependScheme, boolean split) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, PieceSink out) {
            String rep = new String(Character.toChars(replacement));
            String t = text.replace(" ", rep);
            boolean prepend = switch (prependScheme) {
                case "always" -> true;
                case "first" -> atStart;
                default -> false;
            };
            if (prepend && !t.startsWith(rep) && !t.isEmpty()) t = rep + t;
            if (!split) {
                if (!t.isEmpty()) out.accept(t, atStart);
                return;
            }
            Spans spans = new Spans();
            TextPattern.chars(cp -> cp == replacement).find(t, spans);
            SplitBehavior.MERGED_WITH_NEXT.apply(t, spans, atStart, out);
        }
    }

    /** Runs each step on every piece the previous steps produced. */
    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, PieceSink out) {
            run(0, text, atStart, out);
        }

        private void run(int step, String text, boolean atStart, PieceSink out) {
            if (step == steps.size()) {
                out.accept(text, atStart);
                return;
            }
            steps.get(step).split(text, atStart, (p, s) -> run(step + 1, p, s, out));
        }
    }
}
