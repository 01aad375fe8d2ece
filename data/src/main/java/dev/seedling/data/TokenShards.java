package dev.seedling.data;

import dev.seedling.data.internal.format.v1.ShardHeader;
import dev.seedling.data.internal.format.v1.ShardIndex;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A token-shard folder made by {@link Packer} ({@code index.json} + {@code train-NNNNN.bin}, {@code val-NNNNN.bin};
 * format in {@code docs/formats.md}, "Token shards (v1)"), memory-mapped read-only.
 *
 * <p>{@link #open} checks everything before returning: the index, each shard's magic, version, header checksum,
 * size against its token count, payload CRC32, and that every token id is below the vocab size. Owns the maps:
 * close it (try-with-resources) when done; the {@link TokenSplit}s it handed out are invalid afterwards.
 */
public final class TokenShards implements AutoCloseable {
    private static final long CRC_CHUNK = 1L << 30;

    private final Path dir;
    private final ShardIndex index;
    private final Arena arena;
    private final Map<Split, TokenSplit> splits;

    private TokenShards(Path dir, ShardIndex index, Arena arena, Map<Split, TokenSplit> splits) {
        this.dir = dir;
        this.index = index;
        this.arena = arena;
        this.splits = splits;
    }

    /** Opens and verifies the shard folder {@code dir}; every problem is a {@link SeedlingException} naming the file. */
    public static TokenShards open(Path dir) {
        ShardIndex index = ShardIndex.read(dir);
        Arena arena = Arena.ofShared();
        try {
            Map<Split, TokenSplit> splits = new EnumMap<>(Split.class);
            for (Split split : Split.values()) {
                List<MemorySegment> payloads = new ArrayList<>();
                List<Long> counts = new ArrayList<>();
                long docs = 0;
                int number = 0;
                for (ShardIndex.Entry e : index.shards()) {
                    if (!e.split().equals(split.fileName())) continue;
                    Path file = dir.resolve(e.file());
                    ShardHeader h = map(file, e, index, split, number++, arena, payloads);
                    counts.add(h.tokenCount());
                    docs += h.documentCount();
                }
                long[] c = counts.stream().mapToLong(Long::longValue).toArray();
                splits.put(split, new TokenSplit(split, payloads.toArray(MemorySegment[]::new), c,
                        index.dtype().equals("uint16"), docs));
            }
            if (splits.get(Split.TRAIN).size() == 0) {
                throw new SeedlingException(dir + " has no train tokens; re-pack with `seedling pack`");
            }
            return new TokenShards(dir, index, arena, splits);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static ShardHeader map(Path file, ShardIndex.Entry entry, ShardIndex index, Split split, int number,
                                   Arena arena, List<MemorySegment> payloads) {
        MemorySegment whole;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < ShardHeader.SIZE) {
                throw new SeedlingException(file + " is truncated: " + size + " bytes, shorter than the "
                        + ShardHeader.SIZE + "-byte header; re-pack with `seedling pack`");
            }
            whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new SeedlingException(file + " is listed in index.json but missing; re-pack with `seedling pack`");
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + file + ": " + e + "; check its permissions", e);
        }
        ShardHeader h = ShardHeader.decode(whole.asSlice(0, ShardHeader.SIZE).asByteBuffer(), file);
        long size = whole.byteSize(), expected = h.fileSize();
        if (size < expected) {
            throw new SeedlingException(file + " is truncated: its header promises " + h.tokenCount() + " tokens ("
                    + expected + " bytes) but the file has " + size + " bytes; re-pack with `seedling pack`");
        }
        if (size > expected) {
            throw new SeedlingException(file + " has " + size + " bytes but its header promises " + expected + " ("
                    + h.tokenCount() + " tokens); the file is damaged, re-pack with `seedling pack`");
        }
        int expectedDtype = index.dtype().equals("uint16") ? ShardHeader.DTYPE_UINT16 : ShardHeader.DTYPE_INT32;
        int expectedSplit = split == Split.TRAIN ? ShardHeader.SPLIT_TRAIN : ShardHeader.SPLIT_VAL;
        if (h.vocabSize() != index.vocabSize() || h.eosId() != index.eosId() || h.dtype() != expectedDtype
                || h.split() != expectedSplit || h.tokenCount() != entry.tokens() || h.shardNumber() != number
                || h.payloadCrc() != entry.crc32()) {
            throw new SeedlingException(file + " does not match index.json (header: " + h + "; index: " + entry
                    + "); the folder mixes files from different packs, re-pack with `seedling pack`");
        }
        MemorySegment payload = whole.asSlice(ShardHeader.SIZE);
        CRC32 crc = new CRC32();
        for (long off = 0; off < payload.byteSize(); off += CRC_CHUNK) {
            crc.update(payload.asSlice(off, Math.min(CRC_CHUNK, payload.byteSize() - off)).asByteBuffer());
        }
        if ((int) crc.getValue() != h.payloadCrc()) {
            throw new SeedlingException(file + " is corrupt: the CRC32 of its tokens is "
                    + String.format("%08x", (int) crc.getValue()) + " but its header says "
                    + String.format("%08x", h.payloadCrc()) + "; re-pack with `seedling pack`");
        }
        checkIds(file, payload, h);
        payloads.add(payload);
        return h;
    }

    private static void checkIds(Path file, MemorySegment payload, ShardHeader h) {
        long n = h.tokenCount();
        int vocab = h.vocabSize();
        if (h.dtype() == ShardHeader.DTYPE_UINT16 && vocab >= 65536) return;
        boolean u16 = h.dtype() == ShardHeader.DTYPE_UINT16;
        int[] chunk = new int[1 << 16];
        TokenSplit view = new TokenSplit(Split.TRAIN, new MemorySegment[] {payload}, new long[] {n}, u16, 0);
        for (long base = 0; base < n; base += chunk.length) {
            int len = (int) Math.min(chunk.length, n - base);
            view.read(base, chunk, 0, len);
            int bad = 0;
            for (int i = 0; i < len; i++) bad |= (chunk[i] < 0 || chunk[i] >= vocab) ? 1 : 0;
            if (bad != 0) {
                for (int i = 0; i < len; i++) {
                    if (chunk[i] < 0 || chunk[i] >= vocab) throw badId(file, chunk[i], base + i, vocab);
                }
            }
        }
    }

    private static SeedlingException badId(Path file, int id, long at, int vocab) {
        return new SeedlingException(file + " holds token id " + id + " at token " + at + ", outside its vocabulary of "
                + vocab + "; re-pack with `seedling pack`");
    }

    public Path dir() {
        return dir;
    }

    /** The split's tokens (train is never empty; val is empty when packed with a zero validation fraction). */
    public TokenSplit split(Split split) {
        return splits.get(split);
    }

    public TokenSplit train() {
        return splits.get(Split.TRAIN);
    }

    public TokenSplit val() {
        return splits.get(Split.VAL);
    }

    public int vocabSize() {
        return index.vocabSize();
    }

    public int eosId() {
        return index.eosId();
    }

    /** The name of the tokenizer the corpus was packed with ({@link dev.seedling.tokenizer.Tokenizer#name()}). */
    public String tokenizerName() {
        return index.tokenizerName();
    }

    /** The shard files, in index order. */
    public List<Path> files() {
        return index.shards().stream().map(e -> dir.resolve(e.file())).toList();
    }

    @Override
    public void close() {
        arena.close();
    }
}
