package dev.seedling.data.curate.internal.text;

import dev.seedling.data.curate.internal.hash.Murmur3;
import java.text.Normalizer;

/**
 * The normalised form used by exact deduplication, hashed to 128 bits without building a {@code String}: optional NFC,
 * lower-casing, whitespace collapsing (runs become one space, ends trimmed) and punctuation removal (every run of
 * non-word chars, see {@link Words#isWordCodePoint}, becomes one space). Thread-safe: scratch is per thread.
 */
public final class TextKey {
    private TextKey() {}

    private static final ThreadLocal<char[][]> SCRATCH = ThreadLocal.withInitial(() -> new char[][] {new char[1 << 14]});

    /** Writes the 128-bit key of {@code text} into {@code out[0..1]}. */
    public static void hash(String text, boolean nfc, boolean lowercase, boolean collapseWhitespace,
                            boolean ignorePunctuation, long seed, long[] out) {
        String s = nfc ? nfc(text) : text;
        int len = s.length();
        char[][] holder = SCRATCH.get();
        char[] buf = holder[0];
        if (buf.length < len) buf = holder[0] = new char[Math.max(len, buf.length * 2)];
        int n = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            boolean separator;
            if (ignorePunctuation) {
                separator = c < 128 ? !Character.isLetterOrDigit(c) : !wordChar(s, i, c);
            } else {
                separator = collapseWhitespace && (c == ' ' || (c < 128 ? c >= 9 && c <= 13 : Character.isWhitespace(c) || c == '\u00A0'));
            }
            if (separator) {
                if (ignorePunctuation || collapseWhitespace) {
                    pendingSpace = n > 0;
                    continue;
                }
            }
            if (pendingSpace) {
                buf[n++] = ' ';
                pendingSpace = false;
            }
            buf[n++] = lowercase ? (c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c)) : c;
        }
        Murmur3.hash128(buf, 0, n, seed, out);
    }

    private static boolean wordChar(String s, int i, char c) {
        if (Character.isSurrogate(c)) {
            int cp = s.codePointAt(Character.isHighSurrogate(c) ? i : Math.max(0, i - 1));
            return Words.isWordCodePoint(cp);
        }
        return Words.isWordCodePoint(c);
    }

    /** {@code text} in NFC; a text with no char at or above U+0300 is returned as is (it is NFC already). */
    public static String nfc(String text) {
        int len = text.length();
        boolean high = false;
        for (int i = 0; i < len; i++) {
            if (text.charAt(i) >= 0x300) {
                high = true;
                break;
            }
        }
        if (!high || Normalizer.isNormalized(text, Normalizer.Form.NFC)) return text;
        return Normalizer.normalize(text, Normalizer.Form.NFC);
    }
}
