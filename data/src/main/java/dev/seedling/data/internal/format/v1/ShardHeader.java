package dev.seedling.data.internal.format.v1;

import dev.seedling.tensor.SeedlingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The 64-byte little-endian header of a token shard, format version 1 (documented in {@code docs/formats.md},
 * "Token shards (v1)").
 *
 * <pre>
 * off size field
 *   0   8  magic "SDLTOKEN" (ASCII)
 *   8   4  format version (1)
 *  12   4  header size in bytes (64)
 *  16   4  dtype: 1 = uint16, 2 = int32
 *  20   4  vocab size
 *  24   4  EOS id (document separator)
 *  28   4  split: 0 = train, 1 = val
 *  32   8  token count
 *  40   8  document count (EOS tokens in this shard)
 *  48   4  CRC32 of the payload (the token bytes after the header)
 *  52   4  shard number within its split
 *  56   4  reserved, 0
 *  60   4  CRC32 of bytes 0..59
 * </pre>
 */
public record ShardHeader(int dtype, int vocabSize, int eosId, int split, long tokenCount, long documentCount,
                          int payloadCrc, int shardNumber) {
    public static final byte[] MAGIC = "SDLTOKEN".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int SIZE = 64;
    public static final int DTYPE_UINT16 = 1;
    public static final int DTYPE_INT32 = 2;
    public static final int SPLIT_TRAIN = 0;
    public static final int SPLIT_VAL = 1;

    /** The dtype that holds ids below {@code vocabSize}: uint16 up to 65536, else int32. */
    public static int dtypeFor(int vocabSize) {
        return vocabSize <= 65536 ? DTYPE_UINT16 : DTYPE_INT32;
    }

    public static int bytesPerToken(int dtype) {
        return dtype == DTYPE_UINT16 ? 2 : 4;
    }

    public int bytesPerToken() {
        return bytesPerToken(dtype);
    }

    /** File size this header promises. */
    public long fileSize() {
        return SIZE + tokenCount * bytesPerToken();
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(SIZE).putInt(dtype).putInt(vocabSize).putInt(eosId).putInt(split)
                .putLong(tokenCount).putLong(documentCount).putInt(payloadCrc).putInt(shardNumber).putInt(0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 60);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Parses and checks the first 64 bytes of {@code file} (at least 64 available in {@code b}); every problem is a
     * {@link SeedlingException} naming the file.
     */
    public static ShardHeader decode(ByteBuffer b, Path file) {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(0, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new SeedlingException(file + " is not a Seedling token shard (its first bytes are not \"SDLTOKEN\"); "
                    + "re-pack with `seedling pack`");
        }
        int version = b.getInt(8);
        if (version != VERSION) {
            throw new SeedlingException(file + " has token-shard format version " + Integer.toUnsignedString(version)
                    + "; it was written by a newer Seedling (this one reads version " + VERSION
                    + "); re-pack with `seedling pack` or upgrade Seedling");
        }
        CRC32 crc = new CRC32();
        crc.update(b.slice(0, 60));
        if ((int) crc.getValue() != b.getInt(60)) {
            throw new SeedlingException(file + " has a corrupt header (header CRC32 mismatch); re-pack with `seedling pack`");
        }
        int size = b.getInt(12), dtype = b.getInt(16), vocab = b.getInt(20), eos = b.getInt(24), split = b.getInt(28);
        long tokens = b.getLong(32), docs = b.getLong(40);
        if (size != SIZE || (dtype != DTYPE_UINT16 && dtype != DTYPE_INT32) || vocab <= 0
                || (dtype == DTYPE_UINT16 && vocab > 65536) || eos < 0 || eos >= vocab
                || (split != SPLIT_TRAIN && split != SPLIT_VAL) || tokens < 0 || docs < 0 || docs > tokens) {
            throw new SeedlingException(file + " has an inconsistent header (header size " + size + ", dtype " + dtype
                    + ", vocab " + vocab + ", eos " + eos + ", split " + split + ", tokens " + tokens + ", documents "
                    + docs + "); re-pack with `seedling pack`");
        }
        return new ShardHeader(dtype, vocab, eos, split, tokens, docs, b.getInt(48), b.getInt(52));
    }
}
