package dev.seedling.data.curate.internal.hash;

import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Hand-over of values (signatures, hashes) computed by an unordered stage on many threads to the ordered stage
 * that consumes them in {@code seq} order. Each value remembers the exact text object it was computed from; the
 * consumer only uses it when the document still carries that same object (a stage in between may have changed the
 * text), else it recomputes. Entries of documents dropped in between are discarded when a later {@code seq} is taken,
 * so the map only holds documents in flight. Thread-safe.
 */
public final class Pending<T> {
    private record Entry<T>(String text, T value) {}

    private final ConcurrentSkipListMap<Long, Entry<T>> map = new ConcurrentSkipListMap<>();

    public void put(long seq, String text, T value) {
        map.put(seq, new Entry<>(text, value));
    }

    /** The value stored for {@code seq} if it was computed from {@code text} (same object), else null. */
    public T take(long seq, String text) {
        Entry<T> e = map.remove(seq);
        if (!map.isEmpty() && map.firstKey() < seq) map.headMap(seq).clear();
        return e != null && e.text() == text ? e.value() : null;
    }

    public int size() {
        return map.size();
    }
}
