package dev.seedling.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The tokens of one split: its shards concatenated in order, read through memory maps owned by the
 * {@link TokenShards} that made it (valid until that is closed). Thread-safe for reading.
 */
public final class TokenSplit {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Split split;
    private final MemorySegment[] payloads; // each shard's tokens, header excluded
    private final long[] starts; // starts[i] = first token index of shard i; starts[n] = size
    private final boolean uint16;
    private final long documents;

    TokenSplit(Split split, MemorySegment[] payloads, long[] counts, boolean uint16, long documents) {
        this.split = split;
        this.payloads = payloads;
        this.uint16 = uint16;
        this.documents = documents;
        this.starts = new long[payloads.length + 1];
        for (int i = 0; i < payloads.length; i++) starts[i + 1] = starts[i] + counts[i];
    }

    public Split split() {
        return split;
    }

    /** Number of tokens (0 for an empty validation split). */
    public long size() {
        return starts[payloads.length];
    }

    /** Number of EOS tokens, i.e. complete documents. */
    public long documents() {
        return documents;
    }

    /** Token {@code i} of the split, {@code 0 <= i < size()}. */
    public int token(long i) {
        Objects.checkIndex(i, size());
        int s = shardOf(i);
        long off = i - starts[s];
        return uint16 ? payloads[s].getAtIndex(U16, off) & 0xFFFF : payloads[s].getAtIndex(I32, off);
    }

    /** Copies tokens {@code [from, from + length)} into {@code dst[offset, offset + length)}. Allocates nothing. */
    public void read(long from, int[] dst, int offset, int length) {
        Objects.checkFromIndexSize(from, length, size());
        Objects.checkFromIndexSize(offset, length, dst.length);
        int s = length == 0 ? 0 : shardOf(from);
        long pos = from;
        int done = 0;
        while (done < length) {
            long off = pos - starts[s];
            int n = (int) Math.min(length - done, starts[s + 1] - pos);
            MemorySegment seg = payloads[s];
            if (uint16) {
                for (int k = 0; k < n; k++) dst[offset + done + k] = seg.getAtIndex(U16, off + k) & 0xFFFF;
            } else {
                MemorySegment.copy(seg, I32, off * 4, dst, offset + done, n);
            }
            done += n;
            pos += n;
            s++;
        }
    }

    private int shardOf(long i) {
        int lo = 0, hi = payloads.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= i) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
