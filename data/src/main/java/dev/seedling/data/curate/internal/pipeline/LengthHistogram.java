package dev.seedling.data.curate.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Document lengths in UTF-8 bytes, in log-scale buckets: bucket 0 holds {@code [0, 16)}, bucket k ≥ 1 holds
 * {@code [2^(k+3), 2^(k+4))}, the last bucket everything from 2^34 up. Thread-safe; order-independent.
 */
public final class LengthHistogram {
    /** One bucket: lengths in {@code [from, to)} bytes ({@code to} = -1 for the open last bucket). */
    public record Bucket(long from, long to, long count) {}

    private static final int BUCKETS = 32;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void add(long bytes) {
        counts.incrementAndGet(bucketOf(bytes));
    }

    static int bucketOf(long bytes) {
        if (bytes < 16) return 0;
        int log = 63 - Long.numberOfLeadingZeros(bytes); // >= 4
        return Math.min(BUCKETS - 1, log - 3);
    }

    static long lowerBound(int bucket) {
        return bucket == 0 ? 0 : 1L << (bucket + 3);
    }

    /** The buckets from the first to the last non-empty one (empty list when nothing was added). */
    public List<Bucket> buckets() {
        int first = -1, last = -1;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts.get(i) > 0) {
                if (first < 0) first = i;
                last = i;
            }
        }
        List<Bucket> out = new ArrayList<>();
        if (first < 0) return out;
        for (int i = first; i <= last; i++) {
            out.add(new Bucket(lowerBound(i), i == BUCKETS - 1 ? -1 : lowerBound(i + 1), counts.get(i)));
        }
        return out;
    }
}
