package dev.seedling.tokenizer.train;

import dev.seedling.tensor.Parallel;
import dev.seedling.tokenizer.internal.ByteLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Trains a byte-level BPE vocabulary on a corpus: the tokenizer stage of the pipeline.
 *
 * <p>The steps, as HF {@code tokenizers}' {@code BpeTrainer} with a ByteLevel alphabet does them:
 * <ol>
 *   <li>each document is cut into words by the configured pre-tokenizer (special tokens taken out, optional NFC,
 *       the Split regex), in parallel on the {@link Parallel} pool, and the words are counted;</li>
 *   <li>the words become UTF-8 byte strings; the alphabet is all 256 bytes, so no input is ever unknown (the byte
 *       fallback of byte-level BPE);</li>
 *   <li>merges are learned most-frequent pair first (ties: smaller ids first) until the vocabulary is full or the best
 *       pair is rarer than {@code minFrequency}.</li>
 * </ol>
 * The result depends only on the corpus and the config, not on the thread count: the words are sorted by bytes
 * before any id is given out.
 *
 * <p>{@snippet :
 * TrainedBpe bpe = BpeTrainer.train(texts.iterator(), BpeTrainerConfig.defaults().withVocabSize(8000), null);
 * bpe.save(Path.of("runs/tok"));   // tokenizer.json + tokenizer_config.json, loadable by HF tokenizers
 * }
 */
public final class BpeTrainer {
    private BpeTrainer() {}

    /** Progress of a training run; both methods are called on the caller's thread. */
    public interface Listener {
        /** After each batch of documents: documents and UTF-8 bytes counted so far. */
        default void counted(long documents, long bytes) {}

        /** After each merge: tokens in the vocabulary so far (specials included) out of {@code target}. */
        default void merged(int tokens, int target) {}
    }

    /** Characters of text cut into words per parallel call. */
    private static final int BATCH_CHARS = 8 << 20;
    /** Target characters of one parallel task (documents longer than this are cut where no word straddles). */
    private static final int TASK_CHARS = 64 << 10;

    /**
     * Trains on {@code documents} (one string per document, read once, in order) until the corpus ends or
     * {@code config.maxTrainingBytes()} UTF-8 bytes were read (the last document is then cut).
     *
     * @param listener progress callbacks, or null
     */
    public static TrainedBpe train(Iterator<String> documents, BpeTrainerConfig config, Listener listener) {
        Listener l = listener != null ? listener : new Listener() {};
        long t0 = System.nanoTime();
        WordSplitter splitter = WordSplitter.of(config);
        int threads = Parallel.threads();
        WordCounts[] counts = new WordCounts[threads];
        long[] wordsPerWorker = new long[threads];
        for (int i = 0; i < threads; i++) counts[i] = new WordCounts();

        long limit = config.maxTrainingBytes() > 0 ? config.maxTrainingBytes() : Long.MAX_VALUE;
        long docs = 0, bytes = 0;
        List<String> batch = new ArrayList<>();
        long batchChars = 0;
        while (documents.hasNext() && bytes < limit) {
            String doc = documents.next();
            if (doc == null || doc.isEmpty()) continue;
            long n = utf8Length(doc);
            if (bytes + n > limit) {
                doc = utf8Prefix(doc, limit - bytes);
                n = utf8Length(doc);
            }
            bytes += n;
            docs++;
            batch.add(doc);
            batchChars += doc.length();
            if (batchChars >= BATCH_CHARS) {
                countBatch(batch, splitter, counts, wordsPerWorker);
                batch.clear();
                batchChars = 0;
                l.counted(docs, bytes);
            }
        }
        countBatch(batch, splitter, counts, wordsPerWorker);
        l.counted(docs, bytes);
        for (int i = 1; i < threads; i++) {
            counts[0].addAll(counts[i]);
            counts[i] = null;
        }
        long words = 0;
        for (long w : wordsPerWorker) words += w;
        WordCounts.Sorted sorted = counts[0].sortedUtf8();
        counts[0] = null;
        long t1 = System.nanoTime();

        List<String> specials = config.specialTokens();
        int k = specials.size();
        Set<String> forbidden = new HashSet<>();
        for (String s : specials) {
            byte[] b = byteLevelBytes(s);
            if (b != null) forbidden.add(new String(b, StandardCharsets.ISO_8859_1));
        }
        MergeLearner learner = new MergeLearner(sorted.words(), sorted.counts());
        int distinct = sorted.words().length;
        sorted = null;
        MergeLearner.Learned learned = learner.learn(config.vocabSize() - k, config.minFrequency(),
                config.maxTokenLength(), forbidden, (tokens, target) -> l.merged(tokens + k, target + k));
        long t2 = System.nanoTime();

        List<String> vocab = new ArrayList<>(k + learned.tokens().length);
        vocab.addAll(specials);
        for (byte[] t : learned.tokens()) vocab.add(byteLevel(t));
        List<TrainedBpe.Merge> merges = new ArrayList<>(learned.mergeLeft().length);
        for (int i = 0; i < learned.mergeLeft().length; i++) {
            merges.add(new TrainedBpe.Merge(byteLevel(learned.tokens()[learned.mergeLeft()[i]]),
                    byteLevel(learned.tokens()[learned.mergeRight()[i]])));
        }
        return new TrainedBpe(config, vocab, merges,
                new TrainedBpe.Stats(docs, bytes, words, distinct, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
    }

    /** Cuts the batch into tasks and counts their words on the pool, each worker into its own table. */
    private static void countBatch(List<String> batch, WordSplitter splitter, WordCounts[] counts, long[] wordsPerWorker) {
        if (batch.isEmpty()) return;
        List<String> parts = new ArrayList<>();
        for (String doc : batch) {
            int[] cuts = splitter.cuts(doc, TASK_CHARS);
            if (cuts.length == 2) parts.add(doc);
            else for (int i = 0; i + 1 < cuts.length; i++) parts.add(doc.substring(cuts[i], cuts[i + 1]));
        }
        Parallel.forEach(parts.size(), (worker, task) -> {
            WordCounts c = counts[worker];
            long[] n = {0};
            splitter.split(parts.get(task), (text, start, end) -> {
                c.add(text, start, end, 1);
                n[0]++;
            });
            wordsPerWorker[worker] += n[0];
        });
    }

    /** The byte-level string of {@code bytes} (each byte as its GPT-2 byte-to-unicode character). */
    static String byteLevel(byte[] bytes) {
        char[] c = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) c[i] = ByteLevel.charOf(bytes[i] & 0xFF);
        return new String(c);
    }

    /** The bytes a string of byte-level characters stands for, or null when a character is not one. */
    private static byte[] byteLevelBytes(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) {
            int b = ByteLevel.byteOf(s.charAt(i));
            if (b < 0) return null;
            out[i] = (byte) b;
        }
        return out;
    }

    /** UTF-8 length of {@code s} (an unpaired surrogate counts as the 3 bytes of U+FFFD). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not cut a surrogate pair. */
    private static String utf8Prefix(String s, long maxBytes) {
        long n = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int chars = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
            int b = c < 0x80 ? 1 : c < 0x800 ? 2 : chars == 2 ? 4 : 3;
            if (n + b > maxBytes) break;
            n += b;
            i += chars;
        }
        return s.substring(0, i);
    }
}
