package dev.seedling.data.curate;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a running {@link Curator#run} stands; handed to the progress callback about once a second and once at the
 * end of each phase.
 *
 * @param phase        {@code "count"} during the pre-pass (counting lines repeated across documents), then
 *                     {@code "curate"}
 * @param docsRead     documents read from the input so far in this phase
 * @param bytesRead    UTF-8 bytes of their text
 * @param totalBytes   size of the input files on disk, the denominator of a progress bar (-1 when unknown; text can
 *                     be smaller than its files, e.g. PDFs, so {@link #fraction()} is clamped)
 * @param docsWritten  documents written to {@code docs.jsonl} so far (0 in the count phase)
 * @param bytesWritten UTF-8 bytes of their text
 * @param elapsed      time since this phase started
 * @param finished     true on the last call of the phase
 */
public record CuratorProgress(String phase, long docsRead, long bytesRead, long totalBytes, long docsWritten,
                              long bytesWritten, Duration elapsed, boolean finished) {
    /** Input megabytes (10^6 bytes of text) per second in this phase. */
    public double mbPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : bytesRead / 1e6 / s;
    }

    /** Share of the input done, in [0, 1] (0 when the total is unknown). */
    public double fraction() {
        if (totalBytes <= 0) return 0;
        return Math.min(1.0, (double) bytesRead / totalBytes);
    }

    /** A plain line, e.g. {@code "curate: 12,000 docs (48.2 MB) read, 10,900 written, 31.5 MB/s"}. */
    public String line() {
        return String.format(Locale.ROOT, "%s: %,d docs (%.1f MB) read, %,d written, %.1f MB/s", phase, docsRead,
                bytesRead / 1e6, docsWritten, mbPerSecond());
    }
}
