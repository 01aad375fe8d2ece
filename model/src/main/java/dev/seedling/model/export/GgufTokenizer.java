package dev.seedling.model.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.model.format.internal.Json;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer as GGUF describes it ({@code tokenizer.ggml.*} and {@code tokenizer.chat_template}).
 *
 * @param model        {@code tokenizer.ggml.model}: {@code "gpt2"} for byte-level BPE
 * @param pre          {@code tokenizer.ggml.pre}: the pre-tokenizer llama.cpp applies ({@code "default"}, {@code "smollm"}, …)
 * @param tokens       every token's text, index = id, exactly vocab_size entries (unused ids as {@code [PAD<id>]})
 * @param tokenTypes   llama.cpp token types per id: 1 normal, 3 control (special), 4 user-defined, 5 unused
 * @param merges       BPE merges as {@code "left right"}, in rank order
 * @param bosId        BOS id or −1
 * @param eosId        EOS id or −1
 * @param padId        padding id or −1
 * @param addBos       whether encoding prepends BOS
 * @param chatTemplate the Jinja chat template, or null
 */
public record GgufTokenizer(String model, String pre, List<String> tokens, List<Integer> tokenTypes, List<String> merges,
                            int bosId, int eosId, int padId, boolean addBos, String chatTemplate) {
    public static final int NORMAL = 1, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5;

    public GgufTokenizer {
        tokens = List.copyOf(tokens);
        tokenTypes = List.copyOf(tokenTypes);
        merges = List.copyOf(merges);
        if (tokens.size() != tokenTypes.size()) throw new IllegalArgumentException("tokens and token types differ in length");
    }

    /**
     * Seedling's byte tokenizer ({@code dev.seedling.tokenizer.ByteTokenizer}: ids 0–255 the bytes, 256
     * {@code <|endoftext|>} (BOS, EOS), 257 {@code <|pad|>}, 258 {@code <|im_start|>}, 259 {@code <|im_end|>}) as a
     * byte-level BPE without merges, padded to {@code vocabSize} ids.
     */
    public static GgufTokenizer byteTokenizer(int vocabSize) {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        String[] alphabet = byteLevelAlphabet();
        for (int b = 0; b < 256; b++) {
            tokens.add(alphabet[b]);
            types.add(NORMAL);
        }
        for (String s : new String[] {"<|endoftext|>", "<|pad|>", "<|im_start|>", "<|im_end|>"}) {
            tokens.add(s);
            types.add(CONTROL);
        }
        pad(tokens, types, vocabSize, "byte tokenizer");
        return new GgufTokenizer("gpt2", "default", tokens, types, List.of(), 256, 256, 257, false, null);
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} (a byte-level BPE model) and, if present beside it,
     * {@code tokenizer_config.json} (chat template, BOS/EOS/PAD tokens, {@code add_bos_token}).
     *
     * @param pre the llama.cpp pre-tokenizer name; null detects it from the pre-tokenizer's split pattern
     *            ({@link #detectPre}), falling back to {@code "default"}
     */
    /** Split patterns of the pre-tokenizers llama.cpp knows, by its {@code tokenizer.ggml.pre} name. */
    private static final java.util.Map<String, String> KNOWN_PRE = java.util.Map.of(
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", "llama-bpe",
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", "qwen2",
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", "gpt-2");

    /**
     * llama.cpp's name for the pre-tokenizer of a {@code tokenizer.json}: {@code "gpt-2"} for GPT-2's own ByteLevel
     * splitting, else the name whose split pattern equals the file's single Split regex (Llama-3 → {@code llama-bpe},
     * Qwen2 → {@code qwen2}; Seedling's trained tokenizers use one of these); {@code "default"} when unknown, in which
     * case llama.cpp may split text differently (pass the name explicitly).
     */
    public static String detectPre(JsonNode root) {
        JsonNode p = root.path("pre_tokenizer");
        if ("ByteLevel".equals(p.path("type").asText()) && p.path("use_regex").asBoolean(true)) return "gpt-2";
        if (!"Sequence".equals(p.path("type").asText())) return "default";
        String regex = null;
        for (JsonNode c : p.path("pretokenizers")) {
            if (!"Split".equals(c.path("type").asText())) continue;
            if (regex != null) return "default";
            regex = c.path("pattern").path("Regex").asText(null);
        }
        return regex == null ? "default" : KNOWN_PRE.getOrDefault(regex, "default");
    }

    public static GgufTokenizer fromHf(Path tokenizerJson, int vocabSize, String pre) {
        JsonNode root = read(tokenizerJson);
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText()))
            throw new SeedlingException(tokenizerJson + ": tokenizer model type '" + model.path("type").asText()
                    + "' cannot be exported to GGUF yet (only byte-level BPE)");
        if (model.path("byte_fallback").asBoolean(false) || root.path("decoder").toString().contains("Metaspace")
                || root.path("pre_tokenizer").toString().contains("Metaspace"))
            throw new SeedlingException(tokenizerJson + ": only byte-level BPE tokenizers (GPT-2/Llama-3/Qwen style) can be"
                    + " exported to GGUF yet; this one (SentencePiece-style, e.g. Llama 2/Gemma) cannot");
        if (pre == null) pre = detectPre(root);
        String[] byId = new String[vocabSize];
        int[] type = new int[vocabSize];
        JsonNode vocab = model.path("vocab");
        var it = vocab.fields();
        while (it.hasNext()) {
            var e = it.next();
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= vocabSize)
                throw new SeedlingException(tokenizerJson + ": token '" + e.getKey() + "' has id " + id
                        + ", outside the model's vocab_size " + vocabSize);
            byId[id] = e.getKey();
            type[id] = NORMAL;
        }
        for (JsonNode a : root.path("added_tokens")) {
            int id = a.path("id").asInt(-1);
            if (id < 0 || id >= vocabSize)
                throw new SeedlingException(tokenizerJson + ": added token " + a.path("content") + " has id " + id
                        + ", outside the model's vocab_size " + vocabSize);
            byId[id] = a.path("content").asText();
            type[id] = a.path("special").asBoolean(false) ? CONTROL : USER_DEFINED;
        }
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int id = 0; id < vocabSize; id++) {
            tokens.add(byId[id] != null ? byId[id] : "[PAD" + id + "]");
            types.add(byId[id] != null ? type[id] : UNUSED);
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            if (m.isTextual()) merges.add(m.asText());
            else if (m.isArray() && m.size() == 2) merges.add(m.get(0).asText() + " " + m.get(1).asText());
            else throw new SeedlingException(tokenizerJson + ": a BPE merge is neither \"a b\" nor [\"a\", \"b\"]: " + m);
        }
        Path configFile = tokenizerJson.resolveSibling("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? read(configFile) : Json.MAPPER.createObjectNode();
        int bos = idOf(config.path("bos_token"), tokens), eos = idOf(config.path("eos_token"), tokens),
                padToken = idOf(config.path("pad_token"), tokens);
        boolean addBos = config.path("add_bos_token").asBoolean(false);
        String template = config.path("chat_template").isTextual() ? config.path("chat_template").asText() : null;
        return new GgufTokenizer("gpt2", pre, tokens, types, merges, bos, eos, padToken, addBos,
                template);
    }

    /** GPT-2's byte-level alphabet: byte b → the printable character HF's ByteLevel uses for it. */
    public static String[] byteLevelAlphabet() {
        String[] out = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
        }
        return out;
    }

    private static void pad(List<String> tokens, List<Integer> types, int vocabSize, String what) {
        if (tokens.size() > vocabSize)
            throw new SeedlingException("the " + what + " has " + tokens.size() + " tokens, more than the model's vocab_size "
                    + vocabSize);
        while (tokens.size() < vocabSize) {
            tokens.add("[PAD" + tokens.size() + "]");
            types.add(UNUSED);
        }
    }

    private static int idOf(JsonNode token, List<String> tokens) {
        String text = token.isTextual() ? token.asText() : token.path("content").isTextual() ? token.path("content").asText() : null;
        return text == null ? -1 : tokens.indexOf(text);
    }

    private static JsonNode read(Path file) {
        try {
            return Json.parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new SeedlingException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String toString() {
        return "GgufTokenizer[" + model + "/" + pre + ", " + tokens.size() + " tokens, " + merges.size() + " merges, bos "
                + bosId + ", eos " + eosId + "]";
    }
}
