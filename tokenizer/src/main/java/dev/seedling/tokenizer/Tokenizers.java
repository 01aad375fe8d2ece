package dev.seedling.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.internal.ByteLevel;
import dev.seedling.tokenizer.internal.HfTokenizerFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Loading tokenizers from Hugging Face files. */
public final class Tokenizers {
    private Tokenizers() {}

    /**
     * Loads the tokenizer of a model folder (its {@code tokenizer.json}, and {@code tokenizer_config.json} beside it
     * when present) or of a {@code tokenizer.json} file.
     *
     * <p>Recognised today: the byte-level form {@link ByteTokenizer#save} writes (a BPE model whose vocab is exactly
     * the 256 byte-level characters with id == byte value, no merges, and the four Seedling specials), returned as a
     * {@link ByteTokenizer}. Any other tokenizer is a {@link SeedlingException} naming the file.
     */
    public static Tokenizer load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(HfTokenizerFiles.TOKENIZER_JSON) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new SeedlingException(file + " does not exist; point to a model folder with tokenizer.json or to the file itself");
        }
        JsonNode root = HfTokenizerFiles.readJson(file);
        JsonNode model = root.path("model");
        if (!root.isObject() || !model.isObject()) {
            throw new SeedlingException(file + " has no \"model\" object; it is not a Hugging Face tokenizer.json");
        }
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw new SeedlingException(file + " uses a " + type + " model; only byte-level BPE tokenizers load for now");
        }
        JsonNode vocab = model.path("vocab");
        JsonNode merges = model.path("merges");
        if (!vocab.isObject()) throw new SeedlingException(file + " has no model.vocab object; the file is damaged, re-save it");
        int mergeCount = merges.isArray() ? merges.size() : 0;
        if (mergeCount > 0 || !isByteAlphabet(vocab)) {
            throw new SeedlingException(file + " uses a BPE vocabulary of " + vocab.size() + " tokens with " + mergeCount
                    + " merges; learned vocabularies arrive with the tokenizer issue, only Seedling's byte-level tokenizer loads for now");
        }
        JsonNode normalizer = root.path("normalizer");
        if (!normalizer.isMissingNode() && !normalizer.isNull()) {
            throw new SeedlingException(file + " has a " + normalizer.path("type").asText("?")
                    + " normalizer; Seedling's byte-level tokenizer has none, so it would encode differently");
        }
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.path("type").asText("").equals("ByteLevel") || pre.path("add_prefix_space").asBoolean(false)) {
            throw new SeedlingException(file + " has pre_tokenizer " + HfTokenizerFiles.oneLine(pre.toString())
                    + "; Seedling's byte-level tokenizer needs ByteLevel with add_prefix_space false");
        }
        checkSpecials(file, root.path("added_tokens"));
        return new ByteTokenizer(modelMaxLength(file.toAbsolutePath().getParent().resolve(HfTokenizerFiles.TOKENIZER_CONFIG_JSON)));
    }

    /** True when {@code vocab} maps exactly the 256 byte-level characters, each to its byte value. */
    private static boolean isByteAlphabet(JsonNode vocab) {
        if (vocab.size() != 256) return false;
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            String key = e.getKey();
            if (key.length() != 1 || !e.getValue().canConvertToInt()) return false;
            int b = ByteLevel.byteOf(key.charAt(0));
            if (b < 0 || b != e.getValue().asInt()) return false;
        }
        return true;
    }

    private static void checkSpecials(Path file, JsonNode added) {
        Map<Integer, String> found = new TreeMap<>();
        if (added.isArray()) {
            for (JsonNode t : added) found.put(t.path("id").asInt(-1), t.path("content").asText(""));
        }
        Map<Integer, String> expected = new TreeMap<>(Map.of(
                ByteTokenizer.ENDOFTEXT_ID, ByteTokenizer.ENDOFTEXT, ByteTokenizer.PAD_ID, ByteTokenizer.PAD,
                ByteTokenizer.IM_START_ID, ByteTokenizer.IM_START, ByteTokenizer.IM_END_ID, ByteTokenizer.IM_END));
        if (!found.equals(expected)) {
            throw new SeedlingException(file + " has a byte-level vocabulary but added tokens " + found
                    + "; Seedling's byte-level tokenizer needs exactly " + expected);
        }
    }

    /** {@code model_max_length} from {@code tokenizer_config.json} when the file exists and has one; else the default. */
    private static int modelMaxLength(Path config) {
        if (!Files.isRegularFile(config)) return ByteTokenizer.DEFAULT_MODEL_MAX_LENGTH;
        JsonNode n = HfTokenizerFiles.readJson(config).path("model_max_length");
        if (!n.isNumber()) return ByteTokenizer.DEFAULT_MODEL_MAX_LENGTH;
        double v = n.asDouble();
        if (v < 1) throw new SeedlingException(config + " has model_max_length " + n + "; it must be at least 1");
        return v >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }
}
