package dev.seedling.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.internal.HfTokenizerFiles;
import dev.seedling.tokenizer.internal.hf.AddedVocabulary;
import dev.seedling.tokenizer.internal.hf.BpeModel;
import dev.seedling.tokenizer.internal.hf.CharClasses;
import dev.seedling.tokenizer.internal.hf.Decoder;
import dev.seedling.tokenizer.internal.hf.Decoders;
import dev.seedling.tokenizer.internal.hf.Normalizer;
import dev.seedling.tokenizer.internal.hf.Normalizers;
import dev.seedling.tokenizer.internal.hf.PostProcessor;
import dev.seedling.tokenizer.internal.hf.PostProcessors;
import dev.seedling.tokenizer.internal.hf.PreTokenizer;
import dev.seedling.tokenizer.internal.hf.PreTokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} of the BPE family, run exactly as the Rust {@code tokenizers} library runs
 * it (checked id for id against it: {@code HfTokenizerDifferentialTest}, and against the JavaScript port:
 * {@code HfTokenizerGoldenTest}).
 *
 * <p>Encoding follows {@code Tokenizer::encode}: added tokens with {@code normalized: false} are cut out of the raw
 * text; each remaining segment is normalized and searched for the {@code normalized: true} added tokens; each
 * remaining segment is pre-tokenized into pieces; the BPE model encodes each piece; with special tokens requested,
 * the post-processor wraps the result. Components: see {@link Normalizers}, {@link PreTokenizers},
 * {@link BpeModel}, {@link AddedVocabulary}, {@link PostProcessors}, {@link Decoders}; any other component type is a
 * one-line {@link SeedlingException} {@code "<file>: unsupported <component> type '<X>'"}. The file's
 * {@code truncation} and {@code padding} settings are ignored (Seedling frames sequences itself).
 *
 * <p>Input text with unpaired surrogates (impossible in a Rust string) is encoded as if each were U+FFFD, which is
 * what converting it to UTF-8 does. Ids in {@link #decode} outside {@code [0, vocabSize())} are an error (HF skips
 * them silently); invalid UTF-8 decodes to U+FFFD as HF does.
 *
 * <p>Immutable and thread-safe; encoding memoizes pieces in a bounded concurrent cache.
 */
public final class HfTokenizer implements Tokenizer {
    /**
     * One entry of {@code added_tokens}.
     *
     * @param id         token id
     * @param content    token text
     * @param special    whether it is a special token (skipped by {@code decode(ids, true)})
     * @param singleWord matched only when not touching a word character on either side
     * @param lstrip     the match swallows the whitespace before it
     * @param rstrip     the match swallows the whitespace after it
     * @param normalized matched in normalized text (else in the raw input)
     */
    public record AddedToken(int id, String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
                             boolean normalized) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(HfTokenizer.class.getName());

    private final String name;
    private final String tokenizerJson;
    private final String tokenizerConfigJson; // null when not loaded
    private final BpeModel model;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final AddedVocabulary addedVocabulary;
    private final List<AddedToken> addedTokens;
    private final Map<String, Integer> addedIds = new HashMap<>(); // content -> id
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final int vocabSize;
    private final int bosId, eosId, padId;
    private final boolean addBosToken, addEosToken;
    private final int modelMaxLength;
    private final String chatTemplate;

    private HfTokenizer(String name, String tokenizerJson, JsonNode parsedOrNull, String configJson, String file, String configFile) {
        this.name = name;
        this.tokenizerJson = tokenizerJson;
        this.tokenizerConfigJson = configJson;
        JsonNode root = parsedOrNull != null ? parsedOrNull : parse(tokenizerJson, file);
        JsonNode modelNode = root.path("model");
        if (!root.isObject() || !modelNode.isObject()) {
            throw new SeedlingException(file + ": no \"model\" object; it is not a Hugging Face tokenizer.json");
        }
        String type = modelNode.has("type") ? modelNode.path("type").asText() : (modelNode.has("merges") ? "BPE" : "?");
        if (!type.equals("BPE")) throw new SeedlingException(file + ": unsupported model type '" + type + "'");
        model = BpeModel.fromJson(modelNode, file);
        normalizer = Normalizers.fromJson(root.path("normalizer"), file);
        preTokenizer = PreTokenizers.fromJson(root.path("pre_tokenizer"), file);
        decoder = Decoders.fromJson(root.path("decoder"), file);

        // added tokens get their ids as HF's AddedVocabulary::add_tokens gives them (the "id" in the file is ignored,
        // as HF ignores it): the vocab's id when the content is in the vocab, else the next id after the vocab
        JsonNode addedNode = root.path("added_tokens");
        if (!addedNode.isMissingNode() && !addedNode.isNull() && !addedNode.isArray()) {
            throw new SeedlingException(file + ": \"added_tokens\" is not an array");
        }
        List<AddedToken> fromFile = new ArrayList<>();
        Map<String, Integer> fileIds = new HashMap<>();
        for (JsonNode t : addedNode) {
            if (t.path("id").canConvertToInt()) fileIds.putIfAbsent(t.path("content").asText(), t.path("id").asInt());
            if (!t.path("content").isTextual()) throw new SeedlingException(file + ": added token " + HfTokenizerFiles.oneLine(t.toString()) + " needs a \"content\"");
            boolean special = bool(t, "special", false);
            fromFile.add(new AddedToken(-1, t.path("content").asText(), special, bool(t, "single_word", false),
                    bool(t, "lstrip", false), bool(t, "rstrip", false), bool(t, "normalized", !special)));
        }
        List<AddedToken> specials = new ArrayList<>(), others = new ArrayList<>();
        java.util.Set<String> specialSet = new java.util.HashSet<>();
        for (AddedToken t : fromFile) {
            if (t.special() && !t.content().isEmpty() && specialSet.add(t.content())) specials.add(t);
        }
        Map<Integer, AddedToken> byId = new LinkedHashMap<>();
        int vocabCount = model.vocab().size();
        for (AddedToken t : fromFile) {
            if (t.content().isEmpty() || byId.values().stream().anyMatch(o -> sameFlags(o, t))) continue;
            Integer id = addedIds.get(t.content());
            if (id == null) id = model.vocab().get(t.content());
            if (id == null) {
                int max = addedIds.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
                id = max < 0 ? vocabCount : (max >= vocabCount || vocabCount == 0 ? max + 1 : vocabCount);
            }
            Integer fileId = fileIds.get(t.content());
            if (fileId != null && fileId.intValue() != id) {
                LOG.log(System.Logger.Level.WARNING, "{0}: added token {1} has id {2} in the file but resolves to {3} (as in HF tokenizers)",
                        file, t.content(), fileId, id);
            }
            addedIds.put(t.content(), id);
            byId.put(id, new AddedToken(id, t.content(), t.special(), t.singleWord(), t.lstrip(), t.rstrip(), t.normalized()));
            if (!specialSet.contains(t.content())) others.add(t);
        }
        List<AddedVocabulary.Token> patterns = new ArrayList<>();
        for (List<AddedToken> group : List.of(specials, others)) {
            for (AddedToken t : group) {
                int id = addedIds.get(t.content());
                AddedToken flags = byId.get(id); // HF reads the flags back by id: the last token given that id
                patterns.add(new AddedVocabulary.Token(id, t.content(), flags.special(), flags.singleWord(), flags.lstrip(),
                        flags.rstrip(), t.normalized()));
            }
        }
        List<AddedToken> added = new ArrayList<>(byId.values());
        for (AddedToken a : added) addedById.put(a.id(), specialSet.contains(a.content()) == a.special() ? a
                : new AddedToken(a.id(), a.content(), specialSet.contains(a.content()), a.singleWord(), a.lstrip(), a.rstrip(), a.normalized()));
        addedTokens = addedById.values().stream().sorted(java.util.Comparator.comparingInt(AddedToken::id)).toList();
        addedVocabulary = new AddedVocabulary(patterns, normalizer);
        int size = model.size();
        for (AddedToken a : added) size = Math.max(size, a.id() + 1);
        vocabSize = size;
        postProcessor = PostProcessors.fromJson(root.path("post_processor"), file, this::idOrMinusOne);

        JsonNode cfg = configJson == null ? JSON.createObjectNode() : parse(configJson, configFile);
        bosId = specialId(cfg.path("bos_token"), configFile, "bos_token");
        eosId = specialId(cfg.path("eos_token"), configFile, "eos_token");
        padId = specialId(cfg.path("pad_token"), configFile, "pad_token");
        addBosToken = cfg.path("add_bos_token").asBoolean(false);
        addEosToken = cfg.path("add_eos_token").asBoolean(false);
        JsonNode mml = cfg.path("model_max_length");
        modelMaxLength = mml.isNumber() && mml.asDouble() >= 1 && mml.asDouble() < Integer.MAX_VALUE ? (int) mml.asDouble() : Integer.MAX_VALUE;
        chatTemplate = chatTemplate(cfg.path("chat_template"));
    }

    /** HF's AddedToken equality: every field but the id. */
    private static boolean sameFlags(AddedToken a, AddedToken b) {
        return a.content().equals(b.content()) && a.special() == b.special() && a.singleWord() == b.singleWord()
                && a.lstrip() == b.lstrip() && a.rstrip() == b.rstrip() && a.normalized() == b.normalized();
    }

    private static boolean bool(JsonNode n, String key, boolean dflt) {
        JsonNode v = n.path(key);
        return v.isBoolean() ? v.asBoolean() : dflt;
    }

    private static JsonNode parse(String json, String file) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new SeedlingException(file + " is not valid JSON" + where + " (" + HfTokenizerFiles.oneLine(e.getOriginalMessage())
                    + "); re-save or re-download it", e);
        }
    }

    private int idOrMinusOne(String token) {
        Integer id = addedIds.get(token);
        if (id == null) id = model.vocab().get(token);
        return id == null ? -1 : id;
    }

    /** A {@code tokenizer_config.json} token entry (a string or an {@code AddedToken} object) → id, or -1. */
    private int specialId(JsonNode n, String configFile, String key) {
        String content = n.isTextual() ? n.asText() : n.path("content").isTextual() ? n.path("content").asText() : null;
        if (content == null) return -1;
        int id = idOrMinusOne(content);
        if (id < 0) throw new SeedlingException(configFile + ": " + key + " " + HfTokenizerFiles.oneLine(content) + " is not a token of the tokenizer");
        return id;
    }

    private static String chatTemplate(JsonNode n) {
        if (n.isTextual()) return n.asText();
        if (n.isArray()) { // [{"name": "default", "template": "..."}, ...]
            for (JsonNode t : n) if (t.path("name").asText("").equals("default") && t.path("template").isTextual()) return t.path("template").asText();
            for (JsonNode t : n) if (t.path("template").isTextual()) return t.path("template").asText();
        }
        return null;
    }

    /**
     * Loads a model folder (its {@code tokenizer.json} and, when present, {@code tokenizer_config.json}) or a
     * {@code tokenizer.json} file (with the {@code tokenizer_config.json} beside it when present).
     */
    public static HfTokenizer load(Path fileOrModelDir) {
        Path file = Files.isDirectory(fileOrModelDir) ? fileOrModelDir.resolve(HfTokenizerFiles.TOKENIZER_JSON) : fileOrModelDir;
        return load(file, null);
    }

    /** {@link #load} of a {@code tokenizer.json} already parsed into {@code parsedOrNull} (when not null). */
    static HfTokenizer load(Path file, JsonNode parsedOrNull) {
        String json = read(file);
        Path dir = file.toAbsolutePath().getParent();
        Path cfg = dir.resolve(HfTokenizerFiles.TOKENIZER_CONFIG_JSON);
        String cfgJson = Files.isRegularFile(cfg) ? read(cfg) : null;
        String name = dir.getFileName() == null ? file.getFileName().toString() : dir.getFileName().toString();
        return new HfTokenizer(name, json, parsedOrNull, cfgJson, file.toString(), cfg.toString());
    }

    /**
     * Builds a tokenizer from the text of a {@code tokenizer.json} and, optionally, of a {@code tokenizer_config.json};
     * {@code nameForErrors} names the source in error messages and is the {@link #name()}.
     */
    public static HfTokenizer fromJson(String tokenizerJson, String tokenizerConfigJsonOrNull, String nameForErrors) {
        return new HfTokenizer(nameForErrors, tokenizerJson, null, tokenizerConfigJsonOrNull, nameForErrors,
                nameForErrors + " (tokenizer_config.json)");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SeedlingException(file + " does not exist; point to a model folder with tokenizer.json or to the file itself");
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + file + ": " + e.getMessage() + "; check the path and its permissions", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // encoding

    @Override
    public int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * The ids of {@code text}; with {@code addSpecialTokens} the post-processor adds its special tokens (e.g. BOS), as
     * HF {@code encode(text, add_special_tokens=True)}.
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        BpeModel.IntList out = new BpeModel.IntList();
        String input = CharClasses.replaceLoneSurrogates(text);
        addedVocabulary.splitRaw(input, (segment, id, start) -> {
            if (id >= 0) {
                out.add(id);
                return;
            }
            String normalized = normalizer == null ? segment : normalizer.normalize(segment);
            boolean atStart = start == 0;
            addedVocabulary.splitNormalized(normalized, (piece, id2, start2) -> {
                if (id2 >= 0) out.add(id2);
                else if (preTokenizer == null) model.tokenize(piece, out);
                else preTokenizer.split(piece, atStart && start2 == 0, (word, ignored) -> model.tokenize(word, out));
            });
        });
        int[] ids = out.toArray();
        return postProcessor == null ? ids : postProcessor.process(ids, addSpecialTokens);
    }

    /**
     * The ids of every text (no special tokens added), encoded in parallel on the {@link Parallel} pool; the result is
     * the same for any thread count.
     */
    public int[][] encodeAll(List<String> texts) {
        int[][] out = new int[texts.size()][];
        Parallel.forEach(texts.size(), (worker, task) -> out[task] = encode(texts.get(task)));
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // decoding

    @Override
    public String decode(int[] ids, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, ids.length);
        return decode(ids, from, to, false);
    }

    /** The text of {@code ids}; with {@code skipSpecialTokens} special tokens are left out, as HF's decode. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, 0, ids.length, skipSpecialTokens);
    }

    private String decode(int[] ids, int from, int to, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int id = ids[i];
            AddedToken a = addedById.get(id);
            if (a != null) {
                if (!(skipSpecialTokens && a.special())) tokens.add(a.content());
                continue;
            }
            String t = model.token(id);
            if (t == null) {
                throw new SeedlingException("token id " + id + " is outside the vocabulary of tokenizer " + name + " [0, " + vocabSize
                        + "); the ids come from a model or shards made with another tokenizer");
            }
            tokens.add(t);
        }
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // accessors

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /** Id of the BOS token named in {@code tokenizer_config.json}, or -1 when none is named (e.g. Qwen). */
    @Override
    public int bosId() {
        return bosId;
    }

    /** Id of the EOS token named in {@code tokenizer_config.json}, or -1 when none is named. */
    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int padId() {
        return padId;
    }

    /** {@code add_bos_token} of {@code tokenizer_config.json} (false when absent). */
    public boolean addBosToken() {
        return addBosToken;
    }

    /** {@code add_eos_token} of {@code tokenizer_config.json} (false when absent). */
    public boolean addEosToken() {
        return addEosToken;
    }

    /** {@code model_max_length} of {@code tokenizer_config.json}; {@link Integer#MAX_VALUE} when absent or huge. */
    public int modelMaxLength() {
        return modelMaxLength;
    }

    /** The {@code chat_template} of {@code tokenizer_config.json} (the "default" one when it lists several). */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    @Override
    public OptionalInt tokenId(String specialToken) {
        Integer id = addedIds.get(specialToken);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public String tokenText(int id) {
        AddedToken a = addedById.get(id);
        if (a != null) return a.content();
        String t = model.token(id);
        if (t == null) throw new SeedlingException("token id " + id + " is outside the vocabulary of tokenizer " + name + " [0, " + vocabSize + ")");
        return t;
    }

    /** The model type ({@code "BPE"}). */
    public String modelType() {
        return "BPE";
    }

    /** Token string by id, for ids {@code 0..vocabSize()-1} (model vocab and added tokens); error if an id has none. */
    public List<String> vocab() {
        String[] out = new String[vocabSize];
        for (int id = 0; id < model.size(); id++) out[id] = model.token(id);
        for (AddedToken a : addedTokens) out[a.id()] = a.content();
        for (int id = 0; id < out.length; id++) {
            if (out[id] == null) throw new SeedlingException("tokenizer " + name + " has no token with id " + id + " (its ids have holes)");
        }
        return List.of(out);
    }

    /** The merges in rank order, each {@code [left, right]}. */
    public List<String[]> merges() {
        return model.merges();
    }

    /** Whether {@code id} is an added token marked special. */
    public boolean isSpecial(int id) {
        AddedToken a = addedById.get(id);
        return a != null && a.special();
    }

    /** The {@code added_tokens} with the ids they resolve to (as HF resolves them), by id. */
    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    /** The original {@code tokenizer.json} text, unchanged. */
    public String tokenizerJson() {
        return tokenizerJson;
    }

    /** {@code tokenizer.json} as loaded, and {@code tokenizer_config.json} when one was loaded, both unchanged. */
    @Override
    public Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(HfTokenizerFiles.TOKENIZER_JSON, tokenizerJson);
        if (tokenizerConfigJson != null) files.put(HfTokenizerFiles.TOKENIZER_CONFIG_JSON, tokenizerConfigJson);
        return Collections.unmodifiableMap(files);
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + name + ", vocabSize=" + vocabSize + ", merges=" + model.merges().size() + ", added=" + addedTokens.size() + "]";
    }
}
