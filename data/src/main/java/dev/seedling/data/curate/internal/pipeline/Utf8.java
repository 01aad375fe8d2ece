package dev.seedling.data.curate.internal.pipeline;

/** UTF-8 sizes without encoding. */
public final class Utf8 {
    private Utf8() {}

    /** Bytes of {@code s} in UTF-8 (an unpaired surrogate counts as 3 bytes, as U+FFFD). */
    public static long length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // 4 bytes for 2 chars
                i++;
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD (the same string when there is none). */
    public static String wellFormed(String s) {
        int n = s.length();
        StringBuilder sb = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                if (sb != null) sb.append(c);
                continue;
            }
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                if (sb != null) sb.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            if (sb == null) sb = new StringBuilder(n).append(s, 0, i);
            sb.append('\uFFFD');
        }
        return sb == null ? s : sb.toString();
    }
}
