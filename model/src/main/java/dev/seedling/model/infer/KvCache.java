package dev.seedling.model.infer;

import dev.seedling.tensor.SeedlingException;
import java.util.Arrays;

/**
 * The key/value cache of an {@link InferenceModel}: for every layer, the keys and values (after RoPE) of every
 * token seen so far, for {@code slots} independent sequences of up to {@code maxSeq} tokens each.
 *
 * <p>Legend: L layers, S slots, T max tokens per slot, KV key/value heads, D head dim.
 * {@code keys[l], values[l]: (S, T, KV·D)}, float32; slot {@code s}'s token {@code t} at {@code (s·T + t)·KV·D}.
 * {@link #length(int)} is how many tokens a slot holds; a forward pass appends after them.
 *
 * <p>Not thread-safe: use a cache from one thread at a time (the model's kernels parallelise inside a call).
 */
public final class KvCache {
    private final int layers, slots, maxSeq, rowWidth;
    final float[][] keys;   // (L)(S, T, KV·D)
    final float[][] values; // (L)(S, T, KV·D)
    private final int[] lengths; // (S)

    KvCache(int layers, int slots, int maxSeq, int numKvHeads, int headDim) {
        if (slots <= 0 || maxSeq <= 0) throw new SeedlingException("a KV cache needs slots > 0 and maxSeq > 0, got " + slots + " and " + maxSeq);
        long per = (long) slots * maxSeq * numKvHeads * headDim;
        if (per > Integer.MAX_VALUE - 8)
            throw new SeedlingException("a KV cache of " + slots + " slots x " + maxSeq + " tokens x " + numKvHeads * headDim
                    + " floats per layer is too large for one array; use fewer slots or a shorter maxSeq");
        this.layers = layers;
        this.slots = slots;
        this.maxSeq = maxSeq;
        this.rowWidth = numKvHeads * headDim;
        this.keys = new float[layers][(int) per];
        this.values = new float[layers][(int) per];
        this.lengths = new int[slots];
    }

    /** Number of sequence slots (S). */
    public int slots() {
        return slots;
    }

    /** Most tokens one slot holds (T). */
    public int maxSeq() {
        return maxSeq;
    }

    /** Tokens slot {@code slot} holds now (its next token goes to this position). */
    public int length(int slot) {
        return lengths[checkSlot(slot)];
    }

    /** Empties slot {@code slot} (a new sequence starts at position 0). */
    public void reset(int slot) {
        lengths[checkSlot(slot)] = 0;
    }

    /** Empties every slot. */
    public void resetAll() {
        Arrays.fill(lengths, 0);
    }

    /** Keeps the first {@code length} tokens of slot {@code slot} (e.g. a shared prompt prefix), drops the rest. */
    public void truncate(int slot, int length) {
        checkSlot(slot);
        if (length < 0 || length > lengths[slot])
            throw new IllegalArgumentException("cannot truncate slot " + slot + " of " + lengths[slot] + " tokens to " + length);
        lengths[slot] = length;
    }

    /** Bytes of cache storage: 2·L·S·T·KV·D·4. */
    public long bytes() {
        return 2L * layers * slots * maxSeq * rowWidth * Float.BYTES;
    }

    /** Offset of slot {@code slot}'s position {@code pos} in {@link #keys}/{@link #values} arrays. */
    int offset(int slot, int pos) {
        return (slot * maxSeq + pos) * rowWidth;
    }

    void advance(int slot, int count) {
        lengths[slot] += count;
    }

    private int checkSlot(int slot) {
        if (slot < 0 || slot >= slots) throw new IllegalArgumentException("slot " + slot + " is outside [0, " + slots + ")");
        return slot;
    }
}
