package dev.seedling.tokenizer.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.ByteTokenizer;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The one contract between training, serving and export: the chat template, the BOS id, and the stop tokens that
 * end a reply. Training renders with it (and masks with {@link #renderWithSpans}); serving renders prompts with it
 * and stops on {@link #stopIds}; saving a model writes {@link #generationConfigJson} next to the weights so that
 * transformers, llama.cpp and Seedling all stop on the same tokens.
 *
 * @param template   the compiled chat template (with its special tokens)
 * @param bosId      id of the BOS token, or -1 when the tokenizer has none
 * @param padId      id of the padding token, or -1 when none
 * @param stopIds    ids that end a reply, in order (the first is the primary EOS); never empty
 * @param stopTokens the texts of {@code stopIds}, same order
 */
public record ChatFormat(ChatTemplate template, int bosId, int padId, List<Integer> stopIds, List<String> stopTokens) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ChatFormat {
        stopIds = List.copyOf(stopIds);
        stopTokens = List.copyOf(stopTokens);
        if (stopIds.isEmpty()) throw new SeedlingException("chat format: no stop tokens");
        if (stopIds.size() != stopTokens.size()) throw new IllegalArgumentException("stopIds and stopTokens differ in length");
    }

    /**
     * A format from a template and a tokenizer: stop tokens are {@code extraStops} (texts of special tokens, e.g. an
     * end-of-turn marker) followed by the tokenizer's EOS, without repeats.
     */
    public static ChatFormat of(ChatTemplate template, Tokenizer tokenizer, List<String> extraStops) {
        List<Integer> ids = new ArrayList<>();
        for (String s : extraStops) {
            OptionalInt id = tokenizer.tokenId(s);
            if (id.isEmpty())
                throw new SeedlingException("chat format: stop token " + s + " is not a special token of tokenizer " + tokenizer.name());
            if (!ids.contains(id.getAsInt())) ids.add(id.getAsInt());
        }
        if (!ids.contains(tokenizer.eosId())) ids.add(tokenizer.eosId());
        return new ChatFormat(template, tokenizer.bosId(), tokenizer.padId(), ids, texts(tokenizer, ids));
    }

    /**
     * Seedling's own format: {@link ChatTemplate#SEEDLING_DEFAULT}, stop on {@code <|im_end|>} then EOS. The
     * tokenizer must have {@code <|im_start|>} and {@code <|im_end|>} as special tokens (Seedling's do).
     */
    public static ChatFormat seedlingDefault(Tokenizer tokenizer) {
        if (tokenizer.tokenId(ByteTokenizer.IM_START).isEmpty() || tokenizer.tokenId(ByteTokenizer.IM_END).isEmpty())
            throw new SeedlingException("tokenizer " + tokenizer.name() + " has no " + ByteTokenizer.IM_START + "/"
                    + ByteTokenizer.IM_END + " special tokens, which Seedling's default chat template needs");
        Map<String, String> specials = new HashMap<>();
        specials.put("bos_token", tokenizer.decode(new int[] {tokenizer.bosId()}));
        specials.put("eos_token", tokenizer.decode(new int[] {tokenizer.eosId()}));
        if (tokenizer.padId() >= 0) specials.put("pad_token", tokenizer.decode(new int[] {tokenizer.padId()}));
        return of(ChatTemplate.seedlingDefault(specials), tokenizer, List.of(ChatTemplate.SEEDLING_END_OF_TURN));
    }

    /**
     * Reads the format of a Hugging Face model directory. The template comes from {@code chat_template.jinja}, else
     * {@code chat_template.json}, else the {@code chat_template} of {@code tokenizer_config.json} (a string or the list
     * of named templates); the special-token variables from {@code tokenizer_config.json}. Stop ids are the
     * {@code eos_token_id} of {@code generation_config.json} (an int or a list) followed by the tokenizer's EOS;
     * {@code bos_token_id}/{@code pad_token_id} there override the tokenizer's.
     *
     * @throws SeedlingException when the directory has no chat template, or a file is malformed
     */
    public static ChatFormat load(Path modelDir, Tokenizer tokenizer) {
        Path cfgPath = modelDir.resolve("tokenizer_config.json");
        JsonNode cfg = Files.exists(cfgPath) ? readJson(cfgPath) : JSON.createObjectNode();
        Map<String, String> specials = new HashMap<>();
        for (String key : List.of("bos_token", "eos_token", "pad_token", "unk_token", "sep_token", "cls_token", "mask_token")) {
            JsonNode v = cfg.get(key);
            if (v == null || v.isNull()) continue;
            if (v.isTextual()) specials.put(key, v.asText());
            else if (v.isObject() && v.path("content").isTextual()) specials.put(key, v.path("content").asText());
            else throw new SeedlingException(cfgPath + ": '" + key + "' must be a string or an object with 'content'");
        }
        ChatTemplate template;
        Path jinja = modelDir.resolve("chat_template.jinja"), json = modelDir.resolve("chat_template.json");
        if (Files.exists(jinja)) {
            try {
                template = ChatTemplate.compile(Files.readString(jinja), jinja.toString(), specials);
            } catch (IOException e) {
                throw new SeedlingException("cannot read " + jinja + ": " + e.getMessage());
            }
        } else if (Files.exists(json)) {
            template = fromField(readJson(json).get("chat_template"), json, specials);
        } else {
            template = fromField(cfg.get("chat_template"), cfgPath, specials);
        }
        int bos = tokenizer.bosId(), pad = tokenizer.padId();
        List<Integer> ids = new ArrayList<>();
        Path genPath = modelDir.resolve("generation_config.json");
        if (Files.exists(genPath)) {
            JsonNode gen = readJson(genPath);
            JsonNode eos = gen.get("eos_token_id");
            if (eos != null && eos.isInt()) ids.add(eos.asInt());
            else if (eos != null && eos.isArray()) {
                for (JsonNode e : eos) {
                    if (!e.isInt()) throw new SeedlingException(genPath + ": 'eos_token_id' must be an int or a list of ints");
                    if (!ids.contains(e.asInt())) ids.add(e.asInt());
                }
            } else if (eos != null && !eos.isNull()) throw new SeedlingException(genPath + ": 'eos_token_id' must be an int or a list of ints");
            if (gen.path("bos_token_id").isInt()) bos = gen.get("bos_token_id").asInt();
            if (gen.path("pad_token_id").isInt()) pad = gen.get("pad_token_id").asInt();
        }
        if (!ids.contains(tokenizer.eosId())) ids.add(tokenizer.eosId());
        for (int id : ids)
            if (id < 0 || id >= tokenizer.vocabSize())
                throw new SeedlingException(genPath + ": stop token id " + id + " is outside the tokenizer's vocabulary of " + tokenizer.vocabSize());
        return new ChatFormat(template, bos, pad, ids, texts(tokenizer, ids));
    }

    private static ChatTemplate fromField(JsonNode field, Path file, Map<String, String> specials) {
        if (field == null || field.isNull())
            throw new SeedlingException(file.getParent() + " has no chat template (no chat_template.jinja, chat_template.json or"
                    + " 'chat_template' in tokenizer_config.json); use the Seedling default or give a template");
        if (field.isTextual()) return ChatTemplate.compile(field.asText(), file.toString(), specials);
        if (field.isArray()) {
            Map<String, String> named = new LinkedHashMap<>();
            for (JsonNode t : field) {
                if (!t.path("name").isTextual() || !t.path("template").isTextual())
                    throw new SeedlingException(file + ": each entry of 'chat_template' needs a string 'name' and 'template'");
                named.put(t.get("name").asText(), t.get("template").asText());
            }
            return ChatTemplate.compileNamed(named, file.toString(), specials);
        }
        throw new SeedlingException(file + ": 'chat_template' must be a string or a list of {name, template}");
    }

    private static JsonNode readJson(Path p) {
        try {
            JsonNode n = JSON.readTree(Files.readString(p));
            if (n == null || !n.isObject()) throw new SeedlingException(p + ": expected a JSON object");
            return n;
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + p + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static List<String> texts(Tokenizer tokenizer, List<Integer> ids) {
        List<String> out = new ArrayList<>(ids.size());
        for (int id : ids) out.add(tokenizer.decode(new int[] {id}));
        return out;
    }

    /** Whether {@code id} ends a reply. */
    public boolean isStop(int id) {
        return stopIds.contains(id);
    }

    public String render(List<ChatMessage> messages, RenderOptions opts) {
        return template.render(messages, opts);
    }

    public RenderedChat renderWithSpans(List<ChatMessage> messages, RenderOptions opts) {
        return template.renderWithSpans(messages, opts);
    }

    /**
     * The {@code generation_config.json} of this format: {@code bos_token_id} (when there is one),
     * {@code eos_token_id} (an int for one stop token, a list for several), {@code pad_token_id} (when there is
     * one); keys sorted, two-space indent, as transformers writes it. The caller writes the file (atomically).
     */
    public String generationConfigJson() {
        StringBuilder sb = new StringBuilder("{\n");
        List<String> lines = new ArrayList<>();
        if (bosId >= 0) lines.add("  \"bos_token_id\": " + bosId);
        if (stopIds.size() == 1) lines.add("  \"eos_token_id\": " + stopIds.getFirst());
        else {
            StringBuilder l = new StringBuilder("  \"eos_token_id\": [\n");
            for (int i = 0; i < stopIds.size(); i++) l.append("    ").append(stopIds.get(i)).append(i + 1 < stopIds.size() ? ",\n" : "\n");
            lines.add(l.append("  ]").toString());
        }
        if (padId >= 0) lines.add("  \"pad_token_id\": " + padId);
        sb.append(String.join(",\n", lines)).append("\n}\n");
        return sb.toString();
    }
}
