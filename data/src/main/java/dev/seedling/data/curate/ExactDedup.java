package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.hash.Hash128Set;
import dev.seedling.data.curate.internal.hash.Pending;
import dev.seedling.data.curate.internal.text.TextKey;

/**
 * Exact deduplication: drops a document whose normalised text (see {@link ExactDedupConfig}) hashes, with
 * MurmurHash3 x64 128, to the same key as an earlier document; the first copy (lowest {@code seq}) is kept.
 * Drop reason {@code "exact_duplicate"}.
 *
 * <p>Ordered stage (one thread, increasing seq). The hash is a pure function ({@link #key}); a pipeline that wants
 * to hash on many threads puts {@link #hasher()} (unordered) earlier in the chain and this stage then reuses those
 * keys. Index: 16 bytes per slot at load ≤ 0.5, so 32 to 64 bytes per distinct document; {@link #indexBytes()}.
 */
public final class ExactDedup implements DocStage {
    private static final long SEED = 0x5EED_11E5L;

    private final ExactDedupConfig config;
    private final Hash128Set seen = new Hash128Set(1 << 12);
    private final Pending<long[]> pending = new Pending<>();
    private long duplicates;

    public ExactDedup(ExactDedupConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "exact_dedup";
    }

    @Override
    public boolean ordered() {
        return true;
    }

    /** The 128-bit key {@code {hi, lo}} of {@code text}. Thread-safe. */
    public long[] key(String text) {
        long[] out = new long[2];
        // NFC through the cleaner's table-driven fast path: most texts are checked without the JDK normaliser
        String s = config.nfc() ? TextCleaner.normalize(text, java.text.Normalizer.Form.NFC) : text;
        TextKey.hash(s, false, config.lowercase(), config.collapseWhitespace() || config.ignorePunctuation(),
                config.ignorePunctuation(), SEED, out);
        return out;
    }

    /** An unordered, thread-safe stage that computes keys ahead for this stage; it never changes or drops a document. */
    public DocStage hasher() {
        return new DocStage() {
            @Override
            public String name() {
                return "exact_dedup_hash";
            }

            @Override
            public CurDoc apply(CurDoc doc, StageReport report) {
                pending.put(doc.seq(), doc.text(), key(doc.text()));
                return doc;
            }
        };
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        long[] k = pending.take(doc.seq(), doc.text());
        return apply(doc, k != null ? k : key(doc.text()), report);
    }

    /** The decision for {@code doc} given its {@link #key}; call in increasing seq order from one thread. */
    public CurDoc apply(CurDoc doc, long[] key, StageReport report) {
        if (seen.add(key[0], key[1])) return doc;
        duplicates++;
        report.drop("exact_duplicate", doc);
        return null;
    }

    /** Documents dropped so far. */
    public long duplicates() {
        return duplicates;
    }

    /** Distinct keys held. */
    public int distinct() {
        return seen.size();
    }

    /** Bytes held by the index. */
    public long indexBytes() {
        return seen.memoryBytes();
    }
}
