package dev.seedling.tokenizer;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.internal.ByteLevel;
import dev.seedling.tokenizer.internal.HfTokenizerFiles;
import dev.seedling.tokenizer.internal.Utf8;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The simplest tokenizer: one token per UTF-8 byte, plus four special tokens.
 *
 * <table>
 *   <caption>Ids</caption>
 *   <tr><td>0–255</td><td>the bytes of the UTF-8 text (id == byte value)</td></tr>
 *   <tr><td>256</td><td>{@code <|endoftext|>}: BOS and EOS</td></tr>
 *   <tr><td>257</td><td>{@code <|pad|>}</td></tr>
 *   <tr><td>258</td><td>{@code <|im_start|>}</td></tr>
 *   <tr><td>259</td><td>{@code <|im_end|>}</td></tr>
 * </table>
 *
 * <p>{@link #save} writes a real Hugging Face {@code tokenizer.json}: a BPE model with the GPT-2 byte-level alphabet as
 * vocab and no merges, ByteLevel pre-tokenizer (no prefix space, no regex split) and decoder, and the specials as
 * added tokens; HF {@code tokenizers} encodes and decodes with it exactly as this class does. Unpaired surrogates in
 * the input (which HF cannot represent) are encoded as U+FFFD. Immutable and thread-safe.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final String ENDOFTEXT = "<|endoftext|>";
    public static final String PAD = "<|pad|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    public static final int ENDOFTEXT_ID = 256;
    public static final int PAD_ID = 257;
    public static final int IM_START_ID = 258;
    public static final int IM_END_ID = 259;
    public static final int VOCAB_SIZE = 260;

    /** {@code model_max_length} written to {@code tokenizer_config.json} unless given. */
    public static final int DEFAULT_MODEL_MAX_LENGTH = 2048;

    /** Special token texts by {@code id - 256}. */
    private static final String[] SPECIALS = {ENDOFTEXT, PAD, IM_START, IM_END};

    private final int modelMaxLength;

    public ByteTokenizer() {
        this(DEFAULT_MODEL_MAX_LENGTH);
    }

    /** @param modelMaxLength the context length recorded as {@code model_max_length} when saved (≥ 1) */
    public ByteTokenizer(int modelMaxLength) {
        if (modelMaxLength < 1) throw new IllegalArgumentException("modelMaxLength must be >= 1, got " + modelMaxLength);
        this.modelMaxLength = modelMaxLength;
    }

    public int modelMaxLength() {
        return modelMaxLength;
    }

    @Override
    public String name() {
        return "seedling-byte";
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public int bosId() {
        return ENDOFTEXT_ID;
    }

    @Override
    public int eosId() {
        return ENDOFTEXT_ID;
    }

    @Override
    public int padId() {
        return PAD_ID;
    }

    @Override
    public OptionalInt tokenId(String specialToken) {
        for (int i = 0; i < SPECIALS.length; i++) {
            if (SPECIALS[i].equals(specialToken)) return OptionalInt.of(256 + i);
        }
        return OptionalInt.empty();
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[encodeInto(text, null)];
        encodeInto(text, out);
        return out;
    }

    /** Writes the ids of {@code text} into {@code out} (when not null); returns how many there are. */
    private static int encodeInto(String text, int[] out) {
        byte[] scratch = new byte[4];
        int n = 0, len = text.length();
        for (int i = 0; i < len; ) {
            char c = text.charAt(i);
            if (c < 0x80) {
                int special = c == '<' ? specialAt(text, i) : -1;
                if (special >= 0) {
                    if (out != null) out[n] = 256 + special;
                    n++;
                    i += SPECIALS[special].length();
                } else {
                    if (out != null) out[n] = c;
                    n++;
                    i++;
                }
                continue;
            }
            int chars = Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
            int k = Utf8.encode(text, i, i + chars, scratch, 0);
            if (out != null) {
                for (int j = 0; j < k; j++) out[n + j] = scratch[j] & 0xFF;
            }
            n += k;
            i += chars;
        }
        return n;
    }

    /** Index into {@link #SPECIALS} of the longest special token starting at {@code i}, or -1. */
    private static int specialAt(String text, int i) {
        int best = -1;
        for (int s = 0; s < SPECIALS.length; s++) {
            if (text.startsWith(SPECIALS[s], i) && (best < 0 || SPECIALS[s].length() > SPECIALS[best].length())) best = s;
        }
        return best;
    }

    @Override
    public String decode(int[] ids, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, ids.length);
        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            int id = ids[i];
            checkId(id);
            if (id < 256) {
                bytes = Utf8.grow(bytes, n + 1);
                bytes[n++] = (byte) id;
            } else {
                String s = SPECIALS[id - 256];
                bytes = Utf8.grow(bytes, n + s.length());
                n = Utf8.encode(s, 0, s.length(), bytes, n);
            }
        }
        return Utf8.decodeLossy(bytes, n);
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        if (id >= 256) return SPECIALS[id - 256];
        if (id >= 0x20 && id < 0x7F) return String.valueOf((char) id);
        return String.format("<0x%02X>", id);
    }

    private static void checkId(int id) {
        if (id < 0 || id >= VOCAB_SIZE) {
            throw new SeedlingException("token id " + id + " is outside the byte tokenizer's vocabulary [0, " + VOCAB_SIZE
                    + "); the ids come from a model or shards made with another tokenizer");
        }
    }

    @Override
    public Map<String, String> files() {
        List<String> vocab = new ArrayList<>(256);
        for (int b = 0; b < 256; b++) vocab.add(String.valueOf(ByteLevel.charOf(b)));
        List<HfTokenizerFiles.AddedToken> added = new ArrayList<>();
        for (int i = 0; i < SPECIALS.length; i++) added.add(new HfTokenizerFiles.AddedToken(256 + i, SPECIALS[i], true));
        return HfTokenizerFiles.render(new HfTokenizerFiles.ByteLevelBpe(
                vocab, List.of(), added, ENDOFTEXT, ENDOFTEXT, PAD, modelMaxLength));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteTokenizer t && t.modelMaxLength == modelMaxLength;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(modelMaxLength);
    }

    @Override
    public String toString() {
        return "ByteTokenizer[vocabSize=" + VOCAB_SIZE + ", modelMaxLength=" + modelMaxLength + "]";
    }
}
