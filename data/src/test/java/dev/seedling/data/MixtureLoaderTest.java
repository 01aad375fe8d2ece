package dev.seedling.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class MixtureLoaderTest {
    @TempDir
    Path tmp;

    /** A split of {@code n} int32 tokens {@code base, base+1, …}: a row's source is readable from its values. */
    static TokenSplit counting(int base, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putInt(base + i);
        return new TokenSplit(Split.TRAIN, new MemorySegment[] {MemorySegment.ofArray(b.array())}, new long[] {n}, false, 0);
    }

    static final int T = 8;

    static List<TokenSplit> three() {
        return List.of(counting(0, 801), counting(100_000, 161), counting(200_000, 4001));
    }

    static List<int[]> batches(MixtureLoader l, int n) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] in = new int[l.batchSize() * T], tg = new int[l.batchSize() * T];
            l.next(in, tg);
            out.add(in);
            out.add(tg);
        }
        return out;
    }

    @Test
    void proportionsMatchTheWeights() {
        long seed = Seeds.base();
        double[] w = {5, 3, 2};
        MixtureLoader l = MixtureLoader.training(three(), w, 16, T, seed);
        int rows = 30_000, batches = rows / 16;
        int[] in = new int[16 * T], tg = new int[16 * T], src = new int[16];
        long[] counts = new long[3];
        for (int b = 0; b < batches; b++) {
            l.next(in, tg, src);
            for (int r = 0; r < 16; r++) {
                int s = src[r];
                counts[s]++;
                int first = in[r * T];
                assertThat(first / 100_000).as("row comes from its source").isEqualTo(s);
                assertThat((first % 100_000) % T).isZero();
                for (int t = 0; t < T; t++) {
                    assertThat(in[r * T + t]).isEqualTo(first + t);
                    assertThat(tg[r * T + t]).isEqualTo(first + t + 1);
                }
            }
        }
        // binomial standard deviation at 30k rows is <= 0.0029; allow 4 of them
        assertThat((double) counts[0] / rows).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.012));
        assertThat((double) counts[1] / rows).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.012));
        assertThat((double) counts[2] / rows).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.012));
        assertThat(l.rowsPerSource()).containsExactly(counts);
    }

    @Test
    void everyWindowOfASourceOncePerEpoch() {
        // source 1 has (161 - 1) / 8 = 20 windows: its first 20 rows are a permutation of them
        MixtureLoader l = MixtureLoader.training(three(), new double[] {1, 1, 1}, 1, T, 7);
        List<Integer> starts = new ArrayList<>();
        int[] in = new int[T], tg = new int[T], src = new int[1];
        while (starts.size() < 20) {
            l.next(in, tg, src);
            if (src[0] == 1) starts.add(in[0] - 100_000);
        }
        assertThat(starts.stream().sorted().toList()).isEqualTo(java.util.stream.IntStream.range(0, 20).map(i -> i * T).boxed().toList());
    }

    @Test
    void sameSeedSameBatchesAndResumeEqualsUninterrupted() {
        long seed = Seeds.base();
        double[] w = {0.7, 0.3, 0.05};
        List<int[]> a = batches(MixtureLoader.training(three(), w, 5, T, seed), 300);
        List<int[]> b = batches(MixtureLoader.training(three(), w, 5, T, seed), 300);
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i)).isEqualTo(a.get(i));
        List<int[]> c = batches(MixtureLoader.training(three(), w, 5, T, seed + 1), 300);
        assertThat(Arrays.equals(c.getFirst(), a.getFirst()) && Arrays.equals(c.get(2), a.get(2))).isFalse();

        MixtureLoader first = MixtureLoader.training(three(), w, 5, T, seed);
        batches(first, 137); // past the epoch of the small source
        MixtureLoader.State st = first.state();
        MixtureLoader resumed = MixtureLoader.training(three(), w, 5, T, seed);
        resumed.restore(st);
        List<int[]> rest = batches(resumed, 163);
        for (int i = 0; i < rest.size(); i++) assertThat(rest.get(i)).as("row %d after resume", i).isEqualTo(a.get(2 * 137 + i));
        assertThatThrownBy(() -> resumed.restore(new MixtureLoader.State(3, st.sources().subList(0, 2))))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("mixture changed");
    }

    @Test
    void readsAMixtureFileAndPacksDocumentSources() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("general"));
        Files.writeString(docs.resolve("docs.jsonl"), "{\"text\":\"general replay text about many things\"}\n".repeat(30));
        Path dom = Files.createDirectories(tmp.resolve("dom-text"));
        for (int i = 0; i < 6; i++) Files.writeString(dom.resolve("d" + i + ".txt"), "pump fault code E" + i + " means a worn seal. ".repeat(20));
        Packer.pack(PackConfig.of(dom, tmp.resolve("domain-shards"), TestCorpus.TOKENIZER), p -> { });
        Path file = Files.writeString(tmp.resolve("mix.json"), """
                {"sources": [{"name": "domain", "path": "domain-shards", "weight": 0.7},
                             {"name": "general", "path": "general/docs.jsonl", "weight": 0.3}]}""");
        Mixture m = Mixture.read(file);
        assertThat(m.sources().get(1).path()).isEqualTo(docs.resolve("docs.jsonl").toAbsolutePath().normalize());
        assertThat(m.probabilities()).containsExactly(0.7, 0.3);
        try (Mixture.Opened o = m.open(TestCorpus.TOKENIZER, tmp.resolve("packed"))) {
            assertThat(tmp.resolve("packed/general/index.json")).exists();
            MixtureLoader l = o.trainingLoader(4, 16, 1);
            int[] in = new int[64], tg = new int[64];
            l.next(in, tg);
            assertThat(in).isNotEqualTo(new int[64]);
        }
        try (Mixture.Opened o = m.open(TestCorpus.TOKENIZER, tmp.resolve("packed"))) { // reuses the pack
            assertThat(o.train()).hasSize(2);
        }

        Files.writeString(file, "{\"sources\": [{\"name\": \"a\", \"path\": \"x\", \"weigth\": 1}]}");
        assertThatThrownBy(() -> Mixture.read(file)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("unknown key 'sources[0].weigth'");
        Files.writeString(file, "{\"sources\": [{\"name\": \"a\", \"path\": \"x\", \"weight\": 0}]}");
        assertThatThrownBy(() -> Mixture.read(file)).hasMessageContaining("weights must be positive");
        Files.writeString(file, "{\"sources\": [{\"name\": \"a\", \"path\": \"x\", \"weight\": 1}, {\"name\": \"a\", \"path\": \"y\", \"weight\": 1}]}");
        assertThatThrownBy(() -> Mixture.read(file)).hasMessageContaining("appears twice");
        Files.writeString(file, "{\"sources\": [{\"name\": \"a\", \"path\": \"missing\", \"weight\": 1}]}");
        assertThatThrownBy(() -> Mixture.read(file).open(TestCorpus.TOKENIZER, tmp.resolve("p2"))).hasMessageContaining("does not exist");
    }
}
