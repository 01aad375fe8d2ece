package dev.seedling.tokenizer.internal;

import dev.seedling.tensor.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing the Hugging Face tokenizer files: {@code tokenizer.json} (the {@code tokenizers} library's
 * serialization) and {@code tokenizer_config.json} (what {@code transformers}' {@code AutoTokenizer} reads beside it).
 * Only the byte-level BPE family is written: ByteLevel pre-tokenizer and decoder, a BPE model whose vocab keys are
 * byte-level strings.
 */
public final class HfTokenizerFiles {
    private HfTokenizerFiles() {}

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A token matched before the model runs (HF {@code added_tokens}). */
    public record AddedToken(int id, String content, boolean special) {}

    /**
     * What a byte-level BPE tokenizer needs written.
     *
     * @param vocab         token strings (byte-level alphabet) by id, ids 0..vocab.size()-1
     * @param merges        merge pairs in priority order (each {@code [left, right]})
     * @param addedTokens   special tokens, ids after the vocab
     * @param bosToken      text of the BOS token (null for none); likewise EOS and PAD
     * @param modelMaxLength {@code model_max_length} for {@code transformers}
     *
     * <p>When the added tokens include {@code <|im_start|>} and {@code <|im_end|>}, {@code tokenizer_config.json} gets
     * Seedling's default ChatML {@code chat_template}, so every model Seedling writes carries its chat contract.
     */
    public record ByteLevelBpe(List<String> vocab, List<String[]> merges, List<AddedToken> addedTokens,
                               String bosToken, String eosToken, String padToken, int modelMaxLength) {}

    /** Writes the files of {@link #render} into {@code modelDir}, each atomically. */
    public static void write(Path modelDir, ByteLevelBpe spec) {
        for (Map.Entry<String, String> f : render(spec).entrySet())
            AtomicFiles.write(modelDir.resolve(f.getKey()), f.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The two files ({@code tokenizer.json}, {@code tokenizer_config.json}) as file name → content. */
    public static Map<String, String> render(ByteLevelBpe spec) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (AddedToken t : spec.addedTokens()) {
            ObjectNode a = added.addObject();
            a.put("id", t.id());
            a.put("content", t.content());
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", t.special());
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", false);
        root.putNull("post_processor");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", false);
        dec.put("trim_offsets", true);
        dec.put("use_regex", false);
        putByteLevelBpeModel(root, spec.vocab(), spec.merges());

        ObjectNode cfg = JSON.createObjectNode();
        ObjectNode decoder = cfg.putObject("added_tokens_decoder");
        for (AddedToken t : spec.addedTokens()) {
            ObjectNode a = decoder.putObject(Integer.toString(t.id()));
            a.put("content", t.content());
            a.put("lstrip", false);
            a.put("normalized", false);
            a.put("rstrip", false);
            a.put("single_word", false);
            a.put("special", t.special());
        }
        putToken(cfg, "bos_token", spec.bosToken());
        putToken(cfg, "eos_token", spec.eosToken());
        putToken(cfg, "pad_token", spec.padToken());
        cfg.putNull("unk_token");
        ArrayNode extra = cfg.putArray("additional_special_tokens");
        for (AddedToken t : spec.addedTokens()) {
            String c = t.content();
            if (t.special() && !c.equals(spec.bosToken()) && !c.equals(spec.eosToken()) && !c.equals(spec.padToken())) {
                extra.add(c);
            }
        }
        cfg.put("clean_up_tokenization_spaces", false);
        cfg.put("model_max_length", spec.modelMaxLength());
        cfg.put("tokenizer_class", "PreTrainedTokenizerFast");
        boolean chatml = spec.addedTokens().stream().anyMatch(t -> t.content().equals("<|im_start|>"))
                && spec.addedTokens().stream().anyMatch(t -> t.content().equals("<|im_end|>"));
        if (chatml) cfg.put("chat_template", dev.seedling.tokenizer.chat.ChatTemplate.SEEDLING_DEFAULT);

        Map<String, String> files = new LinkedHashMap<>();
        files.put(TOKENIZER_JSON, text(root));
        files.put(TOKENIZER_CONFIG_JSON, text(cfg));
        return files;
    }

    /**
     * Puts the {@code "model"} object of a byte-level BPE {@code tokenizer.json} into {@code root}: the vocab (token →
     * id, ids 0..n-1) and the merges as {@code [left, right]} pairs in priority order; no unknown token and no byte
     * fallback, since all 256 byte symbols are tokens.
     */
    public static void putByteLevelBpeModel(ObjectNode root, List<String> vocabById, Iterable<String[]> mergePairs) {
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < vocabById.size(); id++) vocab.put(vocabById.get(id), id);
        ArrayNode merges = model.putArray("merges");
        for (String[] m : mergePairs) merges.addArray().add(m[0]).add(m[1]);
    }

    private static void putToken(ObjectNode cfg, String key, String token) {
        if (token == null) cfg.putNull(key);
        else cfg.put(key, token);
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code file} as JSON; a missing, unreadable or malformed file is a {@link SeedlingException}. */
    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new SeedlingException(file + " does not exist; point to a model folder with tokenizer.json or to the file itself");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new SeedlingException(file + " is not valid JSON" + where + " (" + oneLine(e.getOriginalMessage())
                    + "); re-save or re-download it", e);
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + file + ": " + e + "; check the path and its permissions", e);
        }
    }

    /** {@code s} cut at its first line break (messages are one line). */
    public static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
