package dev.seedling.tokenizer.internal;

import java.util.Arrays;

/** UTF-8 coding with the exact leniency rules byte-level tokenizers need. */
public final class Utf8 {
    private Utf8() {}

    private static final char REPLACEMENT = '\uFFFD';

    /**
     * Appends the UTF-8 bytes of {@code s[from, to)} to {@code out} starting at {@code pos}; an unpaired surrogate
     * is written as U+FFFD (EF BF BD). Returns the new position; {@code out} must have room for {@code 3*(to-from)}
     * bytes.
     */
    public static int encode(CharSequence s, int from, int to, byte[] out, int pos) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[pos++] = (byte) c;
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | (c >> 6));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out[pos++] = (byte) (0xF0 | (cp >> 18));
                    out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    out[pos++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    out[pos++] = (byte) 0xEF;
                    out[pos++] = (byte) 0xBF;
                    out[pos++] = (byte) 0xBD;
                }
            } else {
                out[pos++] = (byte) (0xE0 | (c >> 12));
                out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    /**
     * Decodes {@code bytes[0, n)} leniently: each maximal ill-formed subpart becomes one U+FFFD (the Unicode
     * "substitution of maximal subparts" practice, as Rust's {@code String::from_utf8_lossy} and so HF
     * {@code tokenizers} do).
     */
    public static String decodeLossy(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int need, lo = 0x80, hi = 0xBF, cp;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) lo = 0xA0;
                if (b0 == 0xED) hi = 0x9F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) lo = 0x90;
                if (b0 == 0xF4) hi = 0x8F;
            } else {
                sb.append(REPLACEMENT);
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                int c = j < n ? bytes[j] & 0xFF : -1;
                if (c < lo || c > hi) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (c & 0x3F);
                lo = 0x80;
                hi = 0xBF;
            }
            if (ok) sb.appendCodePoint(cp);
            else sb.append(REPLACEMENT);
            i = j;
        }
        return sb.toString();
    }

    /** Offset of the first byte of {@code bytes[0, n)} that breaks strict UTF-8, or -1 when all is valid. */
    public static int firstInvalid(byte[] bytes, int n) {
        int i = 0;
        while (i < n) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int need, lo = 0x80, hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) need = 1;
            else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                if (b0 == 0xE0) lo = 0xA0;
                if (b0 == 0xED) hi = 0x9F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                if (b0 == 0xF0) lo = 0x90;
                if (b0 == 0xF4) hi = 0x8F;
            } else return i;
            for (int k = 1; k <= need; k++) {
                int c = i + k < n ? bytes[i + k] & 0xFF : -1;
                if (c < lo || c > hi) return i;
                lo = 0x80;
                hi = 0xBF;
            }
            i += need + 1;
        }
        return -1;
    }

    /** {@code bytes} grown to at least {@code min} (doubling), contents kept. */
    public static byte[] grow(byte[] bytes, int min) {
        return bytes.length >= min ? bytes : Arrays.copyOf(bytes, Math.max(min, bytes.length * 2));
    }
}
