package dev.seedling.data;

import java.time.Duration;

/**
 * Where a running {@link Packer#pack} stands; handed to the progress callback about once a second and once at the end.
 *
 * @param documents      documents tokenized so far
 * @param totalDocuments documents in the input (counted by the first pass)
 * @param tokens         tokens written so far (train + val, EOS included)
 * @param elapsed        time since tokenizing started
 */
public record PackProgress(long documents, long totalDocuments, long tokens, Duration elapsed) {
    /** A plain progress line with rate and ETA, e.g. {@code "pack: 1200/5000 documents (24%), 3.4M tokens, 1.2M tokens/s, ETA 12s"}. */
    public String line() {
        double secs = Math.max(1e-9, elapsed.toNanos() / 1e9);
        double rate = tokens / secs;
        long etaSecs = documents == 0 ? -1 : Math.round(secs * (totalDocuments - documents) / documents);
        return String.format(java.util.Locale.ROOT, "pack: %d/%d documents (%d%%), %s tokens, %s tokens/s, ETA %s",
                documents, totalDocuments, totalDocuments == 0 ? 100 : documents * 100 / totalDocuments,
                human(tokens), human(rate), etaSecs < 0 ? "?" : etaSecs + "s");
    }

    private static String human(double v) {
        if (v >= 1e9) return String.format(java.util.Locale.ROOT, "%.1fG", v / 1e9);
        if (v >= 1e6) return String.format(java.util.Locale.ROOT, "%.1fM", v / 1e6);
        if (v >= 1e3) return String.format(java.util.Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(java.util.Locale.ROOT, "%.0f", v);
    }
}
