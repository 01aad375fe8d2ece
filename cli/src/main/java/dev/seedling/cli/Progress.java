package dev.seedling.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for long work: redrawn in place on a terminal, plain periodic lines otherwise (logs, CI). Shows
 * the fraction done, the rate, the ETA and a caller-supplied status (loss, MFU…).
 */
final class Progress {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean tty;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private final long plainEveryNanos;

    Progress(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.tty = System.console() != null && System.getenv("CI") == null;
        this.plainEveryNanos = 10_000_000_000L;
    }

    /** Updates to {@code done} of total with a status text; redraws at most 10×/s (plain: every 10 s and at the end). */
    void update(long done, long startedAt, String status) {
        long now = System.nanoTime();
        boolean end = done >= total;
        if (tty ? (now - lastDraw < 100_000_000L && !end) : (now - lastDraw < plainEveryNanos && !end && lastDraw != 0)) return;
        lastDraw = now;
        double elapsed = (now - startNanos) / 1e9;
        long ranHere = Math.max(0, done - startedAt);
        double perItem = ranHere > 0 ? elapsed / ranHere : Double.NaN;
        double eta = perItem * (total - done);
        double frac = (double) done / total;
        if (tty) {
            int width = 28, filled = (int) Math.round(frac * width);
            String bar = "█".repeat(filled) + "░".repeat(width - filled);
            out.print(String.format(Locale.ROOT, "\r%s %s %5.1f%% %d/%d  %s  ETA %s\u001b[K", label, bar, 100 * frac, done,
                    total, status, time(eta)));
            if (end) out.println();
        } else {
            out.println(String.format(Locale.ROOT, "%s %d/%d (%.1f%%) %s ETA %s", label, done, total, 100 * frac, status, time(eta)));
        }
        out.flush();
    }

    /** Prints a line without breaking the bar. */
    void note(String line) {
        if (tty) out.print("\r\u001b[K");
        out.println(line);
        lastDraw = 0;
    }

    static String time(double seconds) {
        if (!Double.isFinite(seconds)) return "--:--";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%02d:%02d", s / 60, s % 60);
    }
}
