package dev.seedling.data.curate.internal.text;

import java.util.Arrays;

/** A growable {@code long[]} used as per-thread scratch (word hashes, shingle hashes). Not thread-safe. */
public final class LongList {
    public long[] a;
    public int n;

    public LongList(int capacity) {
        a = new long[Math.max(4, capacity)];
    }

    public void clear() {
        n = 0;
    }

    public void add(long v) {
        if (n == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = v;
    }

    /** Makes room for {@code size} values and sets {@link #n} to it. */
    public void resize(int size) {
        if (size > a.length) a = Arrays.copyOf(a, Math.max(size, a.length * 2));
        n = size;
    }
}
