package dev.seedling.data.curate.internal.extract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a text file into a string: binary detection (magic numbers, NUL bytes, share of control
 * bytes), then the encoding: a byte-order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE), UTF-16 without a mark (zero bytes
 * in every other position), valid UTF-8, else windows-1252 (a superset of ISO-8859-1's printable range).
 * Stateless and thread-safe.
 */
public final class TextDecoder {
    /** The decoded text and the encoding it was read with; {@code fallback} is true for the windows-1252 guess. */
    public record Decoded(String text, String encoding, boolean fallback) {}

    private static final Charset CP1252 = Charset.forName("windows-1252");
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
    /** Control bytes allowed in text: TAB, LF, VT, FF, CR, ESC (ANSI colour codes in logs). */
    private static final long ALLOWED_CONTROLS = (1L << 9) | (1L << 10) | (1L << 11) | (1L << 12) | (1L << 13) | (1L << 27);
    private static final int SNIFF = 8192;

    private TextDecoder() {}

    /**
     * The name of a binary format recognised by its first bytes ({@code "png"}, {@code "zip"}, {@code "elf"}…),
     * or {@code null}. PDF and OLE2/ZIP office containers are reported too; callers decide what is acceptable.
     */
    public static String magic(byte[] b, int n) {
        if (n >= 8 && u(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return "png";
        if (n >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) return "jpeg";
        if (n >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return "gif";
        if (n >= 4 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F') return "pdf";
        if (n >= 4 && b[0] == 'P' && b[1] == 'K' && (u(b, 2) == 3 || u(b, 2) == 5 || u(b, 2) == 7)) return "zip";
        if (n >= 2 && u(b, 0) == 0x1F && u(b, 1) == 0x8B) return "gzip";
        if (n >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') return "bzip2";
        if (n >= 6 && u(b, 0) == 0xFD && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z') return "xz";
        if (n >= 6 && b[0] == '7' && b[1] == 'z' && u(b, 2) == 0xBC && u(b, 3) == 0xAF) return "7z";
        if (n >= 4 && b[0] == 'R' && b[1] == 'a' && b[2] == 'r' && b[3] == '!') return "rar";
        if (n >= 4 && u(b, 0) == 0x28 && u(b, 1) == 0xB5 && u(b, 2) == 0x2F && u(b, 3) == 0xFD) return "zstd";
        if (n >= 4 && u(b, 0) == 0x7F && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') return "elf";
        if (n >= 64 && b[0] == 'M' && b[1] == 'Z' && b[0x3D] == 0 || n >= 64 && b[0] == 'M' && b[1] == 'Z' && b[0x3F] == 0) return "exe";
        if (n >= 4 && u(b, 0) == 0xCA && u(b, 1) == 0xFE && u(b, 2) == 0xBA && u(b, 3) == 0xBE) return "class";
        if (n >= 4 && (u(b, 0) == 0xCF || u(b, 0) == 0xCE) && u(b, 1) == 0xFA && u(b, 2) == 0xED && u(b, 3) == 0xFE) return "macho";
        if (n >= 8 && u(b, 0) == 0xD0 && u(b, 1) == 0xCF && u(b, 2) == 0x11 && u(b, 3) == 0xE0) return "ole2";
        if (n >= 16 && b[0] == 'S' && b[1] == 'Q' && b[2] == 'L' && b[3] == 'i' && b[4] == 't' && b[5] == 'e') return "sqlite";
        if (n >= 4 && b[0] == 0 && b[1] == 'a' && b[2] == 's' && b[3] == 'm') return "wasm";
        if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F') return "riff";
        if (n >= 3 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') return "mp3";
        if (n >= 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') return "mp4";
        if (n >= 4 && b[0] == 'O' && b[1] == 'g' && b[2] == 'g' && b[3] == 'S') return "ogg";
        if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) return "tiff";
        return null;
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    /** UTF-16/32 from a byte-order mark, or UTF-16 guessed from zero bytes in alternate positions; else null. */
    static Charset wideCharset(byte[] b, int n) {
        if (n >= 4 && u(b, 0) == 0xFF && u(b, 1) == 0xFE && b[2] == 0 && b[3] == 0) return UTF_32LE;
        if (n >= 4 && b[0] == 0 && b[1] == 0 && u(b, 2) == 0xFE && u(b, 3) == 0xFF) return UTF_32BE;
        if (n >= 2 && u(b, 0) == 0xFF && u(b, 1) == 0xFE) return StandardCharsets.UTF_16LE;
        if (n >= 2 && u(b, 0) == 0xFE && u(b, 1) == 0xFF) return StandardCharsets.UTF_16BE;
        int m = Math.min(n, SNIFF) & ~1;
        if (m < 4) return null;
        int zeroEven = 0, zeroOdd = 0;
        for (int i = 0; i < m; i += 2) {
            if (b[i] == 0) zeroEven++;
            if (b[i + 1] == 0) zeroOdd++;
        }
        int half = m / 2;
        // Text in a Latin script is mostly ASCII: its high bytes are zero. Require a clear majority on one side
        // and almost none on the other.
        if (zeroOdd * 10 >= half * 6 && zeroEven * 50 <= half) return StandardCharsets.UTF_16LE;
        if (zeroEven * 10 >= half * 6 && zeroOdd * 50 <= half) return StandardCharsets.UTF_16BE;
        return null;
    }

    /**
     * Why {@code b[0, n)} is not text ({@code "magic:png"}, {@code "nul_bytes"}, {@code "control_bytes"}), or null
     * when it looks like text. UTF-16/32 text (with or without a mark) is text.
     */
    public static String binaryReason(byte[] b, int n) {
        String m = magic(b, n);
        if (m != null) return "magic:" + m;
        if (wideCharset(b, n) != null) return null;
        for (int i = 0; i < n; i++) if (b[i] == 0) return "nul_bytes";
        int sniff = Math.min(n, SNIFF), controls = 0;
        for (int i = 0; i < sniff; i++) {
            int c = b[i] & 0xFF;
            if ((c < 0x20 && (ALLOWED_CONTROLS & (1L << c)) == 0) || c == 0x7F) controls++;
        }
        return controls * 10 > sniff ? "control_bytes" : null;
    }

    /** Decodes {@code b[0, n)}, which {@link #binaryReason} accepted. */
    public static Decoded decode(byte[] b, int n) {
        Charset wide = wideCharset(b, n);
        if (wide != null) {
            int skip = (wide == UTF_32LE || wide == UTF_32BE) ? 4
                    : (n >= 2 && ((u(b, 0) == 0xFF && u(b, 1) == 0xFE) || (u(b, 0) == 0xFE && u(b, 1) == 0xFF))) ? 2 : 0;
            return new Decoded(new String(b, skip, n - skip, wide), wide.name(), false);
        }
        int start = n >= 3 && u(b, 0) == 0xEF && u(b, 1) == 0xBB && u(b, 2) == 0xBF ? 3 : 0;
        // fast path: the JDK's decoder replaces bad input with U+FFFD; only when one shows up is a strict check needed
        String utf8 = new String(b, start, n - start, StandardCharsets.UTF_8);
        if (utf8.indexOf('\uFFFD') < 0 || isValidUtf8(b, start, n)) return new Decoded(utf8, "UTF-8", false);
        if (start == 3) return new Decoded(utf8, "UTF-8", true); // a UTF-8 mark with broken bytes after it
        return new Decoded(new String(b, 0, n, CP1252), "windows-1252", true);
    }

    /** True when {@code b[from, to)} is well-formed UTF-8 (ASCII runs are skipped fast). */
    public static boolean isValidUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] >= 0) i++;
        if (i == to) return true;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, i, to - i);
        CharBuffer out = CharBuffer.allocate(Math.min(to - i, 1 << 16));
        while (true) {
            CoderResult r = dec.decode(in, out, true);
            if (r.isError()) return false;
            if (r.isUnderflow()) break;
            out.clear();
        }
        out.clear();
        return !dec.flush(out).isError();
    }
}
