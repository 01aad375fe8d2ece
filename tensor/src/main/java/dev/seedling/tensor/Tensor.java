package dev.seedling.tensor;

import java.util.Arrays;

/**
 * A float32 tensor: a row-major view {@code shape} into {@code data} starting at {@code offset}. Views share
 * storage (the model keeps all its parameters in one flat array and hands out views of it). The last dimension is
 * contiguous; there are no general strides (kernels that need a row stride take it as an argument).
 *
 * @param data   the storage
 * @param offset index of element {@code [0,...,0]} in {@code data}
 * @param shape  dimension sizes, outermost first
 */
public record Tensor(float[] data, int offset, int[] shape) {
    public Tensor {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (offset < 0 || offset + n > data.length)
            throw new IllegalArgumentException("view " + Arrays.toString(shape) + " at offset " + offset
                    + " does not fit storage of " + data.length);
    }

    /** A new zero-filled tensor. */
    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Math.toIntExact(numel(shape))], 0, shape);
    }

    /** A tensor over the whole of {@code data} with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        if (numel(shape) != data.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel(shape)
                    + " elements, data has " + data.length);
        return new Tensor(data, 0, shape);
    }

    public static long numel(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Number of elements. */
    public int size() {
        return (int) numel(shape);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** The shape (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Size of the last dimension. */
    public int cols() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** Product of all dimensions but the last. */
    public int rows() {
        return cols() == 0 ? 0 : size() / cols();
    }

    /** The same elements under another shape of equal size. */
    public Tensor reshape(int... newShape) {
        if (numel(newShape) != size())
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        return new Tensor(data, offset, newShape);
    }

    /** Element at a flat (row-major) index. */
    public float get(int flat) {
        return data[offset + flat];
    }

    public void set(int flat, float v) {
        data[offset + flat] = v;
    }

    public void fill(float v) {
        Arrays.fill(data, offset, offset + size(), v);
    }

    /** Copies this view's elements into a new array. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size());
    }

    public void copyFrom(Tensor src) {
        if (src.size() != size()) throw new IllegalArgumentException("size mismatch " + src.size() + " vs " + size());
        System.arraycopy(src.data, src.offset, data, offset, size());
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
