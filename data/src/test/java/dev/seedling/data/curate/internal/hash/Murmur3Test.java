package dev.seedling.data.curate.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class Murmur3Test {
    /** Published MurmurHash3_x64_128 vectors (as in Guava's and Elasticsearch's test suites: seed, h1, h2, input). */
    @Test
    void matchesPublishedVectors() {
        check(0, 0x629942693e10f867L, 0x92db0b82baeb5347L, "hell");
        check(1, 0xa78ddff5adae8d10L, 0x128900ef20900135L, "hello");
        check(2, 0x8a486b23f422e826L, 0xf962a2c58947765fL, "hello ");
        check(3, 0x2ea59f466f6bed8cL, 0xc610990acc428a17L, "hello w");
        check(4, 0x79f6305a386c572cL, 0x46305aed3483b94eL, "hello wo");
        check(5, 0xc2219d213ec1f1b5L, 0xa1d8e2e0a52785bdL, "hello wor");
        check(0, 0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L, "The quick brown fox jumps over the lazy dog");
        check(0, 0x658ca970ff85269aL, 0x43fee3eaa68e5c3eL, "The quick brown fox jumps over the lazy cog");
        check(0, 0, 0, "");
    }

    private static void check(int seed, long h1, long h2, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long[] out = new long[2];
        Murmur3.hash128(b, 0, b.length, seed, out);
        assertThat(out).as(s).containsExactly(h1, h2);
        // the same bytes at an offset inside a bigger array
        byte[] padded = new byte[b.length + 7];
        System.arraycopy(b, 0, padded, 3, b.length);
        Murmur3.hash128(padded, 3, b.length, seed, out);
        assertThat(out).as(s + " at offset").containsExactly(h1, h2);
    }

    @Test
    void charsHashLikeTheirUtf16LeBytes() {
        SplittableRandom r = Seeds.rng("murmur-chars");
        for (int len : new int[] {0, 1, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 64, 207}) {
            char[] c = new char[len + 2];
            for (int i = 0; i < c.length; i++) c[i] = (char) (r.nextBoolean() ? r.nextInt(0xD800) : 0xE000 + r.nextInt(0x2000)); // no lone surrogates (getBytes would replace them)
            byte[] b = new String(c, 1, len).getBytes(StandardCharsets.UTF_16LE);
            long[] fromBytes = new long[2], fromChars = new long[2];
            Murmur3.hash128(b, 0, b.length, 42, fromBytes);
            Murmur3.hash128(c, 1, len, 42, fromChars);
            assertThat(fromChars).as("len " + len).containsExactly(fromBytes[0], fromBytes[1]);
        }
    }

    @Test
    void primitiveSetsBehaveLikeJavaSets() {
        SplittableRandom r = Seeds.rng("sets");
        Hash128Set set128 = new Hash128Set(4);
        LongIntHashMap map = new LongIntHashMap(4, -1);
        Set<Long> ref = new HashSet<>();
        for (int i = 0; i < 20000; i++) {
            long v = r.nextInt(5) == 0 ? 0 : r.nextLong(30000);
            boolean added = ref.add(v);
            assertThat(set128.add(v, v * 3)).isEqualTo(added);
            assertThat(map.putIfAbsent(v, i)).isEqualTo(added ? i : map.get(v));
        }
        assertThat(set128.size()).isEqualTo(ref.size());
        assertThat(map.size()).isEqualTo(ref.size());
        for (long v = -5; v < 30005; v++) assertThat(map.get(v) != -1).isEqualTo(ref.contains(v));
        assertThat(map.get(-7)).isEqualTo(-1);
    }

    @Test
    void bandIndexKeepsTheFirstDocumentPerKey() {
        SplittableRandom r = Seeds.rng("band-index");
        BandIndex index = new BandIndex(4);
        long[] keys = new long[5000];
        for (int i = 0; i < keys.length; i++) keys[i] = Murmur3.fmix64(r.nextLong());
        for (int i = 0; i < keys.length; i++) index.putIfAbsent(keys[i], i);
        for (int i = 0; i < keys.length; i++) index.putIfAbsent(keys[i], i + 100000);
        for (int i = 0; i < keys.length; i++) assertThat(index.get(keys[i])).isEqualTo(i);
        assertThat(index.get(Murmur3.fmix64(-12345L))).isEqualTo(-1);
    }
}
