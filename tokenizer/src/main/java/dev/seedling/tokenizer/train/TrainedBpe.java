package dev.seedling.tokenizer.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.chat.ChatTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained byte-level BPE vocabulary: what {@link BpeTrainer#train} returns, and the Hugging Face files it becomes.
 *
 * <p>Ids: the special tokens at {@code 0..k-1} (config order), the 256 byte tokens at {@code k..k+255} (id
 * {@code k + byte value}), then the learned tokens in the order they were made. Token strings are in the GPT-2
 * byte-level alphabet ({@code "Ġthe"} for the bytes of {@code " the"}), special tokens as written.
 *
 * <p>{@link #files()} renders a standard {@code tokenizer.json} — BPE model with vocab and merges; normalizer NFC or
 * none; pre-tokenizer {@code Sequence[Split(Regex, Isolated), ByteLevel(add_prefix_space=false, use_regex=false)]};
 * ByteLevel decoder; ByteLevel post-processor (plus a TemplateProcessing that adds BOS when configured); the
 * specials as added tokens with {@code special=true} — and a {@code tokenizer_config.json} for {@code transformers}
 * ({@code PreTrainedTokenizerFast}, BOS/EOS/PAD, {@code model_max_length}, {@code added_tokens_decoder}, and a ChatML
 * {@code chat_template} when {@code <|im_start|>} and {@code <|im_end|>} are specials). Immutable.
 *
 * @param config the settings it was trained with
 * @param vocab  token strings by id ({@code vocab.size()} is the vocabulary size)
 * @param merges merge rules in priority order
 * @param stats  what training saw and how long it took
 */
public record TrainedBpe(BpeTrainerConfig config, List<String> vocab, List<Merge> merges, Stats stats) {
    /** One merge rule: the tokens {@code left} and {@code right} (byte-level strings) become one. */
    public record Merge(String left, String right) {}

    /**
     * @param documents     documents read
     * @param bytes         UTF-8 bytes of text trained on
     * @param words         words (pre-tokenizer pieces) counted
     * @param distinctWords distinct words
     * @param countSeconds  wall time reading and counting words
     * @param mergeSeconds  wall time learning merges
     */
    public record Stats(long documents, long bytes, long words, int distinctWords, double countSeconds, double mergeSeconds) {}

    /** File name of the training record written beside the HF files by {@link #save}. */
    public static final String TRAINING_RECORD_JSON = "tokenizer_training.json";

    /** The chat template written when the specials include the ChatML markers: Seedling's one default. */
    static final String CHATML_TEMPLATE = ChatTemplate.SEEDLING_DEFAULT;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public TrainedBpe {
        vocab = List.copyOf(vocab);
        merges = List.copyOf(merges);
    }

    public int vocabSize() {
        return vocab.size();
    }

    /** Id of a special token (config order), or -1. */
    public int specialId(String token) {
        return token == null ? -1 : config.specialTokens().indexOf(token);
    }

    /** {@code tokenizer.json} and {@code tokenizer_config.json} as file name → content. */
    public Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tokenizer.json", text(tokenizerJson()));
        files.put("tokenizer_config.json", text(tokenizerConfigJson()));
        return files;
    }

    /**
     * Writes {@link #files()} and {@value #TRAINING_RECORD_JSON} (the resolved settings and statistics) into
     * {@code dir}, creating it when missing; each file is written atomically, so an existing tokenizer stays intact
     * if writing fails.
     */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SeedlingException("cannot create tokenizer folder " + dir + ": " + e.getMessage());
        }
        Map<String, String> files = new LinkedHashMap<>(files());
        files.put(TRAINING_RECORD_JSON, text(trainingRecord()));
        for (Map.Entry<String, String> f : files.entrySet())
            AtomicFiles.write(dir.resolve(f.getKey()), f.getValue().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode tokenizerJson() {
        List<String> specials = config.specialTokens();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < specials.size(); id++) {
            ObjectNode a = added.addObject();
            a.put("id", id);
            a.put("content", specials.get(id));
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
        }
        if (config.nfc()) root.putObject("normalizer").put("type", "NFC");
        else root.putNull("normalizer");

        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        steps.add(splitStep(config));
        steps.add(byteLevel());

        ObjectNode byteLevelPost = byteLevel();
        if (config.addBosToken()) {
            ObjectNode post = root.putObject("post_processor");
            post.put("type", "Sequence");
            ArrayNode procs = post.putArray("processors");
            procs.add(byteLevelPost);
            procs.add(bosTemplate());
        } else {
            root.set("post_processor", byteLevelPost);
        }
        root.set("decoder", byteLevel());

        dev.seedling.tokenizer.internal.HfTokenizerFiles.putByteLevelBpeModel(root, vocab,
                merges.stream().map(merge -> new String[] {merge.left(), merge.right()}).toList());
        return root;
    }

    /** The {@code Split} step of the pre-tokenizer: the config's regex, behaviour Isolated (the trainer splits with it too). */
    static ObjectNode splitStep(BpeTrainerConfig config) {
        ObjectNode split = JSON.createObjectNode();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", config.preTokenizer().regex(config.individualDigits()));
        split.put("behavior", "Isolated");
        split.put("invert", false);
        return split;
    }

    private static ObjectNode byteLevel() {
        ObjectNode b = JSON.createObjectNode();
        b.put("type", "ByteLevel");
        b.put("add_prefix_space", false);
        b.put("trim_offsets", false);
        b.put("use_regex", false);
        return b;
    }

    /** TemplateProcessing: {@code BOS $A} for one sequence, {@code BOS $A BOS $B} for a pair (as Llama 3). */
    private ObjectNode bosTemplate() {
        String bos = config.bosToken();
        ObjectNode t = JSON.createObjectNode();
        t.put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = t.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = t.putObject("special_tokens").putObject(bos);
        st.put("id", bos);
        st.putArray("ids").add(specialId(bos));
        st.putArray("tokens").add(bos);
        return t;
    }

    private ObjectNode tokenizerConfigJson() {
        List<String> specials = config.specialTokens();
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("add_bos_token", config.addBosToken());
        cfg.put("add_eos_token", false);
        ObjectNode decoder = cfg.putObject("added_tokens_decoder");
        for (int id = 0; id < specials.size(); id++) {
            ObjectNode a = decoder.putObject(Integer.toString(id));
            a.put("content", specials.get(id));
            a.put("lstrip", false);
            a.put("normalized", false);
            a.put("rstrip", false);
            a.put("single_word", false);
            a.put("special", true);
        }
        cfg.put("bos_token", config.bosToken());
        cfg.put("eos_token", config.eosToken());
        if (config.padToken() == null) cfg.putNull("pad_token");
        else cfg.put("pad_token", config.padToken());
        cfg.putNull("unk_token");
        ArrayNode extra = cfg.putArray("additional_special_tokens");
        for (String s : specials) {
            if (!s.equals(config.bosToken()) && !s.equals(config.eosToken()) && !s.equals(config.padToken())) extra.add(s);
        }
        if (specials.contains(BpeTrainerConfig.IM_START) && specials.contains(BpeTrainerConfig.IM_END)) {
            cfg.put("chat_template", CHATML_TEMPLATE);
        }
        cfg.put("clean_up_tokenization_spaces", false);
        cfg.put("model_max_length", config.modelMaxLength());
        cfg.put("tokenizer_class", "PreTrainedTokenizerFast");
        return cfg;
    }

    private ObjectNode trainingRecord() {
        ObjectNode r = JSON.createObjectNode();
        r.put("trainer", "seedling byte-level BPE");
        r.set("config", JSON.valueToTree(config));
        r.set("stats", JSON.valueToTree(stats));
        r.put("vocab_size", vocab.size());
        r.put("merges", merges.size());
        return r;
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
