package dev.seedling.data.curate.internal.hash;

/**
 * LSH band index: band key (64-bit hash) → the first document (a dense index) that had it. One {@code long} per
 * slot packs the key's upper 32 bits (the tag) and {@code doc + 1} (the lower 32 bits; 0 marks an empty slot); the
 * slot position comes from the tag too (so the table can grow). A tag collision only makes a false candidate, which the caller's
 * signature comparison rejects. Grows at load 0.7: 8 / 0.35..0.7 ≈ 11 to 23 bytes per band entry. Not thread-safe.
 */
public final class BandIndex {
    private long[] table;
    private int mask, size;

    public BandIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new long[cap];
        mask = cap - 1;
    }

    /** The document stored for {@code key}, or -1. */
    public int get(long key) {
        long tag = key & 0xFFFFFFFF00000000L;
        int i = (int) (key >>> 32) & mask;
        while (true) {
            long e = table[i];
            if (e == 0) return -1;
            if ((e & 0xFFFFFFFF00000000L) == tag) return (int) e - 1;
            i = (i + 1) & mask;
        }
    }

    /** Stores {@code doc} for {@code key} unless the key (its tag) is present already. */
    public void putIfAbsent(long key, int doc) {
        long tag = key & 0xFFFFFFFF00000000L;
        int i = (int) (key >>> 32) & mask;
        while (true) {
            long e = table[i];
            if (e == 0) break;
            if ((e & 0xFFFFFFFF00000000L) == tag) return;
            i = (i + 1) & mask;
        }
        table[i] = tag | (doc + 1L);
        if (++size * 10L > table.length * 7L) grow();
    }

    public int size() {
        return size;
    }

    public long memoryBytes() {
        return 8L * table.length;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        mask = table.length - 1;
        for (long e : old) {
            if (e == 0) continue;
            int i = slot(e);
            while (table[i] != 0) i = (i + 1) & mask;
            table[i] = e;
        }
    }

    private int slot(long e) {
        return (int) (e >>> 32) & mask;
    }
}
