package dev.seedling.tokenizer.internal.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.internal.ByteLevel;
import dev.seedling.tokenizer.internal.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoders of HF {@code tokenizers} that Seedling runs: ByteLevel, Metaspace, ByteFallback, Fuse, Strip,
 * Replace, WordPiece and Sequence, each as the Rust {@code decode_chain}.
 */
public final class Decoders {
    private Decoders() {}

    /**
     * The decoder described by {@code node}, or null for JSON null / absent (HF then joins the tokens with spaces).
     * An unknown type is a one-line {@link SeedlingException} {@code "<file>: unsupported decoder type '<X>'"}.
     */
    public static Decoder fromJson(JsonNode node, String file) {
        if (HfJson.isNull(node)) return null;
        String type = HfJson.type(node, "decoder", file);
        return switch (type) {
            case "ByteLevel" -> new ByteLevelDecoder();
            case "Metaspace" -> {
                String scheme = HfJson.textOr(node, "prepend_scheme", null);
                if (scheme == null) scheme = HfJson.bool(node, "add_prefix_space", true) ? "always" : "never";
                yield new MetaspaceDecoder(HfJson.codePoint(node, "replacement", "decoder Metaspace", file), !scheme.equals("never"));
            }
            case "ByteFallback" -> new ByteFallback();
            case "Fuse" -> new Fuse();
            case "Strip" -> new Strip(HfJson.codePoint(node, "content", "decoder Strip", file),
                    node.path("start").asInt(0), node.path("stop").asInt(0));
            case "Replace" -> new Replace(new Normalizers.Replace(HfJson.pattern(node, "decoder Replace", file),
                    HfJson.text(node, "content", "decoder Replace", file)));
            case "WordPiece" -> new WordPiece(HfJson.textOr(node, "prefix", "##"), HfJson.bool(node, "cleanup", true));
            case "Sequence" -> {
                JsonNode list = node.path("decoders");
                if (!list.isArray()) throw new SeedlingException(file + ": decoder Sequence needs a \"decoders\" array");
                List<Decoder> steps = new ArrayList<>();
                for (JsonNode n : list) {
                    Decoder d = fromJson(n, file);
                    if (d != null) steps.add(d);
                }
                yield new Sequence(List.copyOf(steps));
            }
            default -> throw HfJson.unsupported(file, "decoder", type);
        };
    }

    /** Byte-level characters back to bytes (a token with a character outside the table keeps its UTF-8), lossy UTF-8. */
    record ByteLevelDecoder() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            byte[] bytes = new byte[64];
            int n = 0;
            for (String t : tokens) {
                boolean all = true;
                for (int i = 0; i < t.length(); i++) {
                    if (ByteLevel.byteOf(t.charAt(i)) < 0) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    bytes = Utf8.grow(bytes, n + t.length());
                    for (int i = 0; i < t.length(); i++) bytes[n++] = (byte) ByteLevel.byteOf(t.charAt(i));
                } else {
                    bytes = Utf8.grow(bytes, n + 3 * t.length());
                    n = Utf8.encode(t, 0, t.length(), bytes, n);
                }
            }
            return List.of(Utf8.decodeLossy(bytes, n));
        }
    }

    /** Replacement character back to space; in the first token it is dropped instead (unless prepend_scheme is never). */
    record MetaspaceDecoder(int replacement, boolean dropInFirst) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                StringBuilder sb = new StringBuilder(t.length());
                for (int j = 0; j < t.length(); ) {
                    int cp = t.codePointAt(j);
                    if (cp == replacement) {
                        if (!(i == 0 && dropInFirst)) sb.append(' ');
                    } else {
                        sb.appendCodePoint(cp);
                    }
                    j += Character.charCount(cp);
                }
                out.add(sb.toString());
            }
            return out;
        }
    }

    /** Runs of {@code <0xNN>} tokens become their UTF-8 text, or one U+FFFD per byte when not valid UTF-8. */
    record ByteFallback() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            byte[] pending = new byte[16];
            int n = 0;
            for (String t : tokens) {
                int b = byteToken(t);
                if (b >= 0) {
                    pending = Utf8.grow(pending, n + 1);
                    pending[n++] = (byte) b;
                    continue;
                }
                if (n > 0) flush(pending, n, out);
                n = 0;
                out.add(t);
            }
            if (n > 0) flush(pending, n, out);
            return out;
        }

        private static void flush(byte[] bytes, int n, List<String> out) {
            if (Utf8.firstInvalid(bytes, n) < 0) out.add(new String(bytes, 0, n, StandardCharsets.UTF_8));
            else for (int i = 0; i < n; i++) out.add("\uFFFD");
        }

        /** The byte of a {@code <0xNN>} token (as Rust's {@code u8::from_str_radix}, either case), else -1. */
        private static int byteToken(String t) {
            if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') return -1;
            int hi = Character.digit(t.charAt(3), 16), lo = Character.digit(t.charAt(4), 16);
            if (t.charAt(3) > 0x7F || t.charAt(4) > 0x7F) return -1;
            if (hi < 0 && t.charAt(3) == '+' && lo >= 0) return lo;
            return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        }
    }

    /** All tokens into one. */
    record Fuse() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }
    }

    /** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters of every token. */
    record Strip(int content, int start, int stop) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int[] cps = t.codePoints().toArray();
                int startCut = 0;
                for (int i = 0; i < Math.min(start, cps.length); i++) {
                    if (cps[i] == content) startCut = i + 1;
                    else break;
                }
                int stopCut = cps.length;
                for (int i = 0; i < Math.min(stop, cps.length); i++) {
                    int index = cps.length - i - 1;
                    if (cps[index] == content) stopCut = index;
                    else break;
                }
                out.add(startCut >= stopCut ? "" : new String(cps, startCut, stopCut - startCut));
            }
            return out;
        }
    }

    /** A Replace normalizer applied to every token. */
    record Replace(Normalizers.Replace replace) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) out.add(replace.normalize(t));
            return out;
        }
    }

    /** WordPiece: continuation prefix removed, other tokens after the first get a space; optional cleanup. */
    record WordPiece(String prefix, boolean cleanup) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i != 0) t = t.startsWith(prefix) ? t.replaceFirst(java.util.regex.Pattern.quote(prefix), "") : " " + t;
                if (cleanup) {
                    t = t.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                            .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
                            .replace(" 've", "'ve").replace(" 're", "'re");
                }
                out.add(t);
            }
            return out;
        }
    }

    /** Runs the steps in order. */
    record Sequence(List<Decoder> steps) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            for (Decoder d : steps) tokens = d.decodeChain(tokens);
            return tokens;
        }
    }
}
