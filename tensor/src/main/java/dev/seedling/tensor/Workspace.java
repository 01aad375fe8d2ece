package dev.seedling.tensor;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Activation and gradient buffers, planned by the first step and reused by every later one. A training step asks
 * for buffers in the same order each time, so the i-th request of a step gets the i-th buffer of the previous step
 * (grown if the new request is larger): after the first step, {@link #take} allocates nothing.
 */
public final class Workspace {
    private final ArrayList<float[]> buffers = new ArrayList<>();
    private int cursor;

    /** A buffer of the given shape whose contents are undefined (whatever the last step left there). */
    public Tensor take(int... shape) {
        int n = Math.toIntExact(Tensor.numel(shape));
        float[] buf;
        if (cursor < buffers.size()) {
            buf = buffers.get(cursor);
            if (buf.length < n) {
                buf = new float[n];
                buffers.set(cursor, buf);
            }
        } else {
            buf = new float[n];
            buffers.add(buf);
        }
        cursor++;
        return new Tensor(buf, 0, shape);
    }

    /** A zero-filled buffer of the given shape. */
    public Tensor takeZeroed(int... shape) {
        Tensor t = take(shape);
        Arrays.fill(t.data(), 0, t.size(), 0f);
        return t;
    }

    /** Starts the next step: buffers will be handed out again from the first. */
    public void rewind() {
        cursor = 0;
    }

    /** Bytes held by all buffers. */
    public long bytes() {
        long b = 0;
        for (float[] f : buffers) b += 4L * f.length;
        return b;
    }
}
