package dev.seedling.tokenizer.internal.hf;

/**
 * What happens to the delimiters when a piece of text is split on a pattern (HF {@code SplitDelimiterBehavior}),
 * applied exactly as {@code NormalizedString::split} does, including its folds over consecutive matches.
 */
public enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    /** Parses the JSON name ({@code "Removed"}, {@code "MergedWithPrevious"}, ...); null when unknown. */
    static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> null;
        };
    }

    /**
     * Emits the pieces of {@code text} that {@code spans} (covering the text, as find_matches returns) give under
     * this behavior; empty pieces are dropped, as PreTokenizedString does.
     */
    void apply(String text, Spans spans, boolean atStart, PreTokenizer.PieceSink out) {
        int n = spans.size;
        switch (this) {
            case ISOLATED -> {
                for (int i = 0; i < n; i++) emit(text, spans.start[i], spans.end[i], atStart, out);
            }
            case REMOVED -> {
                for (int i = 0; i < n; i++) if (!spans.match[i]) emit(text, spans.start[i], spans.end[i], atStart, out);
            }
            case CONTIGUOUS -> {
                boolean previous = false;
                int curStart = -1, curEnd = -1;
                for (int i = 0; i < n; i++) {
                    boolean m = spans.match[i];
                    if (m == previous && curStart >= 0) {
                        curEnd = spans.end[i];
                    } else {
                        if (curStart >= 0) emit(text, curStart, curEnd, atStart, out);
                        curStart = spans.start[i];
                        curEnd = spans.end[i];
                    }
                    previous = m;
                }
                if (curStart >= 0) emit(text, curStart, curEnd, atStart, out);
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previous = false;
                int curStart = -1, curEnd = -1;
                for (int i = 0; i < n; i++) {
                    boolean m = spans.match[i];
                    if (m && !previous && curStart >= 0) {
                        curEnd = spans.end[i];
                    } else {
                        if (curStart >= 0) emit(text, curStart, curEnd, atStart, out);
                        curStart = spans.start[i];
                        curEnd = spans.end[i];
                    }
                    previous = m;
                }
                if (curStart >= 0) emit(text, curStart, curEnd, atStart, out);
            }
            case MERGED_WITH_NEXT -> {
                // HF folds from the right: a match not preceded (on the right) by a match joins the piece after it
                int[] starts = new int[n], ends = new int[n];
                int k = 0;
                boolean previous = false;
                for (int i = n - 1; i >= 0; i--) {
                    boolean m = spans.match[i];
                    if (m && !previous && k > 0) {
                        starts[k - 1] = spans.start[i];
                    } else {
                        starts[k] = spans.start[i];
                        ends[k] = spans.end[i];
                        k++;
                    }
                    previous = m;
                }
                for (int i = k - 1; i >= 0; i--) emit(text, starts[i], ends[i], atStart, out);
            }
        }
    }

    private static void emit(String text, int s, int e, boolean atStart, PreTokenizer.PieceSink out) {
        if (e > s) out.accept(s == 0 && e == text.length() ? text : text.substring(s, e), atStart && s == 0);
    }
}
