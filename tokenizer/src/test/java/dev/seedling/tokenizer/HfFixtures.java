package dev.seedling.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The real Hugging Face tokenizers checked in under {@code golden/hf/<name>/} (gzipped; see {@code extract.mjs}
 * there) and the golden texts, each loaded once per JVM and shared by the test classes (a vocabulary of 256k tokens
 * takes a second or more to build).
 */
final class HfFixtures {
    private HfFixtures() {}

    /** The checked-in tokenizers. Qwen2/2.5 share qwen3's vocab and merges (checked by extract.mjs). */
    static final List<String> NAMES = List.of("llama2", "llama3", "qwen3", "gemma", "gpt2", "mistral_nemo", "deepseek_v3");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, HfTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static HfTokenizer tokenizer(String name) {
        return TOKENIZERS.computeIfAbsent(name, n -> HfTokenizer.fromJson(tokenizerJson(n), tokenizerConfigJson(n), n));
    }

    static String tokenizerJson(String name) {
        return gunzip("golden/hf/" + name + "/tokenizer.json.gz");
    }

    static String tokenizerConfigJson(String name) {
        return gunzip("golden/hf/" + name + "/tokenizer_config.json.gz");
    }

    /** Writes the uncompressed {@code tokenizer.json} (and config) of {@code name} into {@code dir}; returns the json path. */
    static Path writeTo(String name, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(name));
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfigJson(name));
            return dir.resolve("tokenizer.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The texts of {@code golden/hf/texts.jsonl}. */
    static List<String> texts() {
        List<String> out = new ArrayList<>();
        for (JsonNode n : jsonLines("golden/hf/texts.jsonl")) out.add(n.path("text").asText());
        return out;
    }

    static List<JsonNode> jsonLines(String resource) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : resource(resource).split("\n")) if (!line.isBlank()) out.add(JSON.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] v = new int[array.size()];
        for (int i = 0; i < v.length; i++) v[i] = array.get(i).asInt();
        return v;
    }

    /** Pieces random text is drawn from: scripts, whitespace kinds, digits, punctuation, contractions, emoji. */
    private static final String[] ATOMS = {
        "the", "The", "HELLO", "world", "x", "Q", "naïve", "Straße", "ſ", "İ", "Ωμέγα", "ΣΟΦΟΣ", "мир", "Ёлка",
        "中文", "東京", "ひらがな", "カタカナ", "한국어", "مرحبا", "नमस्ते", "ไทย", "Tiếng", "e\u0301", "\u0323",
        "'s", "'T", "'re", "'VE", "'m", "'ll", "'D", "n't", "’s",
        " ", " ", " ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u3000", "\u2028", "\u0085", "\u2003",
        "\u000b", "\u000c", "\u001c",
        "0", "7", "42", "123", "2024", "3.14", "1,000", "99999999", "٣", "७", "７", "½", "Ⅻ", "²",
        ".", ",", "!", "?", "...", "-", "--", "—", "(", ")", "[", "]", "{", "}", "<", ">", "/", "\\", "|", "#", "@",
        "$", "%", "^", "&", "*", "_", "=", "+", "~", "`", "\"", "'", ";", ":", "«", "»", "“", "”", "¿", "¡", "€", "©",
        "😀", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "❤️", "🇯🇵", "𝔘", "𠜎", "𓀀", "\u200b", "\u200d", "\ufeff", "\u0000", "\u007f",
        "ﬁ", "Ｆｕｌｌ", "㍿",
        "<", "|", "<|", "|>", "<s", "</", "<|im", "_end|>", "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<s>", "</s>",
        "<unk>", "<bos>", "<eos>", "<pad>", "<start_of_turn>", "<end_of_turn>", "<|begin_of_text|>", "<|eot_id|>",
        "<|start_header_id|>", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "[INST]", "[/INST]", "<think>", "▁",
    };

    /** A random string of up to {@code maxAtoms} pieces from {@link #ATOMS}, sometimes with a random BMP/astral code point. */
    static String randomText(java.util.SplittableRandom r, int maxAtoms) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxAtoms + 1);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(20);
            if (k == 0) sb.appendCodePoint(r.nextInt(0x20, 0x2FFF)); // long-assigned BMP blocks
            else if (k == 1) sb.append((char) r.nextInt('a', 'z' + 1));
            else sb.append(ATOMS[r.nextInt(ATOMS.length)]);
        }
        return sb.toString();
    }

    static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String gunzip(String name) {
        try (InputStream in = new GZIPInputStream(open(name), 1 << 16)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = HfFixtures.class.getResourceAsStream("/" + name);
        if (in == null) throw new IOException("missing test resource " + name);
        return in;
    }
}
