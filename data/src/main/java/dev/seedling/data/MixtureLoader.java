package dev.seedling.data;

import dev.seedling.data.internal.SplitMix;
import dev.seedling.tensor.SeedlingException;
import java.util.Arrays;
import java.util.List;

/**
 * Training batches sampled from several {@link TokenSplit}s by weight (a {@link Mixture}).
 *
 * <p>Dimensions: B batch size, T context length, S sources. Row r of the stream (r = 0, 1, 2, … over all batches)
 * comes from source s(r), drawn with the given probabilities from SplitMix64 seeded with {@code mix(seed, r)}: a
 * pure function of the seed and the row number, so the share of rows from each source converges to its weight and
 * the choice never depends on what came before. Within a source, windows are taken as a
 * {@link BatchLoader#training} loader with batch size 1 and seed {@code mix(seed, s)} takes them: every window of a
 * source once per epoch of that source, freshly shuffled each epoch (a small source at a high weight simply
 * runs through more epochs).
 *
 * <p>{@link #state()} and {@link #restore} make a run resumable exactly. Not thread-safe; {@link #next} allocates
 * nothing.
 */
public final class MixtureLoader {
    /**
     * A position in the stream.
     *
     * @param rows    rows produced so far
     * @param sources each source's loader state, in source order
     */
    public record State(long rows, List<BatchLoader.State> sources) {
        public State {
            sources = List.copyOf(sources);
            if (rows < 0) throw new SeedlingException("mixture loader state has rows " + rows + " < 0; the checkpoint is damaged");
        }
    }

    private static final long PICK_STREAM = 0x4D4958L; // "MIX"

    private final BatchLoader[] loaders; // (S)
    private final double[] cumulative; // (S) cumulative probabilities, last = 1
    private final int batchSize, contextLength;
    private final long seed;
    private final int[] rowIn, rowTarget; // (T) one row
    private final long[] rowsPerSource; // (S) rows taken from each source since construction or restore
    private long rows;

    private MixtureLoader(List<TokenSplit> splits, double[] weights, int batchSize, int contextLength, long seed) {
        if (splits.isEmpty() || splits.size() != weights.length) {
            throw new SeedlingException("a mixture needs one weight per source, got " + splits.size() + " sources and "
                    + weights.length + " weights");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w > 0) || !Double.isFinite(w)) throw new SeedlingException("mixture weights must be positive, got " + Arrays.toString(weights));
            sum += w;
        }
        if (batchSize < 1) throw new SeedlingException("batch size must be at least 1, got " + batchSize);
        this.loaders = new BatchLoader[splits.size()];
        this.cumulative = new double[splits.size()];
        double c = 0;
        for (int s = 0; s < loaders.length; s++) {
            loaders[s] = BatchLoader.training(splits.get(s), 1, contextLength, SplitMix.mix(seed, s));
            c += weights[s] / sum;
            cumulative[s] = c;
        }
        cumulative[loaders.length - 1] = 1.0;
        this.batchSize = batchSize;
        this.contextLength = contextLength;
        this.seed = seed;
        this.rowIn = new int[contextLength];
        this.rowTarget = new int[contextLength];
        this.rowsPerSource = new long[loaders.length];
    }

    /** A loader drawing each row from {@code splits[s]} with probability {@code weights[s] / sum(weights)}. */
    public static MixtureLoader training(List<TokenSplit> splits, double[] weights, int batchSize, int contextLength, long seed) {
        return new MixtureLoader(splits, weights.clone(), batchSize, contextLength, seed);
    }

    public int batchSize() {
        return batchSize;
    }

    public int contextLength() {
        return contextLength;
    }

    /** The source of stream row {@code row}: a pure function of the seed and the row. */
    public int sourceOf(long row) {
        double u = new SplitMix(SplitMix.mix(seed ^ PICK_STREAM, row)).nextDouble();
        for (int s = 0; s < cumulative.length - 1; s++) if (u < cumulative[s]) return s;
        return cumulative.length - 1;
    }

    /**
     * Fills the next batch.
     *
     * @param inputs  (B, T) row-major token ids
     * @param targets (B, T) row-major next tokens
     */
    public void next(int[] inputs, int[] targets) {
        next(inputs, targets, null);
    }

    /** {@link #next(int[], int[])}, also writing each row's source index into {@code sources} (B) when not null. */
    public void next(int[] inputs, int[] targets, int[] sources) {
        int n = batchSize * contextLength;
        if (inputs.length < n || targets.length < n) {
            throw new IllegalArgumentException("inputs and targets need " + n + " = B*T elements, got "
                    + inputs.length + " and " + targets.length);
        }
        for (int b = 0; b < batchSize; b++) {
            int s = sourceOf(rows++);
            loaders[s].next(rowIn, rowTarget);
            rowsPerSource[s]++;
            System.arraycopy(rowIn, 0, inputs, b * contextLength, contextLength);
            System.arraycopy(rowTarget, 0, targets, b * contextLength, contextLength);
            if (sources != null) sources[b] = s;
        }
    }

    /** Rows taken from each source since this loader was made or restored. */
    public long[] rowsPerSource() {
        return rowsPerSource.clone();
    }

    /** Where the loader stands (taken between batches). */
    public State state() {
        return new State(rows, Arrays.stream(loaders).map(BatchLoader::state).toList());
    }

    /** Continues from {@code state} as the loader that produced it would. */
    public void restore(State state) {
        if (state.sources().size() != loaders.length) {
            throw new SeedlingException("mixture loader state has " + state.sources().size() + " sources but the mixture has "
                    + loaders.length + "; the mixture changed since the checkpoint");
        }
        for (int s = 0; s < loaders.length; s++) loaders[s].restore(state.sources().get(s));
        rows = state.rows();
        Arrays.fill(rowsPerSource, 0);
    }
}
