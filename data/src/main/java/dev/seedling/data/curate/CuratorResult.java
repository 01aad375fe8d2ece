package dev.seedling.data.curate;

import java.nio.file.Path;

/**
 * What {@link Curator#run} wrote.
 *
 * @param outputDir the output folder
 * @param docs      {@code docs.jsonl}: one {@code {"id","text","source"}} object per line, in input order, ready for
 *                  {@code seedling pack --data}
 * @param reportJson {@code report.json}
 * @param reportHtml {@code report.html}, a self-contained page
 * @param report    the report itself
 */
public record CuratorResult(Path outputDir, Path docs, Path reportJson, Path reportHtml, CurateReport report) {
    /** A one-line summary. */
    public String summary() {
        return report.summary();
    }
}
