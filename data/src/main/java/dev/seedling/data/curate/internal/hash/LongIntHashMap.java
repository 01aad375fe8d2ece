package dev.seedling.data.curate.internal.hash;

/**
 * A map from {@code long} to {@code int} with open addressing and linear probing, no boxing; {@link #get} returns
 * {@code missing} (chosen at construction) for absent keys. Grows at load 0.5: 24 to 48 bytes per entry.
 * Not thread-safe for writes; concurrent reads are safe once writing has stopped.
 */
public final class LongIntHashMap {
    private long[] keys;
    private int[] values;
    private boolean[] used;
    private int mask, size;
    private final int missing;

    public LongIntHashMap(int expected, int missing) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        used = new boolean[cap];
        mask = cap - 1;
        this.missing = missing;
    }

    public int size() {
        return size;
    }

    /** Bytes held by the tables. */
    public long memoryBytes() {
        return 13L * keys.length;
    }

    public int get(long key) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) return values[i];
            i = (i + 1) & mask;
        }
        return missing;
    }

    /** Sets {@code key} to {@code value} only when {@code key} is absent; returns the value now stored. */
    public int putIfAbsent(long key, int value) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) return values[i];
            i = (i + 1) & mask;
        }
        insertAt(i, key, value);
        return value;
    }

    /** Adds {@code delta} to the value of {@code key} (absent counts as 0); returns the new value. */
    public int addTo(long key, int delta) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) return values[i] += delta;
            i = (i + 1) & mask;
        }
        insertAt(i, key, delta);
        return delta;
    }

    private void insertAt(int i, long key, int value) {
        keys[i] = key;
        values[i] = value;
        used[i] = true;
        if (++size * 2 > keys.length) grow();
    }

    private int slot(long key) {
        return (int) Murmur3.fmix64(key) & mask;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = values;
        boolean[] ou = used;
        int cap = ok.length * 2;
        keys = new long[cap];
        values = new int[cap];
        used = new boolean[cap];
        mask = cap - 1;
        for (int j = 0; j < ok.length; j++) {
            if (!ou[j]) continue;
            int i = slot(ok[j]);
            while (used[i]) i = (i + 1) & mask;
            keys[i] = ok[j];
            values[i] = ov[j];
            used[i] = true;
        }
    }
}
