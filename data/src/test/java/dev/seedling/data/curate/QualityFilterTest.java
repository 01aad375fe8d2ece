package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.data.demo.DemoCorpus;
import dev.seedling.tensor.SeedlingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityFilterTest {
    private static final String JAVA = """
            package demo;

            import java.util.List;

            /** Computes checksums of frames. */
            public final class Checksum {
                private final int[] table = new int[256];

                public Checksum(int polynomial) {
                    for (int i = 0; i < 256; i++) {
                        int c = i;
                        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ polynomial : c >>> 1;
                        table[i] = c;
                    }
                }

                public int update(int crc, byte[] data, int offset, int length) {
                    int c = ~crc;
                    for (int i = offset; i < offset + length; i++) c = table[(c ^ data[i]) & 0xFF] ^ (c >>> 8);
                    return ~c;
                }

                public static int of(List<byte[]> frames) {
                    Checksum sum = new Checksum(0xEDB88320);
                    int crc = 0;
                    for (byte[] f : frames) crc = sum.update(crc, f, 0, f.length);
                    return crc;
                }
            }
            """;

    private static CurDoc run(List<DocStage> stages, CurDoc doc, Map<String, StageReport> reports) {
        CurDoc d = doc;
        for (DocStage s : stages) {
            d = reports.computeIfAbsent(s.name(), k -> new StageReport(k, 3)).run(s, d);
            if (d == null) return null;
        }
        return d;
    }

    @Test
    void presetsAreChosenByExtensionAndSource() {
        QualityFilter.Selection sel = QualityFilter.Selection.defaults();
        assertThat(sel.presetFor(new CurDoc(0, "src/Checksum.java", "src", ""))).isEqualTo(QualityFilter.Preset.CODE);
        assertThat(sel.presetFor(new CurDoc(0, "data/faults.csv", "data", ""))).isEqualTo(QualityFilter.Preset.CODE);
        assertThat(sel.presetFor(new CurDoc(0, "ops/Makefile", "ops", ""))).isEqualTo(QualityFilter.Preset.CODE);
        assertThat(sel.presetFor(new CurDoc(0, "dump/a.jsonl#3", "dump", ""))).isEqualTo(QualityFilter.Preset.TECHNICAL);
        assertThat(sel.presetFor(new CurDoc(0, "manuals/a.md", "manuals", ""))).isEqualTo(QualityFilter.Preset.TECHNICAL);
        QualityFilter.Selection pinned = new QualityFilter.Selection(QualityFilter.Preset.TECHNICAL, false,
                Map.of("crawl", QualityFilter.Preset.WEB));
        assertThat(pinned.presetFor(new CurDoc(0, "crawl/x.html", "crawl", ""))).isEqualTo(QualityFilter.Preset.WEB);
        assertThat(pinned.presetFor(new CurDoc(0, "src/A.java", "src", ""))).isEqualTo(QualityFilter.Preset.TECHNICAL);
        assertThat(QualityFilter.Preset.parse(" Web ")).isEqualTo(QualityFilter.Preset.WEB);
        assertThatThrownBy(() -> QualityFilter.Preset.parse("strict")).isInstanceOf(SeedlingException.class);
    }

    @Test
    void codePassesWithItsPresetButNotUnderWebRules() {
        List<DocStage> stages = QualityFilter.stages(QualityFilter.Selection.defaults());
        Map<String, StageReport> reports = new java.util.TreeMap<>();
        CurDoc code = new CurDoc(0, "src/Checksum.java", "src", JAVA);
        assertThat(run(stages, code, reports)).isSameAs(code);
        List<DocStage> web = QualityFilter.stages(new QualityFilter.Selection(QualityFilter.Preset.WEB, false, Map.of()));
        assertThat(run(web, code, reports)).isNull();
    }

    @Test
    void minimumInformation() {
        QualityFilter.MinInformation mi = new QualityFilter.MinInformation(new QualityFilter.MinInformation.Config(10, 3.0));
        StageReport r = new StageReport("min_info", 2);
        assertThat(mi.apply(new CurDoc(0, "a", "s", "error ERROR Error error ".repeat(50)), r)).isNull();
        assertThat(mi.apply(new CurDoc(1, "b", "s", "ab1 ba1 ab2 ba2 a1b b1a 12a 21b aab bba abb baa 1ab ".repeat(20)), r)).isNull();
        CurDoc ok = new CurDoc(2, "c", "s", "The seal of pump P-200 leaked after 400 hours; the technician replaced it and logged the torque.");
        assertThat(mi.apply(ok, r)).isSameAs(ok);
        assertThat(r.counts()).containsEntry("min_info_distinct_words", 1L).containsEntry("min_info_entropy", 1L);
        assertThat(QualityFilter.MinInformation.entropyBits("aaaa")).isZero();
        assertThat(QualityFilter.MinInformation.entropyBits("abcd")).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * The demo corpus (manuals, specification sheets, fault tables, FAQs, logs, incidents, bulletins) is what our
     * users' documents look like: the default curation stages must keep nearly all of it.
     */
    @Test
    void demoCorpusMostlyPassesTheDefaults(@TempDir Path dir) {
        DemoCorpus.generate(dir.resolve("demo"), 400_000, 7L);
        List<CurDoc> docs = new ArrayList<>();
        Ingest.open(dir.resolve("demo/docs")).extractAll(docs::add);
        TextCleaner cleaner = new TextCleaner();
        StageReport cr = new StageReport("clean", 1);
        List<CurDoc> clean = new ArrayList<>();
        for (CurDoc d : docs) clean.add(cleaner.apply(d, cr));
        RepeatedLines lines = RepeatedLines.count(clean, RepeatedLines.Config.defaults());
        List<DocStage> stages = new ArrayList<>();
        stages.add(lines);
        stages.addAll(QualityFilter.stages(QualityFilter.Selection.defaults()));
        stages.add(new LanguageIdFilter(LanguageIdFilter.Config.english()));
        Map<String, StageReport> reports = new java.util.TreeMap<>();
        long charsIn = 0, charsOut = 0;
        int kept = 0;
        for (CurDoc d : clean) {
            charsIn += d.text().length();
            CurDoc out = run(stages, d, reports);
            if (out != null) {
                kept++;
                charsOut += out.text().length();
            }
        }
        StringBuilder why = new StringBuilder();
        reports.values().forEach(r -> why.append(r.stage()).append(' ').append(r.counts()).append('\n'));
        assertThat(kept).as("kept %d of %d documents%n%s", kept, clean.size(), why).isGreaterThanOrEqualTo((int) (0.95 * clean.size()));
        assertThat((double) charsOut / charsIn).as("share of chars kept%n%s", why).isGreaterThan(0.9);
    }
}
