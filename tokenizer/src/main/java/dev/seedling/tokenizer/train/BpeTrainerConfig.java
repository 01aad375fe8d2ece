package dev.seedling.tokenizer.train;

import dev.seedling.tensor.SeedlingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * What {@link BpeTrainer#train} learns. Every default is in {@link #defaults()}; change one with a {@code with…}
 * method. The compact constructor validates, so a config that exists is usable.
 *
 * @param vocabSize        target vocabulary size, specials and the 256 byte tokens included (default 32000)
 * @param minFrequency     a pair seen fewer times than this is never merged; training stops there even when the
 *                         vocabulary is not full (default 2)
 * @param preTokenizer     how text is cut into words before BPE (default {@link PreTokenizer#LLAMA3})
 * @param individualDigits every digit is its own word, so numbers are never merged into multi-digit tokens
 *                         (default false: Llama-3 groups of 1–3 digits, GPT-2 runs of digits)
 * @param nfc              normalise text to Unicode NFC before anything else (written as the NFC normalizer of
 *                         {@code tokenizer.json}; default false)
 * @param specialTokens    special tokens, given ids {@code 0..k-1} in this order (default {@code <|endoftext|>},
 *                         {@code <|pad|>}, {@code <|im_start|>}, {@code <|im_end|>}); their text in the corpus is
 *                         not learned from, and encodes to the special id
 * @param bosToken         the BOS token, one of {@code specialTokens} (default {@code <|endoftext|>})
 * @param eosToken         the EOS token (document separator), one of {@code specialTokens} (default
 *                         {@code <|endoftext|>})
 * @param padToken         the padding token, one of {@code specialTokens}, or null for none (default {@code <|pad|>})
 * @param addBosToken      the written tokenizer adds BOS in front of every encoded text when HF's
 *                         {@code add_special_tokens} is on (a TemplateProcessing post-processor); default false, as
 *                         Seedling frames documents itself
 * @param maxTokenLength   longest token in bytes a merge may make, 0 for no limit (default 0)
 * @param maxTrainingBytes stop reading the corpus after this many UTF-8 bytes of text, 0 for all (default 0)
 * @param modelMaxLength   {@code model_max_length} written to {@code tokenizer_config.json} (default 2048)
 */
public record BpeTrainerConfig(int vocabSize, int minFrequency, PreTokenizer preTokenizer, boolean individualDigits,
                               boolean nfc, List<String> specialTokens, String bosToken, String eosToken,
                               String padToken, boolean addBosToken, int maxTokenLength, long maxTrainingBytes,
                               int modelMaxLength) {

    /** The regular expression that cuts text into words (HF {@code Split} pre-tokenizer, behaviour Isolated). */
    public enum PreTokenizer {
        /**
         * Llama 3 / GPT-4 ({@code cl100k}) style: contractions, letters with one leading non-letter, numbers in groups
         * of 1–3 digits, punctuation runs with trailing newlines, newline runs, other whitespace.
         */
        LLAMA3("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
        /** GPT-2 style: contractions, letters, digits and punctuation each with an optional leading space, whitespace. */
        GPT2("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

        private final String regex;

        PreTokenizer(String regex) {
            this.regex = regex;
        }

        /** The pattern as written into {@code tokenizer.json}, with digits split singly when asked. */
        public String regex(boolean individualDigits) {
            if (!individualDigits) return regex;
            return switch (this) {
                case LLAMA3 -> regex.replace("\\p{N}{1,3}", "\\p{N}");
                case GPT2 -> regex.replace(" ?\\p{N}+", " ?\\p{N}");
            };
        }

        /** Parses {@code llama3} / {@code gpt2} (any case); anything else is a {@link SeedlingException}. */
        public static PreTokenizer parse(String name) {
            for (PreTokenizer p : values()) if (p.name().equalsIgnoreCase(name)) return p;
            throw new SeedlingException("unknown pre-tokenizer '" + name + "': use llama3 or gpt2");
        }
    }

    public static final String ENDOFTEXT = "<|endoftext|>";
    public static final String PAD = "<|pad|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    public static final int DEFAULT_VOCAB_SIZE = 32000;
    public static final int DEFAULT_MIN_FREQUENCY = 2;
    public static final int DEFAULT_MODEL_MAX_LENGTH = 2048;

    public BpeTrainerConfig {
        if (preTokenizer == null) throw new SeedlingException("tokenizer training: the pre-tokenizer is missing; use llama3 or gpt2");
        if (specialTokens == null) specialTokens = List.of();
        specialTokens = List.copyOf(specialTokens);
        var seen = new HashSet<String>();
        for (String s : specialTokens) {
            if (s.isEmpty()) throw new SeedlingException("tokenizer training: a special token is empty");
            if (!seen.add(s)) throw new SeedlingException("tokenizer training: special token " + s + " is given twice");
        }
        int minVocab = specialTokens.size() + 256;
        if (vocabSize < minVocab) {
            throw new SeedlingException("tokenizer training: vocabulary size " + vocabSize + " is below " + minVocab
                    + " (the 256 byte tokens plus " + specialTokens.size() + " special tokens)");
        }
        if (minFrequency < 1) throw new SeedlingException("tokenizer training: min frequency " + minFrequency + " must be at least 1");
        if (maxTokenLength < 0) throw new SeedlingException("tokenizer training: max token length " + maxTokenLength + " must be >= 0 (0: no limit)");
        if (maxTrainingBytes < 0) throw new SeedlingException("tokenizer training: max training bytes " + maxTrainingBytes + " must be >= 0 (0: all)");
        if (modelMaxLength < 1) throw new SeedlingException("tokenizer training: model max length " + modelMaxLength + " must be at least 1");
        checkSpecial("BOS", bosToken, specialTokens, false);
        checkSpecial("EOS", eosToken, specialTokens, false);
        checkSpecial("PAD", padToken, specialTokens, true);
    }

    private static void checkSpecial(String role, String token, List<String> specials, boolean optional) {
        if (token == null && optional) return;
        if (token == null || !specials.contains(token)) {
            throw new SeedlingException("tokenizer training: the " + role + " token " + token + " is not among the special tokens "
                    + specials + "; add it with --special or pick one of them");
        }
    }

    /** Every default: 32000 tokens, min frequency 2, Llama-3 splitting, the four Seedling specials. */
    public static BpeTrainerConfig defaults() {
        return new BpeTrainerConfig(DEFAULT_VOCAB_SIZE, DEFAULT_MIN_FREQUENCY, PreTokenizer.LLAMA3, false, false,
                List.of(ENDOFTEXT, PAD, IM_START, IM_END), ENDOFTEXT, ENDOFTEXT, PAD, false, 0, 0,
                DEFAULT_MODEL_MAX_LENGTH);
    }

    public BpeTrainerConfig withVocabSize(int v) {
        return new BpeTrainerConfig(v, minFrequency, preTokenizer, individualDigits, nfc, specialTokens, bosToken, eosToken, padToken, addBosToken, maxTokenLength, maxTrainingBytes, modelMaxLength);
    }

    public BpeTrainerConfig withMinFrequency(int v) {
        return new BpeTrainerConfig(vocabSize, v, preTokenizer, individualDigits, nfc, specialTokens, bosToken, eosToken, padToken, addBosToken, maxTokenLength, maxTrainingBytes, modelMaxLength);
    }

    public BpeTrainerConfig withPreTokenizer(PreTokenizer v) {
        return new BpeTrainerConfig(vocabSize, minFrequency, v, individualDigits, nfc, specialTokens, bosToken, eosToken, padToken, addBosToken, maxTokenLength, maxTrainingBytes, modelMaxLength);
    }

    public BpeTrainerConfig withIndividualDigits(boolean v) {
        return new BpeTrainerConfig(vocabSize, minFrequency, preTokenizer, v, nfc, specialTokens, bosToken, eosToken, padToken, addBosToken, maxTokenLength, maxTrainingBytes, modelMaxLength);
    }

    public BpeTrainerConfig withNfc(boolean v) {
        return new BpeTrainerConfig(vocabSize, minFrequency, preTokenizer, individualDigits, v, specialTokens, bosToken, eosToken, padToken, addBosToken, maxTokenLength, maxTrainingBytes, modelMaxLength);
    }

    /**
     * The special tokens and their roles at once (they are validated together). {@code pad} may be null.
     */
    public BpeTrainerConfig withSpecialTokens(List<String> specials, String bos, String eos, String pad) {
        return new BpeTrainerConfig(vocabSize, minFrequency, preTokenizer, individualDigits, nfc, specials, bos, eos, pad, addBosToken, maxTokenLength, maxTrainingBytes, modelMaxLength);
    }

    /** Adds special tokens after the present ones (e.g. extra role markers); duplicates are an error. */
    public BpeTrainerConfig withExtraSpecialTokens(List<String> extra) {
        List<String> all = new ArrayList<>(specialTokens);
        all.addAll(extra);
        return withSpecialTokens(all, bosToken, eosToken, padToken);
    }

    public BpeTrainerConfig withAddBosToken(boolean v) {
        return new BpeTrainerConfig(vocabSize, minFrequency, preTokenizer, individualDigits, nfc, specialTokens, bosToken, eosToken, padToken, v, maxTokenLength, maxTrainingBytes, modelMaxLength);
    }

    public BpeTrainerConfig withMaxTokenLength(int v) {
        return new BpeTrainerConfig(vocabSize, minFrequency, preTokenizer, individualDigits, nfc, specialTokens, bosToken, eosToken, padToken, addBosToken, v, maxTrainingBytes, modelMaxLength);
    }

    public BpeTrainerConfig withMaxTrainingBytes(long v) {
        return new BpeTrainerConfig(vocabSize, minFrequency, preTokenizer, individualDigits, nfc, specialTokens, bosToken, eosToken, padToken, addBosToken, maxTokenLength, v, modelMaxLength);
    }

    public BpeTrainerConfig withModelMaxLength(int v) {
        return new BpeTrainerConfig(vocabSize, minFrequency, preTokenizer, individualDigits, nfc, specialTokens, bosToken, eosToken, padToken, addBosToken, maxTokenLength, maxTrainingBytes, v);
    }

    /** Number of merges wanted: the vocabulary beyond the specials and the 256 byte tokens. */
    int mergeBudget() {
        return vocabSize - specialTokens.size() - 256;
    }
}
