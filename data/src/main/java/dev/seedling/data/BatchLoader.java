package dev.seedling.data;

import dev.seedling.data.internal.SplitMix;
import dev.seedling.tensor.SeedlingException;

/**
 * Cuts a {@link TokenSplit} into training batches for a causal language model.
 *
 * <p>Dimensions: B batch size, T context length. The split is cut into W = ⌊(N − 1) / T⌋ windows of T + 1 tokens
 * starting at 0, T, 2T, … (consecutive windows share one token: the last target of one is the first input of the
 * next). One epoch visits every window once; {@link #tokensPerEpoch()} = W·T. A batch takes the next B windows:
 * row b of {@code inputs} is window[0, T) and row b of {@code targets} is window[1, T + 1). A batch may run across
 * an epoch boundary.
 *
 * <ul>
 *   <li>{@link #training}: epoch e visits the windows in a Fisher–Yates shuffle driven by SplitMix64 seeded with
 *       {@code mix(seed, e)}: fixed by the seed, different every epoch;</li>
 *   <li>{@link #validation}: the windows in order, every pass the same; {@link #reset()} before each evaluation.</li>
 * </ul>
 * {@link #state()} and {@link #restore} make a run resumable exactly: a loader restored from a state produces the
 * same batches as the loader that produced the state. Not thread-safe; {@link #next} allocates nothing.
 */
public final class BatchLoader {
    /**
     * A position in the stream of windows.
     *
     * @param epoch  completed passes over the split
     * @param cursor windows already taken in the current epoch, in {@code [0, windowsPerEpoch)}
     */
    public record State(long epoch, long cursor) {
        public State {
            if (epoch < 0 || cursor < 0) {
                throw new SeedlingException("batch loader state must have epoch >= 0 and cursor >= 0, got epoch "
                        + epoch + ", cursor " + cursor + "; the checkpoint is damaged");
            }
        }
    }

    private final TokenSplit tokens;
    private final int batchSize, contextLength;
    private final boolean shuffle;
    private final long seed;
    private final int windows;
    private final int[] order; // window visiting order of the current epoch (training only)
    private long epoch;
    private int cursor;

    private BatchLoader(TokenSplit tokens, int batchSize, int contextLength, boolean shuffle, long seed) {
        if (batchSize < 1 || contextLength < 1) {
            throw new SeedlingException("batch size and context length must be at least 1, got batch size " + batchSize
                    + ", context length " + contextLength);
        }
        long w = (tokens.size() - 1) / contextLength;
        if (tokens.size() < 1 || w < 1) {
            throw new SeedlingException("the " + tokens.split().fileName() + " split has " + tokens.size()
                    + " tokens, but one window of context length " + contextLength + " needs " + (contextLength + 1L)
                    + "; lower the context length or add data");
        }
        if (w > Integer.MAX_VALUE - 8) {
            throw new SeedlingException("the " + tokens.split().fileName() + " split has " + w + " windows of "
                    + contextLength + " tokens, more than one loader handles; raise the context length or split the corpus");
        }
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.contextLength = contextLength;
        this.shuffle = shuffle;
        this.seed = seed;
        this.windows = (int) w;
        this.order = shuffle ? new int[windows] : null;
        startEpoch(0);
    }

    /** A loader that shuffles the windows of {@code tokens} each epoch with {@code seed}. */
    public static BatchLoader training(TokenSplit tokens, int batchSize, int contextLength, long seed) {
        return new BatchLoader(tokens, batchSize, contextLength, true, seed);
    }

    /** A loader that takes the windows of {@code tokens} in order (for evaluation). */
    public static BatchLoader validation(TokenSplit tokens, int batchSize, int contextLength) {
        return new BatchLoader(tokens, batchSize, contextLength, false, 0);
    }

    public int batchSize() {
        return batchSize;
    }

    public int contextLength() {
        return contextLength;
    }

    /** W: windows in one epoch. */
    public long windowsPerEpoch() {
        return windows;
    }

    /** W·T: tokens predicted in one epoch. */
    public long tokensPerEpoch() {
        return (long) windows * contextLength;
    }

    /** Batches for one pass over every window, ⌈W / B⌉ (the last one wraps into the next epoch when B ∤ W). */
    public long batchesPerEpoch() {
        return (windows + (long) batchSize - 1) / batchSize;
    }

    /**
     * Fills the next batch.
     *
     * @param inputs  (B, T) row-major, receives the token ids
     * @param targets (B, T) row-major, receives the next token of each input position
     */
    public void next(int[] inputs, int[] targets) {
        int n = batchSize * contextLength;
        if (inputs.length < n || targets.length < n) {
            throw new IllegalArgumentException("inputs and targets need " + n + " = B*T elements, got "
                    + inputs.length + " and " + targets.length);
        }
        for (int b = 0; b < batchSize; b++) {
            if (cursor == windows) startEpoch(epoch + 1);
            int window = shuffle ? order[cursor] : cursor;
            cursor++;
            long start = (long) window * contextLength;
            int row = b * contextLength;
            tokens.read(start, inputs, row, contextLength);
            System.arraycopy(inputs, row + 1, targets, row, contextLength - 1);
            targets[row + contextLength - 1] = tokens.token(start + contextLength);
        }
    }

    /** Where the loader stands (taken between batches). */
    public State state() {
        return cursor == windows ? new State(epoch + 1, 0) : new State(epoch, cursor);
    }

    /** Continues from {@code state} as the loader that produced it would. */
    public void restore(State state) {
        if (state.cursor() >= windows) {
            throw new SeedlingException("batch loader state has cursor " + state.cursor() + " but the "
                    + tokens.split().fileName() + " split has only " + windows + " windows of " + contextLength
                    + " tokens; the shards or the context length changed since the checkpoint");
        }
        if (state.epoch() != epoch || order == null) startEpoch(state.epoch());
        cursor = (int) state.cursor();
    }

    /** Back to the first window of epoch 0. */
    public void reset() {
        restore(new State(0, 0));
    }

    private void startEpoch(long e) {
        epoch = e;
        cursor = 0;
        if (!shuffle) return;
        for (int i = 0; i < windows; i++) order[i] = i;
        SplitMix rng = new SplitMix(SplitMix.mix(seed, e));
        for (int i = windows - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
