package dev.seedling.tensor;

/**
 * Rotary position embedding tables in the HF Llama "rotate-half" layout: for position {@code p} and frequency
 * index {@code i < D/2}, {@code angle = p · invFreq[i]} with {@code invFreq[i] = theta^(-2i/D)}; a head vector
 * {@code x = [x1 | x2]} (halves of {@code D/2}) becomes {@code [x1·cos − x2·sin | x2·cos + x1·sin]}. Since HF
 * duplicates cos/sin across the two halves, only one half is stored. Angles are computed in double with
 * {@code StrictMath}, so the tables are the same bits on every platform.
 *
 * <p>Legend: P positions, D head dim. {@code cos, sin: (P, D/2)}, row {@code p} at {@code p·D/2}.
 *
 * <p>All tables are built by {@link #create(double[], int)} from a vector of inverse frequencies, so rope-scaling
 * variants only need to produce their own inverse frequencies (and, where a variant scales the magnitudes, a
 * factor applied there).
 */
public final class RopeTable {
    private final float[] cos; // (P, D/2)
    private final float[] sin; // (P, D/2)
    private final int maxPositions;
    private final int headDim;

    private RopeTable(float[] cos, float[] sin, int maxPositions, int headDim) {
        this.cos = cos;
        this.sin = sin;
        this.maxPositions = maxPositions;
        this.headDim = headDim;
    }

    /** The standard Llama table: {@code invFreq[i] = theta^(-2i/headDim)} for positions {@code [0, maxPositions)}. */
    public static RopeTable llama(double theta, int maxPositions, int headDim) {
        if (!(theta > 0) || Double.isInfinite(theta))
            throw new IllegalArgumentException("rope theta must be positive and finite, got " + theta);
        return create(inverseFrequencies(theta, headDim), maxPositions);
    }

    /** {@code invFreq[i] = theta^(-2i/headDim)}, {@code i < headDim/2}, in double. */
    public static double[] inverseFrequencies(double theta, int headDim) {
        if (headDim <= 0 || headDim % 2 != 0)
            throw new IllegalArgumentException("rope head dim must be positive and even, got " + headDim);
        double[] f = new double[headDim / 2];
        for (int i = 0; i < f.length; i++) f[i] = StrictMath.pow(theta, -2.0 * i / headDim);
        return f;
    }

    /** The one factory every variant goes through: tables for the given inverse frequencies (head dim = 2·length). */
    public static RopeTable create(double[] invFreq, int maxPositions) {
        if (invFreq.length == 0) throw new IllegalArgumentException("rope needs at least one frequency");
        if (maxPositions <= 0) throw new IllegalArgumentException("rope maxPositions must be positive, got " + maxPositions);
        int half = invFreq.length;
        float[] c = new float[Math.multiplyExact(maxPositions, half)];
        float[] s = new float[c.length];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * invFreq[i];
                c[p * half + i] = (float) StrictMath.cos(angle);
                s[p * half + i] = (float) StrictMath.sin(angle);
            }
        }
        return new RopeTable(c, s, maxPositions, 2 * half);
    }

    /** cos table, (P, D/2); do not modify. */
    public float[] cos() {
        return cos;
    }

    /** sin table, (P, D/2); do not modify. */
    public float[] sin() {
        return sin;
    }

    public int maxPositions() {
        return maxPositions;
    }

    public int headDim() {
        return headDim;
    }

    @Override
    public String toString() {
        return "RopeTable[maxPositions=" + maxPositions + ", headDim=" + headDim + "]";
    }
}
