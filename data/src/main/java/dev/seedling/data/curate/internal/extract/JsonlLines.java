package dev.seedling.data.curate.internal.extract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads the lines of a JSON Lines file from a byte offset, a bounded number at a time, reopening the file for each
 * call: a caller can stop between calls without leaving a file open. Lines longer than a limit are skipped (their
 * number is reported), a trailing CR is dropped. Not thread-safe; one instance per file pass.
 */
public final class JsonlLines {
    /** Receives one line: its 1-based number and bytes {@code line[0, length)}, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void line(long lineNo, byte[] line, int length);
    }

    private final Path file;
    private final long maxLineBytes;
    private long offset;
    private long lineNo;
    private long tooLong;
    private boolean eof;
    private byte[] buf = new byte[4096];

    public JsonlLines(Path file, long maxLineBytes) {
        this.file = file;
        this.maxLineBytes = maxLineBytes;
    }

    public boolean eof() {
        return eof;
    }

    /** Lines skipped so far for being longer than the limit. */
    public long tooLong() {
        return tooLong;
    }

    /** Lines read so far (including blank and skipped ones). */
    public long lines() {
        return lineNo;
    }

    /** Reads up to {@code maxLines} more lines into {@code sink}; returns how many were passed on. */
    public int read(int maxLines, Sink sink) throws IOException {
        if (eof) return 0;
        int passed = 0;
        byte[] chunk = new byte[1 << 16];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(offset);
            int len = 0, pos = 0;
            int n = 0;          // bytes of the current line kept in buf
            long seen = 0;      // bytes of the current line, newline excluded
            while (passed < maxLines) {
                if (pos == len) {
                    len = ch.read(ByteBuffer.wrap(chunk));
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        eof = true;
                        if (seen > 0) {
                            offset += seen;
                            finishLine(n, seen, sink);
                            passed++;
                        }
                        break;
                    }
                }
                int stop = pos;
                while (stop < len && chunk[stop] != '\n') stop++;
                int take = stop - pos;
                if (seen + take <= maxLineBytes) {
                    if (n + take > buf.length) buf = Arrays.copyOf(buf, (int) Math.min(maxLineBytes, Math.max(n + take, 2L * buf.length)));
                    System.arraycopy(chunk, pos, buf, n, take);
                    n += take;
                }
                seen += take;
                pos = stop;
                if (stop < len) { // newline
                    pos++;
                    offset += seen + 1;
                    if (finishLine(n, seen, sink)) passed++;
                    n = 0;
                    seen = 0;
                }
            }
        }
        return passed;
    }

    private boolean finishLine(int n, long seen, Sink sink) {
        lineNo++;
        if (seen > maxLineBytes) {
            tooLong++;
            return false;
        }
        if (n > 0 && buf[n - 1] == '\r') n--;
        sink.line(lineNo, buf, n);
        return true;
    }
}
