package dev.seedling.testkit;

/** Sizes that catch tail-loop and blocking bugs in SIMD kernels (STYLE.md habit 2). */
public final class AwkwardSizes {
    private AwkwardSizes() {}

    /** Vector lengths: 1, 3, 7, 8, 13, 17, 31, 64, 207, 255, 1000, 4097, 4098. */
    public static final int[] LENGTHS = {1, 3, 7, 8, 13, 17, 31, 64, 207, 255, 1000, 4097, 4098};

    /** Smaller set for matrix dimensions (each combination is a product). */
    public static final int[] DIMS = {1, 3, 7, 8, 13, 17, 31, 64, 65, 100};
}
