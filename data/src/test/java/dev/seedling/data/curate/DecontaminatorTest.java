package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class DecontaminatorTest {
    static final List<String> ITEMS = List.of(
            // 0: long question (≥ 13 words)
            "What is the root cause of fault E-306 on the Corvath CV-40 rotary screw air compressor after a cold start?",
            // 1: short answer of 9 words, matched whole
            "water in the pressure transducer connector after washing down",
            // 2: too short (4 words), ignored
            "pressure signal fault indicated",
            // 3: another long item
            "Which component must be replaced when the Varnholt VH-55 shows a fan bearing failure with high vibration?");

    static List<CurDoc> docs() {
        List<String> t = new ArrayList<>();
        t.add("Service note. WHAT is the root-cause of fault E 306 on the Corvath CV-40 rotary screw air compressor, engineers asked."); // leaks 0
        t.add("The Corvath CV-40 rotary screw air compressor after a cold start may show fault E-306; root cause unknown."); // near miss: reordered
        t.add("Found: Water in the pressure transducer connector after washing-down the skid."); // leaks 1 (whole item)
        t.add("Found water in the pressure transducer connector after washing the skid."); // near miss: 8 of 9 words in order
        t.add("A pressure signal fault indicated on the panel."); // item 2 is ignored: kept
        t.add("What is the root cause of fault E-306 on the Corvath CV-40 rotary screw air compressor after a cold start? "
                + "Which component must be replaced when the Varnholt VH-55 shows a fan bearing failure with high vibration?"); // leaks 0 and 3
        t.add("Twelve words only: is the root cause of fault E-306 on the Corvath"); // 12-word run of item 0: kept
        List<CurDoc> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) out.add(new CurDoc(i, "doc-" + i, "src", t.get(i)));
        return out;
    }

    @Test
    void dropsPlantedLeaksAndKeepsNearMisses() {
        Decontaminator d = new Decontaminator(ITEMS, DecontaminationConfig.DEFAULT);
        StageReport report = new StageReport("decontaminate", 10);
        List<Long> kept = new ArrayList<>();
        List<CurDoc> docs = docs();
        for (int i = docs.size() - 1; i >= 0; i--) if (report.run(d, docs.get(i)) != null) kept.add((long) i); // any order
        assertThat(kept).containsExactlyInAnyOrder(1L, 3L, 4L, 6L);
        assertThat(report.counts()).containsEntry("eval_overlap", 3L);
        assertThat(d.ignoredItems()).isEqualTo(1);
        assertThat(d.leaks()).extracting(Decontaminator.Leak::item).containsExactly(0, 1, 3);
        Decontaminator.Leak first = d.leaks().getFirst();
        assertThat(first.documents()).isEqualTo(2);
        assertThat(first.firstDocSeq()).isZero();
        assertThat(first.firstDocId()).isEqualTo("doc-0");
        assertThat(d.leaks().get(2).firstDocId()).isEqualTo("doc-5");
        assertThat(d.indexBytes()).isPositive();
    }

    @Test
    void shorterNgramsCatchMore() {
        Decontaminator d = new Decontaminator(ITEMS, new DecontaminationConfig(8, 8));
        StageReport report = new StageReport("decontaminate", 10);
        long dropped = docs().stream().filter(doc -> d.apply(doc, report) == null).count();
        // now the reordered doc 1 ("corvath cv 40 rotary screw air compressor after"), the 8-of-9-word near miss of
        // doc 3 and the 12-word run of doc 6 leak too; only doc 4 (whose item is too short) stays
        assertThat(dropped).isEqualTo(6);
        assertThatThrownBy(() -> new DecontaminationConfig(13, 14)).isInstanceOf(SeedlingException.class);
    }

    @Test
    void emptyItemListKeepsEverything() {
        Decontaminator d = new Decontaminator(List.of(), DecontaminationConfig.DEFAULT);
        StageReport report = new StageReport("decontaminate", 10);
        assertThat(docs()).allMatch(doc -> d.apply(doc, report) == doc);
    }
}
