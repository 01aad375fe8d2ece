package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.hash.LongIntHashMap;
import dev.seedling.data.curate.internal.text.LongList;
import dev.seedling.data.curate.internal.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leakage gate between training data and benchmarks: drops a training document (reason {@code "eval_overlap"})
 * that shares a run of {@link DecontaminationConfig#ngramWords()} consecutive normalised words (lower-cased,
 * punctuation ignored, see the dedup word rules) with any evaluation item, or contains a whole short item (between
 * {@code minItemWords} and {@code ngramWords} words). {@link #leaks()} says which items leaked into which documents.
 *
 * <p>Built once from the items (questions, answers, or both concatenated — each string is one item); the index is a
 * primitive hash map from 64-bit n-gram hash to item number (about 24–48 bytes per distinct n-gram, so an item of
 * {@code w} words costs {@code w − n + 1} entries). Unordered and thread-safe: lookups only read the index, and the
 * leak record is a concurrent map whose content does not depend on thread timing.
 */
public final class Decontaminator implements DocStage {
    /** An evaluation item found in training data: how many documents held it, and the lowest-seq one. */
    public record Leak(int item, String itemExcerpt, long documents, String firstDocId, long firstDocSeq) {}

    private static final class LeakBuilder {
        long docs;
        long firstSeq = Long.MAX_VALUE;
        String firstId;
    }

    private final DecontaminationConfig config;
    private final List<String> items;
    private final LongIntHashMap index;
    private final int[] shortLengths; // distinct lengths of items matched whole, ascending
    private final int ignored;
    private final ConcurrentHashMap<Integer, LeakBuilder> leaks = new ConcurrentHashMap<>();
    private final ThreadLocal<LongList[]> scratch = ThreadLocal.withInitial(() -> new LongList[] {new LongList(1024), new LongList(1024)});

    public Decontaminator(List<String> evalItems, DecontaminationConfig config) {
        this.config = config;
        this.items = List.copyOf(evalItems);
        this.index = new LongIntHashMap(1024, -1);
        LongList words = new LongList(256), grams = new LongList(256);
        TreeSet<Integer> lengths = new TreeSet<>();
        int skipped = 0;
        int n = config.ngramWords();
        for (int it = 0; it < items.size(); it++) {
            int w = Words.hashes(items.get(it), words);
            int len = w >= n ? n : w;
            if (w < config.minItemWords()) {
                skipped++;
                continue;
            }
            if (len < n) lengths.add(len);
            int g = Words.ngrams(words.a, w, len, grams);
            for (int k = 0; k < g; k++) index.putIfAbsent(grams.a[k], it);
        }
        this.ignored = skipped;
        this.shortLengths = lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String name() {
        return "decontaminate";
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        if (index.size() == 0) return doc;
        LongList[] s = scratch.get();
        int w = Words.hashes(doc.text(), s[0]);
        int found = scan(s[0], w, config.ngramWords(), s[1], -1);
        for (int len : shortLengths) found = scan(s[0], w, len, s[1], found);
        if (found < 0) return doc;
        // every distinct item this document holds (a second pass only for dropped documents)
        List<Integer> hits = new ArrayList<>();
        collect(s[0], w, config.ngramWords(), s[1], hits);
        for (int len : shortLengths) collect(s[0], w, len, s[1], hits);
        for (int item : hits) {
            LeakBuilder b = leaks.computeIfAbsent(item, k -> new LeakBuilder());
            synchronized (b) {
                b.docs++;
                if (doc.seq() < b.firstSeq) {
                    b.firstSeq = doc.seq();
                    b.firstId = doc.id();
                }
            }
        }
        report.drop("eval_overlap", doc);
        return null;
    }

    private int scan(LongList words, int w, int n, LongList grams, int found) {
        if (found >= 0) return found;
        int g = Words.ngrams(words.a, w, n, grams);
        for (int k = 0; k < g; k++) {
            int item = index.get(grams.a[k]);
            if (item >= 0) return item;
        }
        return -1;
    }

    private void collect(LongList words, int w, int n, LongList grams, List<Integer> hits) {
        int g = Words.ngrams(words.a, w, n, grams);
        for (int k = 0; k < g; k++) {
            int item = index.get(grams.a[k]);
            if (item >= 0 && !hits.contains(item)) hits.add(item);
        }
    }

    /** Items that leaked so far, by item number. */
    public List<Leak> leaks() {
        List<Leak> out = new ArrayList<>();
        new TreeSet<>(leaks.keySet()).forEach(item -> {
            LeakBuilder b = leaks.get(item);
            synchronized (b) {
                String t = items.get(item);
                out.add(new Leak(item, t.length() <= 200 ? t : t.substring(0, 200) + "…", b.docs, b.firstId, b.firstSeq));
            }
        });
        return out;
    }

    /** Items too short to be matched (fewer than {@code minItemWords} words). */
    public int ignoredItems() {
        return ignored;
    }

    /** Distinct n-grams in the index. */
    public int indexedNgrams() {
        return index.size();
    }

    /** Bytes held by the index. */
    public long indexBytes() {
        return index.memoryBytes();
    }
}
