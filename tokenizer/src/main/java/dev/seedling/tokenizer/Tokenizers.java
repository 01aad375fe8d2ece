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
     * <p>The byte-level form {@link ByteTokenizer#save} writes (a BPE model whose vocab is exactly the 256 byte-level
     * characters with id == byte value, no merges, no normalizer, ByteLevel pre-tokenizer without prefix space, and
     * the four Seedling specials) comes back as a {@link ByteTokenizer}, which encodes it without a vocabulary lookup;
     * every other BPE tokenizer as an {@link HfTokenizer}. Other model types and unsupported components are a
     * {@link SeedlingException} naming the file.
     */
    public static Tokenizer load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(HfTokenizerFiles.TOKENIZER_JSON) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new SeedlingException(file + " does not exist; point to a model folder with tokenizer.json or to the file itself");
        }
        JsonNode root = HfTokenizerFiles.readJson(file);
        if (isByteTokenizerForm(root)) {
            return new ByteTokenizer(modelMaxLength(file.toAbsolutePath().getParent().resolve(HfTokenizerFiles.TOKENIZER_CONFIG_JSON)));
        }
        return HfTokenizer.load(file, root);
    }

    /** True when {@code root} is exactly what {@link ByteTokenizer#save} writes (up to formatting). */
    private static boolean isByteTokenizerForm(JsonNode root) {
        JsonNode model = root.path("model");
        if (!root.isObject() || !model.isObject() || !model.path("type").asText("BPE").equals("BPE")) return false;
        JsonNode merges = model.path("merges");
        if (!model.path("vocab").isObject() || (merges.isArray() && !merges.isEmpty()) || !isByteAlphabet(model.path("vocab"))) return false;
        if (!isNull(root.path("normalizer"))) return false;
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.path("type").asText("").equals("ByteLevel") || pre.path("add_prefix_space").asBoolean(true)) return false;
        JsonNode post = root.path("post_processor");
        if (!isNull(post) && !post.path("type").asText("").equals("ByteLevel")) return false;
        JsonNode dec = root.path("decoder");
        if (!dec.path("type").asText("").equals("ByteLevel")) return false;
        if (model.path("byte_fallback").asBoolean(false) || !isNull(model.path("continuing_subword_prefix"))
                && !model.path("continuing_subword_prefix").asText().isEmpty()
                || !isNull(model.path("end_of_word_suffix")) && !model.path("end_of_word_suffix").asText().isEmpty()) {
            return false;
        }
        return hasSeedlingSpecials(root.path("added_tokens"));
    }

    private static boolean isNull(JsonNode n) {
        return n.isMissingNode() || n.isNull();
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

    /** True when the added tokens are exactly the four Seedling specials, plain (no strip, no single-word, not normalized). */
    private static boolean hasSeedlingSpecials(JsonNode added) {
        Map<Integer, String> found = new TreeMap<>();
        if (!added.isArray()) return false;
        for (JsonNode t : added) {
            if (t.path("single_word").asBoolean(false) || t.path("lstrip").asBoolean(false) || t.path("rstrip").asBoolean(false)
                    || t.path("normalized").asBoolean(false) || !t.path("special").asBoolean(false)) {
                return false;
            }
            found.put(t.path("id").asInt(-1), t.path("content").asText(""));
        }
        Map<Integer, String> expected = new TreeMap<>(Map.of(
                ByteTokenizer.ENDOFTEXT_ID, ByteTokenizer.ENDOFTEXT, ByteTokenizer.PAD_ID, ByteTokenizer.PAD,
                ByteTokenizer.IM_START_ID, ByteTokenizer.IM_START, ByteTokenizer.IM_END_ID, ByteTokenizer.IM_END));
        return found.equals(expected);
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
