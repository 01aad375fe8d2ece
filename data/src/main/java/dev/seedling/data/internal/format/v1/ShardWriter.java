package dev.seedling.data.internal.format.v1;

import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes one split as a sequence of shards {@code <split>-00000.bin, …} of at most {@code shardTokens} tokens each.
 * Shards are written under hidden temp names ({@code .<name>.tmp}) and fsync'ed when full; {@link #finish} returns
 * them for the caller to rename into place once every split is complete. Not thread-safe.
 */
public final class ShardWriter implements AutoCloseable {
    /** A finished shard waiting under {@code tmp} to be renamed to {@code fileName}. */
    public record Written(String fileName, Path tmp, ShardHeader header) {}

    private final Path dir;
    private final String splitName;
    private final int split, dtype, vocabSize, eosId;
    private final long shardTokens;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32 crc = new CRC32();
    private final List<Written> written = new ArrayList<>();

    private FileChannel channel;
    private Path tmp;
    private long tokens, docs, totalTokens, totalDocs;

    public ShardWriter(Path dir, String splitName, int split, int vocabSize, int eosId, long shardTokens) {
        this.dir = dir;
        this.splitName = splitName;
        this.split = split;
        this.dtype = ShardHeader.dtypeFor(vocabSize);
        this.vocabSize = vocabSize;
        this.eosId = eosId;
        this.shardTokens = shardTokens;
    }

    public static String fileName(String splitName, int shard) {
        return String.format("%s-%05d.bin", splitName, shard);
    }

    public long totalTokens() {
        return totalTokens;
    }

    public long totalDocuments() {
        return totalDocs;
    }

    /** Appends {@code ids[from, to)}; every id must be in {@code [0, vocabSize)}. */
    public void write(int[] ids, int from, int to) {
        for (int i = from; i < to; i++) write(ids[i]);
    }

    public void write(int id) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalStateException("token id " + id + " outside the vocabulary [0, " + vocabSize + ")");
        }
        try {
            if (channel == null || tokens == shardTokens) {
                if (channel != null) closeShard();
                openShard();
            }
            if (buf.remaining() < 4) flush();
            if (dtype == ShardHeader.DTYPE_UINT16) buf.putShort((short) id);
            else buf.putInt(id);
            tokens++;
            totalTokens++;
            if (id == eosId) {
                docs++;
                totalDocs++;
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void openShard() throws IOException {
        String name = fileName(splitName, written.size());
        tmp = dir.resolve("." + name + ".tmp");
        channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        channel.write(ByteBuffer.allocate(ShardHeader.SIZE), 0);
        channel.position(ShardHeader.SIZE);
        crc.reset();
        tokens = 0;
        docs = 0;
    }

    private void flush() throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) channel.write(buf);
        buf.clear();
    }

    private void closeShard() throws IOException {
        flush();
        ShardHeader h = new ShardHeader(dtype, vocabSize, eosId, split, tokens, docs, (int) crc.getValue(), written.size());
        ByteBuffer hb = ByteBuffer.wrap(h.encode());
        long pos = 0;
        while (hb.hasRemaining()) pos += channel.write(hb, pos);
        channel.force(true);
        channel.close();
        channel = null;
        written.add(new Written(fileName(splitName, written.size()), tmp, h));
        tmp = null;
    }

    /** Completes the last shard; returns every shard of this split (none when nothing was written). */
    public List<Written> finish() {
        try {
            if (channel != null) closeShard();
        } catch (IOException e) {
            throw failed(e);
        }
        return List.copyOf(written);
    }

    /** Deletes every temp file this writer made (after a failure). */
    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            channel = null;
        }
        AtomicFiles.deleteQuietly(tmp);
        for (Written w : written) AtomicFiles.deleteQuietly(w.tmp());
    }

    private SeedlingException failed(IOException e) {
        return new SeedlingException("cannot write a " + splitName + " shard in " + dir + ": " + e
                + "; check free disk space and permissions", e);
    }
}
