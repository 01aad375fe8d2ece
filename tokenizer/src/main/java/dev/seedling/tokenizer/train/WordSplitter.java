package dev.seedling.tokenizer.train;

import dev.seedling.tokenizer.internal.hf.PreTokenizer;
import dev.seedling.tokenizer.internal.hf.PreTokenizers;
import java.text.Normalizer;
import java.util.List;

/**
 * Cuts training text into the words BPE learns from, exactly as the written {@code tokenizer.json} cuts text when it
 * encodes: special tokens are taken out first (HF added tokens), the NFC normalizer runs when configured, then the
 * {@code Split} pre-tokenizer (behaviour Isolated: every match and every gap between matches is a word).
 *
 * <p>The Split step is the runtime's own ({@link PreTokenizers#fromJson}), built from the very JSON node that
 * {@link TrainedBpe} writes into {@code tokenizer.json} ({@link TrainedBpe#splitStep}), so training and encoding share
 * one pre-tokenizer. Thread-safe.
 */
final class WordSplitter {
    /** Receives one word: {@code text[start, end)}. */
    interface Sink {
        void word(String text, int start, int end);
    }

    private final PreTokenizer split;
    private final List<String> specials;
    private final boolean nfc;
    private final boolean specialWithLineFeed;
    private final boolean cutBeforeLineFeed;

    private WordSplitter(PreTokenizer split, List<String> specials, boolean nfc, boolean cutBeforeLineFeed) {
        this.cutBeforeLineFeed = cutBeforeLineFeed;
        this.split = split;
        this.specials = specials;
        this.nfc = nfc;
        this.specialWithLineFeed = specials.stream().anyMatch(t -> t.indexOf('\n') >= 0);
    }

    static WordSplitter of(BpeTrainerConfig config) {
        PreTokenizer split = PreTokenizers.fromJson(TrainedBpe.splitStep(config), "the trainer's Split pre-tokenizer");
        return new WordSplitter(split, config.specialTokens(), config.nfc(),
                config.preTokenizer() == BpeTrainerConfig.PreTokenizer.GPT2);
    }

    /** Sends the words of {@code text} to {@code sink}, in order. */
    void split(String text, Sink sink) {
        int from = 0;
        while (from < text.length()) {
            int at = text.length(), len = 0;
            for (String s : specials) {
                int k = text.indexOf(s, from);
                if (k >= 0 && (k < at || (k == at && s.length() > len))) {
                    at = k;
                    len = s.length();
                }
            }
            splitPlain(text.substring(from, at), sink);
            from = at + len;
        }
    }

    private void splitPlain(String text, Sink sink) {
        if (text.isEmpty()) return;
        if (nfc && !Normalizer.isNormalized(text, Normalizer.Form.NFC)) text = Normalizer.normalize(text, Normalizer.Form.NFC);
        split.split(text, true, (piece, atStart) -> sink.word(piece, 0, piece.length()));
    }

    /**
     * Cut points for parallel work: offsets where no word can straddle, at most about {@code target} chars apart.
     * Cuts are made at a line feed that is followed by a letter: no pattern has a match holding a line feed and then
     * a letter, and none looks behind. Llama 3 cuts after that line feed (a run of newlines ends a word there, with
     * or without punctuation before it); GPT-2 cuts before it ({@code \s+(?!\S)} leaves the last whitespace char
     * of a run before a letter as its own word, and the run before it ends the same way at the end of a part).
     * Returns {@code [0, c1, …, text.length()]}; no cuts when a special token holds a line feed.
     */
    int[] cuts(String text, int target) {
        int n = text.length();
        if (n <= target || specialWithLineFeed) return new int[] {0, n};
        int[] out = new int[n / target + 2];
        int k = 0;
        out[k++] = 0;
        int next = target;
        while (next < n) {
            int p = text.indexOf('\n', next);
            while (p >= 0 && p + 1 < n && !Character.isLetter(text.codePointAt(p + 1))) p = text.indexOf('\n', p + 1);
            if (p < 0 || p + 1 >= n) break;
            if (k + 1 >= out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
            int cut = cutBeforeLineFeed ? p : p + 1;
            if (cut > out[k - 1]) out[k++] = cut;
            next = p + 1 + target;
        }
        out[k++] = n;
        return java.util.Arrays.copyOf(out, k);
    }
}
