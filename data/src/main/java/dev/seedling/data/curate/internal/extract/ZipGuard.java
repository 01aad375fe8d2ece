package dev.seedling.data.curate.internal.extract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Zip-bomb check for ZIP containers (.docx, .xlsx, .pptx) before a parser opens them: inflates every entry once,
 * counting real bytes (entry headers can lie), and rejects the file when the total passes a limit, an entry of more
 * than 1 MiB inflates more than {@link #MAX_RATIO} times, or there are more than {@link #MAX_ENTRIES} entries.
 * Stateless and thread-safe.
 */
public final class ZipGuard {
    /** Largest inflate ratio accepted for an entry above 1 MiB (Apache POI's own default is 1:100 as well). */
    public static final int MAX_RATIO = 100;
    public static final int MAX_ENTRIES = 10_000;
    private static final long RATIO_GRACE = 1L << 20;

    private ZipGuard() {}

    /** Throws {@link Skip} ({@code "zip_bomb"} or {@code "zip_error"}) unless {@code zip} is safe to open. */
    public static void check(byte[] zip, long maxInflatedBytes) throws Skip {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) throw new Skip("zip_bomb", "more than " + MAX_ENTRIES + " zip entries");
                long size = 0;
                int r;
                while ((r = in.read(buf)) > 0) {
                    size += r;
                    total += r;
                    if (total > maxInflatedBytes) {
                        throw new Skip("zip_bomb", "inflates to more than " + maxInflatedBytes + " bytes");
                    }
                }
                long packed = e.getCompressedSize();
                if (size > RATIO_GRACE && packed > 0 && size > packed * MAX_RATIO) {
                    throw new Skip("zip_bomb", "entry " + e.getName() + " inflates " + size / packed + " times");
                }
            }
        } catch (IOException | IllegalArgumentException ex) {
            throw new Skip("zip_error", "not a readable zip container: " + ex.getMessage());
        }
        if (entries == 0) throw new Skip("zip_error", "empty or unreadable zip container");
    }
}
