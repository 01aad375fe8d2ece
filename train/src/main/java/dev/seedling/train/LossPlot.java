package dev.seedling.train;

import java.util.List;
import java.util.Locale;

/**
 * An SVG chart of a run's training loss (per step) and validation loss (per evaluation), written as
 * {@code loss.svg} beside {@code metrics.jsonl} so the curve can be looked at in any browser. Plain SVG, no scripts.
 */
final class LossPlot {
    private LossPlot() {}

    /** A point of a curve. */
    record Point(double step, double value) {}

    static final int WIDTH = 720, HEIGHT = 400, LEFT = 60, RIGHT = 20, TOP = 30, BOTTOM = 45;

    /** The chart of {@code train} (blue line) and {@code val} (orange dots and line); empty curves are allowed. */
    static String svg(String title, List<Point> train, List<Point> val) {
        double maxStep = 1, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (List<Point> c : List.of(train, val)) {
            for (Point p : c) {
                if (!Double.isFinite(p.value())) continue;
                maxStep = Math.max(maxStep, p.step());
                lo = Math.min(lo, p.value());
                hi = Math.max(hi, p.value());
            }
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-6) hi = lo + 1;
        double pad = 0.05 * (hi - lo);
        lo = Math.max(0, lo - pad);
        hi += pad;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, HEIGHT));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) { // horizontal grid with loss labels
            double v = lo + (hi - lo) * i / 5;
            double y = TOP + plotH - plotH * (v - lo) / (hi - lo);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, LEFT + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", LEFT - 6, y + 4, v));
        }
        for (int i = 0; i <= 4; i++) { // step labels
            double s = maxStep * i / 4, x = LEFT + plotW * s / maxStep;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, TOP + plotH + 18, Math.round(s)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">step</text>%n", LEFT + plotW / 2, HEIGHT - 6));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        polyline(sb, train, "#1f77b4", maxStep, lo, hi, plotW, plotH);
        polyline(sb, val, "#ff7f0e", maxStep, lo, hi, plotW, plotH);
        for (Point p : val) {
            if (!Double.isFinite(p.value())) continue;
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#ff7f0e\"/>%n",
                    LEFT + plotW * p.step() / maxStep, TOP + plotH - plotH * (p.value() - lo) / (hi - lo)));
        }
        int lx = LEFT + plotW - 150;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f77b4\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">train loss</text>%n",
                lx, TOP + 15, lx + 20, TOP + 15, lx + 26, TOP + 19));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ff7f0e\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">validation loss</text>%n",
                lx, TOP + 33, lx + 20, TOP + 33, lx + 26, TOP + 37));
        return sb.append("</svg>\n").toString();
    }

    private static void polyline(StringBuilder sb, List<Point> pts, String color, double maxStep, double lo, double hi, int plotW, int plotH) {
        if (pts.isEmpty()) return;
        sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"");
        for (Point p : pts) {
            if (!Double.isFinite(p.value())) continue;
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * p.step() / maxStep,
                    TOP + plotH - plotH * (Math.min(hi, p.value()) - lo) / (hi - lo)));
        }
        sb.append("\"/>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
