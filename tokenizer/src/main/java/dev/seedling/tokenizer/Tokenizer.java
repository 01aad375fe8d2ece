package dev.seedling.tokenizer;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Text to token ids and back.
 *
 * <p>{@link #encode} adds no special tokens (no BOS, no EOS); the caller frames documents and prompts itself. Like
 * Hugging Face {@code tokenizers}, the text of a special token (e.g. {@code <|im_end|>}) appearing in the input is
 * encoded as that special token's id, so a rendered chat template encodes to the ids a model expects.
 *
 * <p>{@link #decode} is lenient: byte sequences that are not valid UTF-8 (for instance a range of ids that cuts a
 * multi-byte character) decode to U+FFFD, and special tokens decode to their text, as HF's
 * {@code decode(ids, skip_special_tokens=False)} does.
 */
public interface Tokenizer {
    /** A short name for reports and shard indexes (e.g. {@code "seedling-byte"}). */
    String name();

    /** Number of token ids: every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** The ids of {@code text}, without any special tokens added. */
    int[] encode(String text);

    /** The text of {@code ids[from, to)}; malformed UTF-8 becomes U+FFFD. */
    String decode(int[] ids, int from, int to);

    /** The text of all {@code ids}. */
    default String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** Id of the beginning-of-sequence token. */
    int bosId();

    /** Id of the end-of-sequence token (also the document separator in token shards). */
    int eosId();

    /** Id of the padding token, or -1 when there is none. */
    int padId();

    /** The id of a special token given by its text (e.g. {@code "<|im_start|>"}), or empty when it is not one. */
    OptionalInt tokenId(String specialToken);

    /** A printable form of one token for display (not for decoding: use {@link #decode}). */
    String tokenText(int id);

    /**
     * The Hugging Face files of this tokenizer ({@code tokenizer.json}, {@code tokenizer_config.json}) as file name →
     * content, for a model directory that is written as a whole.
     */
    Map<String, String> files();

    /**
     * Writes {@link #files()} into {@code modelDir}, creating it when missing; each file is written atomically.
     */
    default void save(Path modelDir) {
        try {
            java.nio.file.Files.createDirectories(modelDir);
        } catch (java.io.IOException e) {
            throw new dev.seedling.tensor.SeedlingException("cannot create " + modelDir + ": " + e.getMessage());
        }
        for (Map.Entry<String, String> f : files().entrySet())
            dev.seedling.tensor.AtomicFiles.write(modelDir.resolve(f.getKey()),
                    f.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
