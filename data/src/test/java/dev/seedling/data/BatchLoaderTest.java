package dev.seedling.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class BatchLoaderTest {
    /** A split whose token i is i (int32), cut into shards of the given sizes: windows are recognisable by value. */
    static TokenSplit counting(long... shardSizes) {
        MemorySegment[] segs = new MemorySegment[shardSizes.length];
        long next = 0;
        for (int s = 0; s < shardSizes.length; s++) {
            ByteBuffer b = ByteBuffer.allocate((int) shardSizes[s] * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < shardSizes[s]; i++) b.putInt((int) next++);
            segs[s] = MemorySegment.ofArray(b.array());
        }
        return new TokenSplit(Split.TRAIN, segs, shardSizes, false, 0);
    }

    private static List<int[]> run(BatchLoader loader, int batches) {
        List<int[]> out = new ArrayList<>();
        int n = loader.batchSize() * loader.contextLength();
        for (int i = 0; i < batches; i++) {
            int[] in = new int[n], tg = new int[n];
            loader.next(in, tg);
            out.add(in);
            out.add(tg);
        }
        return out;
    }

    @Test
    void rowsAreWindowsAndTargetsAreShiftedByOne() {
        TokenSplit split = counting(50, 13, 37); // 100 tokens across 3 shards
        BatchLoader loader = BatchLoader.training(split, 3, 8, 42);
        assertThat(loader.windowsPerEpoch()).isEqualTo(12); // (100 - 1) / 8
        assertThat(loader.tokensPerEpoch()).isEqualTo(96);
        Set<Integer> starts = new HashSet<>();
        int[] in = new int[24], tg = new int[24];
        for (int b = 0; b < 4; b++) { // 4 batches x 3 rows = one epoch
            loader.next(in, tg);
            for (int row = 0; row < 3; row++) {
                int start = in[row * 8];
                assertThat(start % 8).isZero();
                for (int t = 0; t < 8; t++) {
                    assertThat(in[row * 8 + t]).isEqualTo(start + t);
                    assertThat(tg[row * 8 + t]).isEqualTo(start + t + 1);
                }
                starts.add(start);
            }
        }
        assertThat(starts).hasSize(12); // every window exactly once
        assertThat(loader.state()).isEqualTo(new BatchLoader.State(1, 0));
    }

    @Test
    void shuffleIsSeededAndChangesEveryEpoch() {
        TokenSplit split = counting(1000);
        List<int[]> a = run(BatchLoader.training(split, 4, 10, 7), 50);
        List<int[]> b = run(BatchLoader.training(split, 4, 10, 7), 50);
        List<int[]> c = run(BatchLoader.training(split, 4, 10, 8), 50);
        assertThat(a.toArray(int[][]::new)).isDeepEqualTo(b.toArray(int[][]::new));
        assertThat(a.get(0)).isNotEqualTo(c.get(0));
        // epoch 0 and epoch 1 (99 windows each, 4 per batch) visit windows in different orders
        BatchLoader l = BatchLoader.training(split, 1, 10, 7);
        int[] in = new int[10], tg = new int[10];
        int[] e0 = new int[99], e1 = new int[99];
        for (int i = 0; i < 99; i++) {
            l.next(in, tg);
            e0[i] = in[0];
        }
        for (int i = 0; i < 99; i++) {
            l.next(in, tg);
            e1[i] = in[0];
        }
        assertThat(e1).isNotEqualTo(e0).containsExactlyInAnyOrder(e0);
        assertThat(e0).isNotEqualTo(java.util.stream.IntStream.range(0, 99).map(i -> i * 10).toArray());
    }

    @Test
    void restoreContinuesExactly() {
        TokenSplit split = counting(40, 60, 17); // 116 tokens, T=5: 23 windows; B=4 crosses epochs
        for (int half : new int[] {1, 5, 6, 11, 17}) {
            List<int[]> straight = run(BatchLoader.training(split, 4, 5, 99), 2 * half);
            BatchLoader first = BatchLoader.training(split, 4, 5, 99);
            List<int[]> resumed = new ArrayList<>(run(first, half));
            BatchLoader.State state = first.state();
            BatchLoader second = BatchLoader.training(split, 4, 5, 99);
            second.restore(state);
            resumed.addAll(run(second, half));
            assertThat(resumed.toArray(int[][]::new)).as("split at batch %d, state %s", half, state)
                    .isDeepEqualTo(straight.toArray(int[][]::new));
        }
    }

    @Test
    void validationIsInOrderAndRepeatable() {
        TokenSplit split = counting(33);
        BatchLoader val = BatchLoader.validation(split, 2, 4); // 8 windows
        assertThat(val.batchesPerEpoch()).isEqualTo(4);
        int[] in = new int[8], tg = new int[8];
        List<Integer> starts = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            val.next(in, tg);
            starts.add(in[0]);
            starts.add(in[4]);
        }
        assertThat(starts).containsExactly(0, 4, 8, 12, 16, 20, 24, 28);
        val.reset();
        val.next(in, tg);
        assertThat(in).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(tg).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aSplitShorterThanOneWindowIsRefused() {
        assertThatThrownBy(() -> BatchLoader.training(counting(16), 1, 16, 1))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("train split has 16 tokens")
                .hasMessageContaining("needs 17");
        BatchLoader ok = BatchLoader.training(counting(17), 1, 16, 1);
        assertThat(ok.windowsPerEpoch()).isEqualTo(1);
        assertThatThrownBy(() -> ok.restore(new BatchLoader.State(0, 1)))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("changed since the checkpoint");
        assertThatThrownBy(() -> new BatchLoader.State(-1, 0)).isInstanceOf(SeedlingException.class);
    }

    @Test
    void worksOnPackedShards(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        TestCorpus.folder(tmp.resolve("c"), 8, dev.seedling.testkit.Seeds.rng("BatchLoaderTest.packed"), 500);
        Packer.pack(PackConfig.of(tmp.resolve("c"), tmp.resolve("o"), TestCorpus.TOKENIZER).withShardTokens(300));
        try (TokenShards shards = TokenShards.open(tmp.resolve("o"))) {
            TokenSplit train = shards.train();
            int[] all = TestCorpus.tokens(train);
            BatchLoader loader = BatchLoader.training(train, 2, 16, 3);
            int[] in = new int[32], tg = new int[32];
            for (int b = 0; b < 10; b++) {
                loader.next(in, tg);
                for (int i = 0; i < 32; i++) {
                    if (i % 16 != 15) assertThat(tg[i]).isEqualTo(in[i + 1]);
                }
                // each row is a contiguous piece of the split at a multiple of 16
                boolean found = false;
                for (int s = 0; s + 16 < all.length && !found; s += 16) {
                    found = java.util.Arrays.equals(all, s, s + 16, in, 0, 16) && all[s + 16] == tg[15];
                }
                assertThat(found).isTrue();
            }
        }
    }
}
