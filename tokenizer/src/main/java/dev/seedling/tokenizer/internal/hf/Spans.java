package dev.seedling.tokenizer.internal.hf;

import java.util.Arrays;

/**
 * A growable list of {@code [start, end)} ranges of a string, each flagged as a pattern match or not; what HF's
 * {@code Pattern::find_matches} returns. Reused per call; not thread-safe.
 */
final class Spans {
    int[] start = new int[16];
    int[] end = new int[16];
    boolean[] match = new boolean[16];
    int size;

    void clear() {
        size = 0;
    }

    void add(int s, int e, boolean m) {
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            end = Arrays.copyOf(end, size * 2);
            match = Arrays.copyOf(match, size * 2);
        }
        start[size] = s;
        end[size] = e;
        match[size] = m;
        size++;
    }

    /** Flips every match flag (HF's {@code Invert} pattern). */
    void invert() {
        for (int i = 0; i < size; i++) match[i] = !match[i];
    }
}
