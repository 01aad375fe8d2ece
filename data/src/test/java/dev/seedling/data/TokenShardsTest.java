package dev.seedling.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class TokenShardsTest {
    @TempDir
    Path tmp;

    Path out;
    Path shard;

    @BeforeEach
    void pack() {
        TestCorpus.folder(tmp.resolve("corpus"), 6, Seeds.rng("TokenShardsTest"), 400);
        out = tmp.resolve("out");
        Packer.pack(PackConfig.of(tmp.resolve("corpus"), out, TestCorpus.TOKENIZER));
        shard = out.resolve("train-00000.bin");
    }

    @Test
    void headerIsAsDocumented() throws IOException {
        byte[] b = Files.readAllBytes(shard);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(b, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SDLTOKEN");
        assertThat(h.getInt(8)).isEqualTo(1); // version
        assertThat(h.getInt(12)).isEqualTo(64); // header size
        assertThat(h.getInt(16)).isEqualTo(1); // uint16
        assertThat(h.getInt(20)).isEqualTo(260); // vocab
        assertThat(h.getInt(24)).isEqualTo(256); // eos
        assertThat(h.getInt(28)).isZero(); // train
        assertThat(64 + 2 * h.getLong(32)).isEqualTo(b.length); // token count
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 64, b.length - 64);
        assertThat(h.getInt(48)).isEqualTo((int) crc.getValue());
        assertThat(h.getShort(64 + 2 * (int) h.getLong(32) - 2)).isEqualTo((short) 256); // ends with EOS
    }

    @Test
    void aTruncatedShardIsNamedWithBothSizes() throws IOException {
        long size = Files.size(shard);
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.setLength(size - 10);
        }
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(shard.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining(Long.toString(size))
                .hasMessageContaining(Long.toString(size - 10));
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.setLength(20);
        }
        assertThatThrownBy(() -> TokenShards.open(out)).isInstanceOf(SeedlingException.class).hasMessageContaining("truncated");
    }

    @Test
    void aCorruptedByteFailsTheChecksum() throws IOException {
        flip(shard, 64 + 101);
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(shard.toString())
                .hasMessageContaining("corrupt")
                .hasMessageContaining("CRC32");
    }

    @Test
    void aCorruptedHeaderIsCaught() throws IOException {
        flip(shard, 21); // vocab size
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(shard.toString())
                .hasMessageContaining("corrupt header");
        flip(shard, 21);
        flip(shard, 0);
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("not a Seedling token shard");
    }

    @Test
    void anUnknownVersionAsksForARepack() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(8);
            f.write(new byte[] {2, 0, 0, 0});
        }
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(shard.toString())
                .hasMessageContaining("written by a newer Seedling")
                .hasMessageContaining("re-pack with `seedling pack`");
        Path index = out.resolve("index.json");
        Files.writeString(index, Files.readString(index).replace("\"version\" : 1", "\"version\" : 2"));
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("index.json")
                .hasMessageContaining("written by a newer Seedling");
    }

    @Test
    void aMissingIndexOrShardIsNamed() throws IOException {
        Files.delete(out.resolve("val-00000.bin"));
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("val-00000.bin")
                .hasMessageContaining("missing");
        Files.delete(out.resolve("index.json"));
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("no index.json");
    }

    @Test
    void anOutOfVocabularyIdIsCaught() throws IOException {
        // a well-formed shard (valid CRCs) holding an id >= vocab size: rewrite a token and fix the checksums
        byte[] b = Files.readAllBytes(shard);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(64 + 2 * 5, (short) 300);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 64, b.length - 64);
        h.putInt(48, (int) crc.getValue());
        crc.reset();
        crc.update(b, 0, 60);
        h.putInt(60, (int) crc.getValue());
        Files.write(shard, b);
        Path index = out.resolve("index.json");
        String json = Files.readString(index).replaceFirst("\"crc32\" : \"[0-9a-f]{8}\"",
                "\"crc32\" : \"" + String.format("%08x", h.getInt(48)) + "\"");
        Files.writeString(index, json);
        assertThatThrownBy(() -> TokenShards.open(out))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("token id 300 at token 5");
    }

    @Test
    void splitsAreInvalidAfterClose() {
        TokenSplit train;
        try (TokenShards shards = TokenShards.open(out)) {
            train = shards.train();
            assertThat(train.token(0)).isBetween(0, 259);
        }
        assertThatThrownBy(() -> train.token(0)).isInstanceOf(IllegalStateException.class);
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }
}
