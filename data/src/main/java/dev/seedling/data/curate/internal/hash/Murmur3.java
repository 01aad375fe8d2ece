package dev.seedling.data.curate.internal.hash;

/**
 * MurmurHash3 x64 128-bit (Austin Appleby's public-domain reference, {@code MurmurHash3_x64_128}), written from its
 * description. The result is two longs {@code (h1, h2)}, as the reference's {@code out[0], out[1]}.
 *
 * <p>Two inputs: bytes, and UTF-16 chars (hashed exactly as the little-endian bytes of those chars would be, so
 * {@code hash128(chars)} equals {@code hash128(text.getBytes(UTF_16LE))} without the copy). Thread-safe (static, pure).
 */
public final class Murmur3 {
    private Murmur3() {}

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    /** Hash of {@code data[off, off+len)} with {@code seed}; writes {@code out[0]=h1, out[1]=h2}. */
    public static void hash128(byte[] data, int off, int len, long seed, long[] out) {
        long h1 = seed & 0xFFFFFFFFL, h2 = h1;
        int blocks = len >>> 4;
        for (int b = 0; b < blocks; b++) {
            int p = off + (b << 4);
            long k1 = leLong(data, p), k2 = leLong(data, p + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = off + (blocks << 4), rem = len & 15;
        long k1 = 0, k2 = 0;
        for (int i = rem - 1; i >= 8; i--) k2 = (k2 << 8) | (data[tail + i] & 0xFF);
        for (int i = Math.min(rem, 8) - 1; i >= 0; i--) k1 = (k1 << 8) | (data[tail + i] & 0xFF);
        if (rem > 8) h2 ^= mixK2(k2);
        if (rem > 0) h1 ^= mixK1(k1);
        finish(h1, h2, len, out);
    }

    /** Hash of the UTF-16LE bytes of {@code chars[off, off+len)} ({@code 2*len} bytes) with {@code seed}. */
    public static void hash128(char[] chars, int off, int len, long seed, long[] out) {
        long h1 = seed & 0xFFFFFFFFL, h2 = h1;
        int blocks = len >>> 3; // 8 chars = 16 bytes
        for (int b = 0; b < blocks; b++) {
            int p = off + (b << 3);
            long k1 = chars[p] | (long) chars[p + 1] << 16 | (long) chars[p + 2] << 32 | (long) chars[p + 3] << 48;
            long k2 = chars[p + 4] | (long) chars[p + 5] << 16 | (long) chars[p + 6] << 32 | (long) chars[p + 7] << 48;
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = off + (blocks << 3), rem = len & 7;
        long k1 = 0, k2 = 0;
        for (int i = rem - 1; i >= 4; i--) k2 = (k2 << 16) | chars[tail + i];
        for (int i = Math.min(rem, 4) - 1; i >= 0; i--) k1 = (k1 << 16) | chars[tail + i];
        if (rem > 4) h2 ^= mixK2(k2);
        if (rem > 0) h1 ^= mixK1(k1);
        finish(h1, h2, 2L * len, out);
    }

    private static void finish(long h1, long h2, long byteLen, long[] out) {
        h1 ^= byteLen;
        h2 ^= byteLen;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        out[0] = h1;
        out[1] = h2;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    /** MurmurHash3's 64-bit finaliser: a bijective avalanche mix (every input bit affects every output bit). */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long leLong(byte[] d, int p) {
        return (d[p] & 0xFFL) | (d[p + 1] & 0xFFL) << 8 | (d[p + 2] & 0xFFL) << 16 | (d[p + 3] & 0xFFL) << 24
                | (d[p + 4] & 0xFFL) << 32 | (d[p + 5] & 0xFFL) << 40 | (d[p + 6] & 0xFFL) << 48 | (d[p + 7] & 0xFFL) << 56;
    }
}
