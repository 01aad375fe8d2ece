package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.hash.BandIndex;
import dev.seedling.data.curate.internal.hash.Pending;
import dev.seedling.tensor.SeedlingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Near-duplicate removal with MinHash + LSH banding ({@link MinHashConfig}). For each document in {@code seq}
 * order: every band of its signature is looked up in the index (band → first kept document with that band); each
 * kept document found is a candidate, and the document is dropped (reason {@code "near_duplicate"}) when its
 * estimated Jaccard with the best candidate is at least the threshold. A kept document enters the index, so each
 * cluster's representative is its lowest-seq member. Candidates below the threshold are counted as
 * {@code "candidate_below_threshold"}; documents without words pass untouched ({@code "no_words"}).
 *
 * <p>Ordered stage (one thread, increasing seq). The signature ({@link MinHash#signature}) is the expensive part
 * and is pure: a pipeline puts {@link #signer()} (unordered, thread-safe) earlier in the chain to compute it on
 * many threads, or calls {@link #apply(CurDoc, int[], StageReport)} itself with precomputed signatures.
 *
 * <p>Memory per kept document ({@link #indexBytesPerDoc()}): the band index (8 bytes per slot, {@code bands} entries
 * at load 0.35–0.7, ≈ 160–320 bytes for 14 bands), the signature kept at 16 bits per value for the Jaccard check
 * (224 bytes for 112 hashes), a seq and a reference to the id (16 bytes, plus the id string itself): about 450–600
 * bytes. Dropped documents cost nothing but their cluster entry (at most {@link #MAX_MEMBERS} per cluster).
 */
public final class NearDedup implements DocStage {
    /** Members listed per cluster (all are counted). */
    public static final int MAX_MEMBERS = 50;
    private static final int EXCERPT_CHARS = 200;

    /** A document dropped as a near duplicate of its cluster's representative. */
    public record Member(String id, long seq, double jaccard) {}

    /**
     * A near-duplicate cluster: the kept representative and the dropped members.
     *
     * @param size    representative plus all members
     * @param members the first {@link #MAX_MEMBERS} members in seq order
     * @param excerpt the start of the first member's text (the representative's text is not kept)
     */
    public record Cluster(String representativeId, long representativeSeq, long size, List<Member> members, String excerpt) {}

    private static final class ClusterBuilder {
        final int rep;
        long size = 1;
        final List<Member> members = new ArrayList<>();
        String excerpt;

        ClusterBuilder(int rep) {
            this.rep = rep;
        }
    }

    private final MinHash minHash;
    private final int k;
    private final double threshold;
    private final BandIndex index = new BandIndex(1 << 14);
    private final Pending<int[]> pending = new Pending<>();
    private char[] sigs = new char[0]; // (kept, K) low 16 bits of each signature value
    private String[] ids = new String[0]; // (kept)
    private long[] seqs = new long[0]; // (kept)
    private int kept;
    private long dropped;
    private final Map<Integer, ClusterBuilder> clusters = new HashMap<>();
    private final int[] candidates;

    public NearDedup(MinHashConfig config) {
        this.minHash = new MinHash(config);
        this.k = config.numHashes();
        this.threshold = config.threshold();
        this.candidates = new int[config.bands()];
    }

    public MinHash minHash() {
        return minHash;
    }

    @Override
    public String name() {
        return "near_dedup";
    }

    @Override
    public boolean ordered() {
        return true;
    }

    /** An unordered, thread-safe stage that computes signatures ahead for this stage; it never changes or drops a document. */
    public DocStage signer() {
        return new DocStage() {
            @Override
            public String name() {
                return "near_dedup_signature";
            }

            @Override
            public CurDoc apply(CurDoc doc, StageReport report) {
                int[] sig = minHash.signature(doc.text());
                pending.put(doc.seq(), doc.text(), sig == null ? NO_WORDS : sig);
                return doc;
            }
        };
    }

    private static final int[] NO_WORDS = new int[0];

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        int[] sig = pending.take(doc.seq(), doc.text());
        if (sig == null) sig = minHash.signature(doc.text());
        else if (sig == NO_WORDS) sig = null;
        return apply(doc, sig, report);
    }

    /**
     * The decision for {@code doc} given its signature ({@code null} for a document without words); call in
     * increasing seq order from one thread.
     */
    public CurDoc apply(CurDoc doc, int[] signature, StageReport report) {
        if (signature == null) {
            report.count("no_words", 1);
            return doc;
        }
        if (signature.length != k) throw new IllegalArgumentException("signature length " + signature.length + " != " + k);
        long[] keys = minHash.bandKeys(signature);
        int nc = 0;
        for (long key : keys) {
            int c = index.get(key);
            if (c < 0) continue;
            boolean seen = false;
            for (int j = 0; j < nc; j++) seen |= candidates[j] == c;
            if (!seen) candidates[nc++] = c;
        }
        int best = -1;
        double bestJ = -1;
        for (int j = 0; j < nc; j++) {
            int c = candidates[j];
            double est = estimate(signature, c);
            if (est > bestJ || (est == bestJ && c < best)) {
                bestJ = est;
                best = c;
            }
        }
        if (best >= 0 && bestJ >= threshold) {
            dropped++;
            report.drop("near_duplicate", doc);
            ClusterBuilder cb = clusters.computeIfAbsent(best, ClusterBuilder::new);
            cb.size++;
            if (cb.members.size() < MAX_MEMBERS) cb.members.add(new Member(doc.id(), doc.seq(), bestJ));
            if (cb.excerpt == null) {
                String t = doc.text();
                cb.excerpt = t.length() <= EXCERPT_CHARS ? t : t.substring(0, EXCERPT_CHARS) + "…";
            }
            return null;
        }
        if (nc > 0) report.count("candidate_below_threshold", 1);
        add(doc, signature, keys);
        return doc;
    }

    private double estimate(int[] sig, int doc) {
        int base = doc * k, eq = 0;
        for (int i = 0; i < k; i++) if ((char) sig[i] == sigs[base + i]) eq++;
        return (double) eq / k;
    }

    private void add(CurDoc doc, int[] sig, long[] keys) {
        if (kept == ids.length) {
            int cap = Math.max(1024, ids.length * 2);
            if ((long) cap * k > Integer.MAX_VALUE - 16)
                throw new SeedlingException("near-dedup index is full at " + kept + " kept documents with " + k
                        + " hashes each; use fewer hashes (bands × rows) or split the corpus");
            ids = Arrays.copyOf(ids, cap);
            seqs = Arrays.copyOf(seqs, cap);
            sigs = Arrays.copyOf(sigs, cap * k);
        }
        int d = kept++;
        ids[d] = doc.id();
        seqs[d] = doc.seq();
        for (int i = 0; i < k; i++) sigs[d * k + i] = (char) sig[i];
        for (long key : keys) index.putIfAbsent(key, d);
    }

    /** Documents kept (in the index) so far. */
    public int keptDocs() {
        return kept;
    }

    /** Documents dropped as near duplicates so far. */
    public long droppedDocs() {
        return dropped;
    }

    /** Bytes held by the index, signatures, ids and seqs (array capacity, not counting the id strings themselves). */
    public long indexBytes() {
        return index.memoryBytes() + 2L * sigs.length + 8L * ids.length + 8L * seqs.length;
    }

    /** {@link #indexBytes()} per kept document (0 before the first). */
    public double indexBytesPerDoc() {
        return kept == 0 ? 0 : (double) indexBytes() / kept;
    }

    /** Clusters so far, largest first (ties: lowest representative seq first), at most {@code n}. */
    public List<Cluster> topClusters(int n) {
        List<ClusterBuilder> all = new ArrayList<>(clusters.values());
        all.sort(Comparator.comparingLong((ClusterBuilder c) -> -c.size).thenComparingLong(c -> seqs[c.rep]));
        List<Cluster> out = new ArrayList<>();
        for (ClusterBuilder c : all.subList(0, Math.min(n, all.size())))
            out.add(new Cluster(ids[c.rep], seqs[c.rep], c.size, List.copyOf(c.members), c.excerpt));
        return out;
    }

    /** Number of clusters (representatives with at least one dropped member). */
    public int clusterCount() {
        return clusters.size();
    }
}
