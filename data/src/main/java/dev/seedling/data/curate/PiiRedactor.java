package dev.seedling.data.curate;

import dev.seedling.data.curate.internal.text.PiiScanner;

/**
 * Replaces personal data and secrets with typed placeholders ({@link PiiType#placeholder()}, e.g. {@code <EMAIL>},
 * {@code <PHONE>}, {@code <IP_ADDRESS>}, {@code <CREDIT_CARD>}, {@code <IBAN>}, {@code <SECRET>}). The report counts
 * every replacement under {@link PiiType#key()} (the audit count per type) and keeps, per type, examples of the
 * redacted text around the first placeholder (never the original value). The detection rules, including which
 * look-alikes (version numbers, dates, fault and part codes, ISBNs, Luhn-failing numbers, bad IBAN checksums)
 * are left alone, are listed on {@code internal.text.PiiScanner}; in short, a dotted quad after "v" or "version"
 * (and a few similar words) is a version, not an address.
 *
 * <p>One linear pass per document; unordered and thread-safe (no state besides the configuration).
 */
public final class PiiRedactor implements DocStage {
    private static final PiiType[] TYPES = {PiiType.EMAIL, PiiType.PHONE, PiiType.IP_ADDRESS, PiiType.CREDIT_CARD,
            PiiType.IBAN, PiiType.SECRET}; // in PiiScanner's type order
    private static final int EXCERPT_RADIUS = 60;

    private final PiiConfig config;
    private final boolean[] enabled = new boolean[TYPES.length];
    private final boolean any;

    public PiiRedactor(PiiConfig config) {
        this.config = config;
        boolean a = false;
        for (int t = 0; t < TYPES.length; t++) a |= enabled[t] = config.enabled(TYPES[t]);
        this.any = a;
    }

    public PiiConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "pii";
    }

    /** A match: {@code text.substring(start, end)} is of kind {@code type}. */
    public record Match(int start, int end, PiiType type) {}

    /** The matches in {@code text}, in order, non-overlapping (for audits and tests). */
    public java.util.List<Match> find(String text) {
        if (!any) return java.util.List.of();
        PiiScanner.Spans spans = PiiScanner.scan(text, enabled);
        java.util.List<Match> out = new java.util.ArrayList<>(spans.n);
        for (int k = 0; k < spans.n; k++) out.add(new Match(spans.start(k), spans.end(k), TYPES[spans.type(k)]));
        return out;
    }

    /** {@code text} with every match replaced by its placeholder. */
    public String redact(String text) {
        return redact(text, null, null);
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        String text = doc.text();
        String out = redact(text, doc, report);
        return out == text ? doc : doc.withText(out);
    }

    private String redact(String text, CurDoc doc, StageReport report) {
        if (!any) return text;
        PiiScanner.Spans spans = PiiScanner.scan(text, enabled);
        if (spans.n == 0) return text;
        StringBuilder sb = new StringBuilder(text.length());
        int[] perType = new int[TYPES.length];
        int[] firstAt = new int[TYPES.length];
        int prev = 0;
        for (int k = 0; k < spans.n; k++) {
            int t = spans.type(k);
            sb.append(text, prev, spans.start(k));
            if (perType[t]++ == 0) firstAt[t] = sb.length();
            sb.append(TYPES[t].placeholder());
            prev = spans.end(k);
        }
        sb.append(text, prev, text.length());
        String out = sb.toString();
        if (report != null) {
            for (int t = 0; t < TYPES.length; t++) {
                if (perType[t] == 0) continue;
                report.count(TYPES[t].key(), perType[t]);
                int from = Math.max(0, firstAt[t] - EXCERPT_RADIUS), to = Math.min(out.length(), firstAt[t] + EXCERPT_RADIUS);
                report.example(TYPES[t].key(), doc, out.substring(from, to));
            }
        }
        return out;
    }
}
