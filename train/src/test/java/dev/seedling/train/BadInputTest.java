package dev.seedling.train;

import static dev.seedling.train.TrainFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.data.PackConfig;
import dev.seedling.data.Packer;
import dev.seedling.data.internal.format.v1.ShardHeader;
import dev.seedling.model.LlamaConfig;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the training spine fails with a {@link SeedlingException} that names the file or folder and the
 * problem, and leaves every existing file as it was.
 */
@ExtendWith(SeedReporter.class)
class BadInputTest {
    @TempDir
    static Path shared;
    /** A packed corpus and a finished 3-step run on it; tests only read them (and check that nothing changed). */
    static Path data, finishedRun;

    @TempDir
    Path tmp;

    @BeforeAll
    static void prepare() {
        data = TrainFixtures.packedCorpus(shared, "BadInputTest");
        finishedRun = shared.resolve("run");
        TrainFixtures.run(TrainFixtures.tinyModel(), TrainFixtures.train(3, Map.of()), data, finishedRun, false);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertTrainingFails(LlamaConfig model, TrainConfig cfg,
                                                                                     Path data, Path run, boolean resume) {
        return assertThatThrownBy(() -> TrainFixtures.run(model, cfg, data, run, resume)).isInstanceOf(SeedlingException.class);
    }

    @Test
    void emptyDataFolder() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Packer.pack(PackConfig.of(empty, tmp.resolve("packed"), TrainFixtures.TOKENIZER)))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("no usable text");
        assertThat(tmp.resolve("packed")).doesNotExist();
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), empty, tmp.resolve("run"), false)
                .hasMessageContaining(empty.toString()).hasMessageContaining("index.json");
    }

    @Test
    void binaryFileAmongTextFiles() throws IOException {
        SplittableRandom r = Seeds.rng("binaryFileAmongTextFiles");
        Path text = TrainFixtures.corpus(tmp.resolve("text"), r, 4, 500);
        byte[] bin = new byte[300];
        for (int i = 0; i < bin.length; i++) bin[i] = (byte) r.nextInt(256);
        bin[17] = 0;
        Path binary = Files.write(text.resolve("doc-02b.txt"), bin);
        Path out = tmp.resolve("packed");
        assertThatThrownBy(() -> TrainFixtures.pack(text, out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(binary.toString()).hasMessageContaining("binary");
        assertThat(out).as("a failed pack writes nothing").doesNotExist();
        assertThat(Files.readAllBytes(binary)).isEqualTo(bin);
    }

    @Test
    void corruptedShardPayload() throws IOException {
        Path packed = copyOfPack();
        Path shard = packed.resolve("train-00000.bin");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[ShardHeader.SIZE + 101] ^= 0x04; // one bit of one token id
        Files.write(shard, bytes);
        var before = snapshot(packed);
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), packed, tmp.resolve("run"), false)
                .hasMessageContaining(shard.toString()).hasMessageContaining("corrupt");
        assertSame(before, snapshot(packed));
    }

    @Test
    void truncatedShard() throws IOException {
        Path packed = copyOfPack();
        Path shard = packed.resolve("val-00000.bin");
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, Arrays.copyOf(bytes, bytes.length - 6));
        var before = snapshot(packed);
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), packed, tmp.resolve("run"), false)
                .hasMessageContaining(shard.toString()).hasMessageContaining("truncated");
        assertSame(before, snapshot(packed));

        Files.write(shard, Arrays.copyOf(bytes, 20)); // not even a whole header
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), packed, tmp.resolve("run2"), false)
                .hasMessageContaining(shard.toString()).hasMessageContaining("truncated");
    }

    @Test
    void resumingWithADifferentModelNamesTheCheckpointAndTheField() {
        var before = snapshot(finishedRun);
        LlamaConfig wider = LlamaConfig.of(320, 48, 2, 4, 2, 64, 64, false).withSpecialTokens(256, 256);
        assertTrainingFails(wider, TrainFixtures.train(6, Map.of()), data, finishedRun, true)
                .hasMessageContaining(finishedRun.resolve("checkpoints").resolve("step-00000003").toString())
                .hasMessageContaining("hidden")
                .hasMessageContaining("32").hasMessageContaining("48");
        assertSame(before, snapshot(finishedRun));
    }

    @Test
    void resumingWithADifferentBatchSizeNamesTheSetting() {
        var before = snapshot(finishedRun);
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(6, Map.of("batch_size", 2)), data, finishedRun, true)
                .hasMessageContaining("step-00000003").hasMessageContaining("batch_size=4").hasMessageContaining("batch_size=2");
        assertSame(before, snapshot(finishedRun));
    }

    @Test
    void runDirectoryThatHoldsARunIsNotReusedWithoutResume() {
        var before = snapshot(finishedRun);
        assertThat(before).containsKeys("run.json", "metrics.jsonl", "model/model.safetensors");
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(3, Map.of()), data, finishedRun, false)
                .hasMessageContaining(finishedRun.toString()).hasMessageContaining("already holds a run")
                .hasMessageContaining("--resume");
        assertSame(before, snapshot(finishedRun));
    }

    @Test
    void nonEmptyRunDirectoryIsRefused() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path notes = Files.writeString(run.resolve("notes.txt"), "mine");
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), data, run, false)
                .hasMessageContaining(run.toString()).hasMessageContaining("not empty");
        assertThat(Files.readString(notes)).isEqualTo("mine");
    }

    @Test
    void resumeWithoutACheckpoint() throws IOException {
        Path run = tmp.resolve("fresh");
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), data, run, true)
                .hasMessageContaining(run.toString()).hasMessageContaining("nothing to resume");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of()), data, empty, true)
                .hasMessageContaining(empty.toString()).hasMessageContaining("nothing to resume");
    }

    @Test
    void modelTooSmallForTheDataOrTheSequence() {
        LlamaConfig smallVocab = LlamaConfig.of(200, 32, 1, 4, 2, 64, 64, false);
        assertTrainingFails(smallVocab, TrainFixtures.train(2, Map.of()), data, tmp.resolve("a"), false)
                .hasMessageContaining(data.toString()).hasMessageContaining("vocab_size");
        assertTrainingFails(TrainFixtures.tinyModel(), TrainFixtures.train(2, Map.of("seq_len", 128)), data,
                tmp.resolve("b"), false)
                .hasMessageContaining("seq_len=128").hasMessageContaining("max_position_embeddings=64");
    }

    private Path copyOfPack() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("packed"));
        try (var s = Files.list(data)) {
            for (Path p : s.toList()) Files.copy(p, copy.resolve(p.getFileName().toString()));
        }
        return copy;
    }

    private static void assertSame(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String k : before.keySet()) assertThat(after.get(k)).as(k).isEqualTo(before.get(k));
    }
}
