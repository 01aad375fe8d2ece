package dev.seedling.tokenizer.internal;

/**
 * The GPT-2 byte-to-unicode table used by byte-level BPE ({@code ByteLevel} pre-tokenizer and decoder in HF
 * {@code tokenizers}): every byte maps to one printable code point. Printable Latin-1 bytes
 * ({@code '!'..'~'}, {@code '¡'..'¬'}, {@code '®'..'ÿ'}) map to themselves; the other 68 bytes, in increasing order,
 * map to U+0100, U+0101, … so that no byte maps to whitespace or a control character.
 */
public final class ByteLevel {
    private ByteLevel() {}

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    /** The code point that stands for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b];
    }

    /** The byte that {@code c} stands for, or -1 when {@code c} is not in the table. */
    public static int byteOf(int c) {
        return c >= 0 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }
}
