package dev.seedling.data.curate.internal.hash;

/**
 * A set of 128-bit hashes {@code (hi, lo)} with open addressing and linear probing, no boxing: 16 bytes per slot,
 * grown at load 0.5 (so 32 to 64 bytes per key). The key {@code (0, 0)} marks an empty slot and is kept aside.
 * Not thread-safe.
 */
public final class Hash128Set {
    private long[] his, los;
    private int mask, size;
    private boolean hasZero;

    public Hash128Set(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        his = new long[cap];
        los = new long[cap];
        mask = cap - 1;
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    /** Bytes held by the tables. */
    public long memoryBytes() {
        return 16L * his.length;
    }

    /** Adds {@code (hi, lo)}; returns true when it was not there before. */
    public boolean add(long hi, long lo) {
        if (hi == 0 && lo == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        int i = (int) (lo ^ hi * 0x9E3779B97F4A7C15L) & mask;
        while (his[i] != 0 || los[i] != 0) {
            if (his[i] == hi && los[i] == lo) return false;
            i = (i + 1) & mask;
        }
        his[i] = hi;
        los[i] = lo;
        if (++size * 2 > his.length) grow();
        return true;
    }

    private void grow() {
        long[] oh = his, ol = los;
        his = new long[oh.length * 2];
        los = new long[oh.length * 2];
        mask = his.length - 1;
        for (int j = 0; j < oh.length; j++) {
            if (oh[j] == 0 && ol[j] == 0) continue;
            int i = (int) (ol[j] ^ oh[j] * 0x9E3779B97F4A7C15L) & mask;
            while (his[i] != 0 || los[i] != 0) i = (i + 1) & mask;
            his[i] = oh[j];
            los[i] = ol[j];
        }
    }
}
