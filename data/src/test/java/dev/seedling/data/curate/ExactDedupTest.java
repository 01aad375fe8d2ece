package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class ExactDedupTest {
    static List<Long> keep(ExactDedupConfig config, String... texts) {
        ExactDedup dedup = new ExactDedup(config);
        StageReport report = new StageReport("exact", 3);
        List<Long> kept = new ArrayList<>();
        for (int i = 0; i < texts.length; i++)
            if (report.run(dedup, new CurDoc(i, "d" + i, "s", texts[i])) != null) kept.add((long) i);
        assertThat(report.counts().getOrDefault("exact_duplicate", 0L)).isEqualTo(texts.length - kept.size());
        assertThat(dedup.duplicates()).isEqualTo(texts.length - kept.size());
        return kept;
    }

    @Test
    void keepsTheFirstCopyUnderTheDefaultNormalisation() {
        assertThat(keep(ExactDedupConfig.DEFAULT,
                "Check the valve.\nThen restart.",
                "Something else entirely.",
                "  check   THE valve. then\trestart. ",
                "Check the valve, then restart.",
                "Caf\u00e9 au lait",
                "Cafe\u0301 au lait"))
                .containsExactly(0L, 1L, 3L, 4L);
    }

    @Test
    void eachNormalisationCanBeSwitched() {
        ExactDedupConfig raw = new ExactDedupConfig(false, false, false, false);
        assertThat(keep(raw, "a  b", "a b", "A b", "a  b")).containsExactly(0L, 1L, 2L);
        ExactDedupConfig punct = new ExactDedupConfig(true, true, false, true);
        assertThat(keep(punct, "Check the valve.\nThen restart.", "check the valve, then -- restart!", "check the valves then restart"))
                .containsExactly(0L, 2L);
        ExactDedupConfig noNfc = new ExactDedupConfig(false, true, true, false);
        assertThat(keep(noNfc, "Caf\u00e9", "Cafe\u0301")).containsExactly(0L, 1L);
    }

    @Test
    void presignedKeysGiveTheSameDecisions() {
        ExactDedup dedup = new ExactDedup(ExactDedupConfig.DEFAULT);
        StageReport report = new StageReport("exact", 3);
        DocStage hasher = dedup.hasher();
        List<CurDoc> docs = List.of(new CurDoc(0, "a", "s", "one two"), new CurDoc(1, "b", "s", "x"),
                new CurDoc(2, "c", "s", "ONE  two"), new CurDoc(3, "d", "s", "x "));
        for (int i = docs.size() - 1; i >= 0; i--) hasher.apply(docs.get(i), report);
        List<String> kept = new ArrayList<>();
        for (CurDoc d : docs) if (dedup.apply(d, report) != null) kept.add(d.id());
        assertThat(kept).containsExactly("a", "b");
        assertThat(dedup.distinct()).isEqualTo(2);
        assertThat(dedup.indexBytes()).isPositive();
    }
}
