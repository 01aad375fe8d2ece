package dev.seedling.data.curate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link CurateReport} as one self-contained HTML page: inline CSS and SVG charts, no scripts, no external
 * resources; every piece of document text is HTML-escaped. Stateless and thread-safe.
 */
public final class ReportHtml {
    private ReportHtml() {}

    private static final String KEPT = "#3b8e5a", DROPPED = "#c8553d", CHANGED = "#e0a030", BEFORE = "#8aa1c1", AFTER = "#3b6ea8";

    public static String render(CurateReport r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Seedling curation report</title>\n")
                .append("<style>\nbody{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\n")
                .append("h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .7em;border-bottom:1px solid #eee;text-align:right}\n")
                .append("td:first-child,th:first-child{text-align:left}th{background:#f6f6f6}\n")
                .append("pre{white-space:pre-wrap;word-break:break-word;background:#f8f8f8;border:1px solid #eee;padding:.5em;margin:.3em 0;font-size:12px}\n")
                .append("details{margin:.3em 0}summary{cursor:pointer}.muted{color:#777}.warn{background:#fff4e0;border:1px solid #f0c070;padding:.5em 1em}\n")
                .append(".legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:middle}\n")
                .append("</style></head><body>\n");
        h.append("<h1>Curation report</h1>\n<p>").append(esc(r.summary())).append("</p>\n");
        h.append("<p class=\"muted\">Inputs: ").append(esc(String.join(", ", r.inputs()))).append(" &middot; output: ")
                .append(esc(r.output())).append("</p>\n");
        for (String w : r.warnings()) h.append("<p class=\"warn\">").append(esc(w)).append("</p>\n");

        funnel(h, r);
        stageTable(h, r);
        histograms(h, r);
        reasons(h, r);
        examples(h, r);
        if (!r.pii().isEmpty()) counts(h, "Personal data redacted", "type", "redactions", r.pii());
        if (!r.languages().isEmpty()) counts(h, "Languages", "language", "documents", r.languages());
        clusters(h, r);
        if (!r.skippedFiles().isEmpty()) counts(h, "Skipped input", "reason", "count", r.skippedFiles());
        sources(h, r);
        h.append("<h2>Configuration</h2>\n<details><summary>resolved configuration (config.json)</summary><pre>")
                .append(esc(prettyConfig(r.config()))).append("</pre></details>\n");
        h.append("<p class=\"muted\">Sizes: MB = 10<sup>6</sup> bytes of UTF-8 text; stage sizes count characters. ")
                .append("Stage seconds are summed over threads, so Mchar/s is the speed of one core.</p>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    // ---- charts ----

    /** One horizontal bar per stage: documents kept (green), changed (amber, part of kept) and dropped (red). */
    private static void funnel(StringBuilder h, CurateReport r) {
        h.append("<h2>Documents through the stages</h2>\n");
        List<CurateReport.Stage> stages = r.stages();
        long max = 1;
        for (CurateReport.Stage s : stages) max = Math.max(max, Math.max(s.docsIn(), s.docsKept()));
        int rowH = 26, labelW = 150, barW = 620, width = labelW + barW + 240;
        int height = stages.size() * rowH + 30;
        h.append(svgOpen(width, height, "documents kept and dropped per stage"));
        int y = 6;
        for (CurateReport.Stage s : stages) {
            double kept = (double) s.docsKept() / max * barW, changed = (double) Math.min(s.docsChanged(), s.docsKept()) / max * barW;
            double dropped = (double) s.docsDropped() / max * barW;
            h.append(text(labelW - 8, y + 17, "end", esc(s.name())));
            h.append(rect(labelW, y + 3, kept - changed, rowH - 8, KEPT, s.docsKept() + " kept"));
            h.append(rect(labelW + kept - changed, y + 3, changed, rowH - 8, CHANGED, s.docsChanged() + " changed"));
            h.append(rect(labelW + kept, y + 3, dropped, rowH - 8, DROPPED, s.docsDropped() + " dropped"));
            h.append(text(labelW + kept + dropped + 6, y + 17, "start", String.format(Locale.ROOT, "%,d kept%s%s",
                    s.docsKept(), s.docsDropped() > 0 ? String.format(Locale.ROOT, ", %,d dropped", s.docsDropped()) : "",
                    s.docsChanged() > 0 ? String.format(Locale.ROOT, ", %,d changed", s.docsChanged()) : "")));
            y += rowH;
        }
        h.append("</svg>\n");
        h.append("<div class=\"legend\"><span style=\"background:").append(KEPT).append("\"></span>kept<span style=\"background:")
                .append(CHANGED).append("\"></span>kept, text changed<span style=\"background:").append(DROPPED)
                .append("\"></span>dropped</div>\n");

        h.append("<h2>Text volume through the stages</h2>\n");
        double maxMb = 1e-9;
        for (CurateReport.Stage s : stages) maxMb = Math.max(maxMb, Math.max(s.charsIn(), s.charsOut()) / 1e6);
        h.append(svgOpen(width, height, "text volume per stage"));
        y = 6;
        for (CurateReport.Stage s : stages) {
            double in = s.charsIn() / 1e6, out = s.charsOut() / 1e6;
            double wOut = out / maxMb * barW, wIn = Math.max(wOut, in / maxMb * barW);
            h.append(text(labelW - 8, y + 17, "end", esc(s.name())));
            h.append(rect(labelW, y + 3, wOut, rowH - 8, AFTER, String.format(Locale.ROOT, "%.2f MB out", out)));
            h.append(rect(labelW + wOut, y + 3, wIn - wOut, rowH - 8, DROPPED, String.format(Locale.ROOT, "%.2f MB removed", in - out)));
            h.append(text(labelW + wIn + 6, y + 17, "start", String.format(Locale.ROOT, "%.2f MB out of %.2f MB", out,
                    s.name().equals("ingest") ? out : in)));
            y += rowH;
        }
        h.append("</svg>\n");
    }

    /** Grouped vertical bars: documents per length bucket before (light) and after (dark) curation. */
    private static void histograms(StringBuilder h, CurateReport r) {
        h.append("<h2>Document lengths</h2>\n");
        List<CurateReport.Bucket> before = r.lengthsBefore(), after = r.lengthsAfter();
        if (before.isEmpty()) {
            h.append("<p class=\"muted\">no documents</p>\n");
            return;
        }
        long lo = before.getFirst().fromBytes(), hi = before.getLast().fromBytes();
        if (!after.isEmpty()) {
            lo = Math.min(lo, after.getFirst().fromBytes());
            hi = Math.max(hi, after.getLast().fromBytes());
        }
        List<Long> froms = new java.util.ArrayList<>();
        for (CurateReport.Bucket b : before) if (b.fromBytes() >= lo && b.fromBytes() <= hi) froms.add(b.fromBytes());
        for (CurateReport.Bucket b : after) if (!froms.contains(b.fromBytes())) froms.add(b.fromBytes());
        froms.sort(null);
        long max = 1;
        for (CurateReport.Bucket b : before) max = Math.max(max, b.docs());
        for (CurateReport.Bucket b : after) max = Math.max(max, b.docs());
        int groupW = Math.max(36, Math.min(80, 900 / Math.max(1, froms.size()))), plotH = 200, left = 50;
        int width = left + groupW * froms.size() + 20, height = plotH + 60;
        h.append(svgOpen(width, height, "histogram of document lengths before and after"));
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, plotH + 10, width - 10, plotH + 10));
        h.append(text(left - 6, 18, "end", String.format(Locale.ROOT, "%,d", max)));
        h.append(text(left - 6, plotH + 10, "end", "0"));
        for (int i = 0; i < froms.size(); i++) {
            long from = froms.get(i);
            long b = count(before, from), a = count(after, from);
            int x = left + i * groupW + 4;
            double hb = (double) b / max * plotH, ha = (double) a / max * plotH;
            h.append(rect(x, plotH + 10 - hb, groupW / 2.0 - 4, hb, BEFORE, String.format(Locale.ROOT, "%s: %,d before", size(from), b)));
            h.append(rect(x + groupW / 2.0 - 4, plotH + 10 - ha, groupW / 2.0 - 4, ha, AFTER, String.format(Locale.ROOT, "%s: %,d after", size(from), a)));
            h.append(text(x + groupW / 2.0 - 4, plotH + 28, "middle", "≥" + size(from)));
        }
        h.append(text(left, plotH + 50, "start", "UTF-8 bytes per document (log-scale buckets, each twice the previous)"));
        h.append("</svg>\n<div class=\"legend\"><span style=\"background:").append(BEFORE).append("\"></span>before<span style=\"background:")
                .append(AFTER).append("\"></span>after</div>\n");
    }

    private static long count(List<CurateReport.Bucket> buckets, long from) {
        for (CurateReport.Bucket b : buckets) if (b.fromBytes() == from) return b.docs();
        return 0;
    }

    // ---- tables ----

    private static void stageTable(StringBuilder h, CurateReport r) {
        h.append("<h2>Stages</h2>\n<table><tr><th>stage</th><th>docs in</th><th>kept</th><th>dropped</th><th>changed</th>")
                .append("<th>MB in</th><th>MB out</th><th>thread-s</th><th>Mchar/s</th></tr>\n");
        for (CurateReport.Stage s : r.stages()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.1f</td></tr>%n",
                    esc(s.name()), s.ordered() ? " <span class=\"muted\">(ordered)</span>" : "", s.docsIn(), s.docsKept(),
                    s.docsDropped(), s.docsChanged(), s.charsIn() / 1e6, s.charsOut() / 1e6, s.seconds(), s.mcharsPerS()));
        }
        h.append("</table>\n");
    }

    private static void reasons(StringBuilder h, CurateReport r) {
        h.append("<h2>Reasons and counters</h2>\n");
        boolean any = false;
        for (CurateReport.Stage s : r.stages()) {
            if (s.counts().isEmpty()) continue;
            any = true;
            h.append("<h3>").append(esc(s.name())).append("</h3>\n<table><tr><th>reason / counter</th><th>count</th></tr>\n");
            s.counts().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td></tr>%n", esc(e.getKey()), e.getValue())));
            h.append("</table>\n");
        }
        if (!any) h.append("<p class=\"muted\">no stage dropped or changed anything</p>\n");
    }

    private static void examples(StringBuilder h, CurateReport r) {
        h.append("<h2>Examples of removed or changed text</h2>\n");
        boolean any = false;
        for (CurateReport.Stage s : r.stages()) {
            for (Map.Entry<String, List<StageReport.Example>> e : s.examples().entrySet()) {
                any = true;
                h.append("<details><summary>").append(esc(s.name())).append(" &middot; ").append(esc(e.getKey()))
                        .append(" (").append(e.getValue().size()).append(e.getValue().size() == 1 ? " example" : " examples")
                        .append(")</summary>\n");
                for (StageReport.Example x : e.getValue()) {
                    h.append("<div class=\"muted\">").append(esc(x.docId())).append("</div><pre>").append(esc(x.excerpt())).append("</pre>\n");
                }
                h.append("</details>\n");
            }
        }
        if (!any) h.append("<p class=\"muted\">none</p>\n");
    }

    private static void counts(StringBuilder h, String title, String key, String value, Map<String, Long> m) {
        h.append("<h2>").append(esc(title)).append("</h2>\n<table><tr><th>").append(key).append("</th><th>").append(value).append("</th></tr>\n");
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td></tr>%n", esc(e.getKey()), e.getValue())));
        h.append("</table>\n");
    }

    private static void clusters(StringBuilder h, CurateReport r) {
        if (r.clusters().isEmpty()) return;
        h.append("<h2>Largest near-duplicate clusters</h2>\n<table><tr><th>kept document</th><th>size</th><th>dropped (first few)</th></tr>\n");
        for (CurateReport.Cluster c : r.clusters()) {
            h.append("<tr><td>").append(esc(c.keptId())).append("</td><td>").append(String.format(Locale.ROOT, "%,d", c.size()))
                    .append("</td><td style=\"text-align:left\">").append(esc(String.join(", ", c.droppedIds()))).append("</td></tr>\n");
            if (c.excerpt() != null && !c.excerpt().isEmpty()) {
                h.append("<tr><td colspan=\"3\"><details><summary>text</summary><pre>").append(esc(c.excerpt()))
                        .append("</pre></details></td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static void sources(StringBuilder h, CurateReport r) {
        if (r.sources().size() < 2) return;
        h.append("<h2>Sources</h2>\n<table><tr><th>source</th><th>docs in</th><th>kept</th></tr>\n");
        r.sources().forEach((k, v) -> h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td></tr>%n",
                esc(k), v.docsIn(), v.docsKept())));
        h.append("</table>\n");
    }

    // ---- helpers ----

    private static String svgOpen(int width, int height, String label) {
        return String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-size=\"12\" font-family=\"system-ui,sans-serif\">",
                width, height, width, height, esc(label));
    }

    private static String rect(double x, double y, double w, double hgt, String fill, String title) {
        if (w <= 0 || hgt <= 0) return "";
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                x, y, w, hgt, fill, esc(title));
    }

    private static String text(double x, double y, String anchor, String escaped) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, escaped);
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 20) return (bytes >> 20) + " MiB";
        if (bytes >= 1L << 10) return (bytes >> 10) + " KiB";
        return bytes + " B";
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') sb.append('\uFFFD'); // control characters are not allowed in HTML
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    private static String prettyConfig(Object config) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(config);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(config);
        }
    }
}
