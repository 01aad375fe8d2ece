package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RepeatedLinesTest {
    private static final String HEADER = "ACME Corp. Service Manual, revision C";
    private static final String FOOTER = "Copyright 2024 ACME Corp. All rights reserved.";
    private static final String MIDDLE = "Tighten the cover screws to the torque in the table.";

    private static CurDoc manual(int i) {
        String text = HEADER + "\n\nUnique introduction number " + i + " about pump model P-" + i + ".\n"
                + "Another sentence " + i + ".\n" + MIDDLE + "\nThe seal of unit " + i + " is checked.\n"
                + "The bearing of unit " + i + " is greased.\nThe coupling of unit " + i + " is aligned.\n"
                + "The filter of unit " + i + " is clean.\n\n"
                + "Page 1 of 2\n\n\n"
                + HEADER + "\n## Procedure\nSite: Dunmore cold store\nStep one for unit " + i + ".\nStep two for unit " + i
                + ".\nStep three for unit " + i + ".\n- 2 -\n" + FOOTER;
        return new CurDoc(i, "manuals/m" + i + ".md", "manuals", text);
    }

    private static List<CurDoc> corpus(int n) {
        List<CurDoc> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) docs.add(manual(i));
        return docs;
    }

    @Test
    void removesHeadersFootersAndPageNumbersButKeepsContentAndStructure() {
        List<CurDoc> docs = corpus(20);
        RepeatedLines stage = RepeatedLines.count(docs, RepeatedLines.Config.defaults());
        assertThat(stage.documentsCounted()).isEqualTo(20);
        StageReport report = new StageReport("repeated_lines", 2);
        String out = stage.apply(docs.get(3), report).text();
        assertThat(out).doesNotContain(HEADER, FOOTER, "Page 1 of 2", "- 2 -");
        assertThat(out).contains("Unique introduction number 3", MIDDLE, "## Procedure", "Site: Dunmore cold store", "Step three for unit 3.");
        assertThat(out).doesNotContain("\n\n\n\n");
        assertThat(report.counts()).containsEntry("repeated_lines", 3L).containsEntry("page_number_lines", 2L);
    }

    @Test
    void linesInTooFewDocumentsStay() {
        // 4 documents: below minDocs = 5
        RepeatedLines few = RepeatedLines.count(corpus(4), RepeatedLines.Config.defaults());
        assertThat(few.repeatedLineCount()).isZero();
        // the header in 6 of 200 documents of one source: above 5 documents, below 5% of the source
        List<CurDoc> docs = new ArrayList<>(corpus(6));
        for (int i = 6; i < 200; i++) docs.add(new CurDoc(i, "manuals/o" + i + ".md", "manuals", "Other document " + i + ".\nWith two lines " + i + "."));
        RepeatedLines rare = RepeatedLines.count(docs, RepeatedLines.Config.defaults());
        assertThat(rare.isRepeated(docs.getFirst(), HEADER)).isFalse();
        // the same counts in another source do not make it boilerplate here
        RepeatedLines common = RepeatedLines.count(corpus(20), RepeatedLines.Config.defaults());
        assertThat(common.isRepeated(docs.getFirst(), HEADER)).isTrue();
        assertThat(common.isRepeated(new CurDoc(0, "logs/x.txt", "logs", ""), HEADER)).isFalse();
    }

    @Test
    void everyLineModeAlsoRemovesRepeatedMiddleLines() {
        RepeatedLines.Config d = RepeatedLines.Config.defaults();
        RepeatedLines.Config all = new RepeatedLines.Config(d.minDocs(), d.minDocFraction(), d.minLineChars(), d.keepStructural(), 0,
                d.removePageNumbers(), 1.0);
        RepeatedLines stage = RepeatedLines.count(corpus(20), all);
        String out = stage.apply(manual(5), new StageReport("r", 1)).text();
        assertThat(out).doesNotContain(MIDDLE).contains("## Procedure");
    }

    @Test
    void countingIsThreadSafeAndOrderIndependent() throws Exception {
        List<CurDoc> docs = corpus(60);
        RepeatedLines.Counter serial = new RepeatedLines.Counter(RepeatedLines.Config.defaults());
        for (CurDoc d : docs) serial.add(d);
        RepeatedLines.Counter parallel = new RepeatedLines.Counter(RepeatedLines.Config.defaults());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int start = t;
                fs.add(pool.submit(() -> {
                    for (int i = docs.size() - 1 - start; i >= 0; i -= 3) parallel.add(docs.get(i));
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        RepeatedLines a = serial.build(), b = parallel.build();
        assertThat(b.repeatedLineCount()).isEqualTo(a.repeatedLineCount()).isEqualTo(3);
        for (CurDoc d : docs) {
            assertThat(b.apply(d, new StageReport("r", 1))).isEqualTo(a.apply(d, new StageReport("r", 1)));
        }
    }

    @Test
    void sampleIsDeterministic() {
        RepeatedLines.Config d = RepeatedLines.Config.defaults();
        RepeatedLines.Config half = new RepeatedLines.Config(d.minDocs(), d.minDocFraction(), d.minLineChars(), d.keepStructural(),
                d.edgeLines(), d.removePageNumbers(), 0.5);
        RepeatedLines.Counter a = new RepeatedLines.Counter(half), b = new RepeatedLines.Counter(half);
        List<CurDoc> docs = corpus(400);
        for (CurDoc doc : docs) a.add(doc);
        for (CurDoc doc : docs.reversed()) b.add(doc);
        assertThat(a.documents()).isEqualTo(b.documents()).isBetween(150L, 250L);
    }

    @Test
    void pageNumberLines() {
        for (String yes : List.of("Page 3", "Page 3 of 10", "page 3/10", "PAGE 12 OF 40", "Seite 2 von 9", "3 of 10",
                "3 / 10", "- 12 -", "— 12 —", "[7]", "(12)", "p. 4", "Pg. 7", "Página 3 de 8")) {
            assertThat(RepeatedLines.PageNumbers.isPageNumber(yes, 0, yes.length())).as(yes).isTrue();
        }
        for (String no : List.of("12", "2021", "Date: 14 Nov 2021", "Step 3 of 5", "Pump P-200", "E-281", "page", "- item 3 -",
                "Pages are numbered from 1", "Section 4.1", "3 of the 10 pumps failed")) {
            assertThat(RepeatedLines.PageNumbers.isPageNumber(no, 0, no.length())).as(no).isFalse();
        }
    }

    @Test
    void structuralLines() {
        for (String yes : List.of("# Title", "| a | b |", "- item", "* item", "1. Step", "12) Step", "a) Option",
                "Site: Dunmore", "**Site:** Dunmore", "Hours run: 8,095", "Part number: X")) {
            assertThat(RepeatedLines.structural(yes, 0, yes.length())).as(yes).isTrue();
        }
        for (String no : List.of(HEADER, FOOTER, "For installation and commissioning, see the service manual.",
                "Confidential - internal use only", "Note that the time is: 12:00")) {
            assertThat(RepeatedLines.structural(no, 0, no.length())).as(no).isFalse();
        }
    }
}
