package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class NearDedupTest {
    static String randomDoc(SplittableRandom r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append("w").append(Integer.toString(r.nextInt(5000), 36));
            sb.append(i % 12 == 11 ? ".\n" : " ");
        }
        return sb.toString();
    }

    /** {@code doc} with {@code changes} words replaced by new ones. */
    static String mutate(SplittableRandom r, String doc, int changes) {
        String[] w = doc.split(" ");
        for (int c = 0; c < changes; c++) w[r.nextInt(w.length)] = "zz" + r.nextInt(1000);
        return String.join(" ", w);
    }

    static List<CurDoc> corpus(SplittableRandom r) {
        // 30 distinct originals; copies of some of them with 1-2 changed words appear later, in between others
        List<String> texts = new ArrayList<>();
        List<String> originals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String d = randomDoc(r, 300);
            originals.add(d);
            texts.add(d);
            if (i % 3 == 2) texts.add(mutate(r, originals.get(i - 2), 1 + r.nextInt(2)));
        }
        texts.add(mutate(r, originals.get(0), 2));
        texts.add(mutate(r, originals.get(0), 1));
        List<CurDoc> docs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) docs.add(new CurDoc(i, "doc-" + i, "src", texts.get(i)));
        return docs;
    }

    record Run(List<Long> keptSeqs, List<NearDedup.Cluster> clusters, StageReport report) {}

    static Run run(List<CurDoc> docs, boolean presign) {
        NearDedup dedup = new NearDedup(MinHashConfig.DEFAULT);
        StageReport report = new StageReport("near_dedup", 5);
        StageReport signReport = new StageReport("sign", 5);
        DocStage signer = dedup.signer();
        // signatures on the engine's worker threads, in whatever order they come
        if (presign) dev.seedling.tensor.Parallel.forEach(docs.size(), (worker, i) -> signReport.run(signer, docs.get(docs.size() - 1 - i)));
        List<Long> kept = new ArrayList<>();
        for (CurDoc d : docs) if (report.run(dedup, d) != null) kept.add(d.seq());
        return new Run(kept, dedup.topClusters(100), report);
    }

    @Test
    void removesNearDuplicatesAndKeepsDistinctDocuments() {
        List<CurDoc> docs = corpus(Seeds.rng("near-dedup"));
        Run run = run(docs, false);
        // 30 originals kept, every mutated copy (10 + 2) dropped
        assertThat(run.keptSeqs()).hasSize(30);
        assertThat(run.report().counts()).containsEntry("near_duplicate", 12L);
        assertThat(run.report().docsDropped()).isEqualTo(12);
        // the biggest cluster is original 0 with its three copies; the representative is the lowest seq
        NearDedup.Cluster top = run.clusters().getFirst();
        assertThat(top.representativeSeq()).isEqualTo(0);
        assertThat(top.representativeId()).isEqualTo("doc-0");
        assertThat(top.size()).isEqualTo(4);
        assertThat(top.members()).extracting(NearDedup.Member::seq).isSorted().allMatch(s -> s > 0);
        assertThat(top.members()).allMatch(m -> m.jaccard() >= 0.8);
        assertThat(top.excerpt()).isNotBlank();
        for (NearDedup.Cluster c : run.clusters())
            assertThat(c.members()).allMatch(m -> m.seq() > c.representativeSeq());
    }

    @Test
    void presignedAndInlineRunsAreIdenticalAndDeterministic() {
        List<CurDoc> docs = corpus(Seeds.rng("near-dedup-det"));
        Run a = run(docs, false), b = run(docs, true), c = run(docs, true);
        assertThat(b.keptSeqs()).isEqualTo(a.keptSeqs());
        assertThat(c.keptSeqs()).isEqualTo(a.keptSeqs());
        assertThat(b.clusters()).isEqualTo(a.clusters());
        assertThat(b.report().counts()).isEqualTo(a.report().counts());
    }

    @Test
    void aPresignedSignatureIsIgnoredWhenTheTextChangedInBetween() {
        NearDedup dedup = new NearDedup(MinHashConfig.DEFAULT);
        StageReport report = new StageReport("near_dedup", 5);
        SplittableRandom r = Seeds.rng("near-dedup-changed");
        String a = randomDoc(r, 200), b = randomDoc(r, 200);
        CurDoc first = new CurDoc(0, "a", "s", a);
        CurDoc second = new CurDoc(1, "b", "s", b);
        dedup.signer().apply(first, report);
        dedup.signer().apply(second, report);
        // a stage between signer and dedup rewrote doc 1 into a copy of doc 0: the stale signature must not be used
        CurDoc secondRewritten = second.withText(new String(a.toCharArray()));
        assertThat(dedup.apply(first, report)).isNotNull();
        assertThat(dedup.apply(secondRewritten, report)).isNull();
    }

    @Test
    void documentsBelowTheThresholdSurviveAndWordlessOnesPass() {
        SplittableRandom r = Seeds.rng("near-dedup-below");
        String a = randomDoc(r, 300);
        String half = mutate(r, a, 60); // ~ half of the 5-gram shingles change: Jaccard far below 0.8
        NearDedup dedup = new NearDedup(MinHashConfig.DEFAULT);
        StageReport report = new StageReport("near_dedup", 5);
        assertThat(report.run(dedup, new CurDoc(0, "a", "s", a))).isNotNull();
        assertThat(report.run(dedup, new CurDoc(1, "b", "s", half))).isNotNull();
        assertThat(report.run(dedup, new CurDoc(2, "c", "s", "--- *** ---"))).isNotNull();
        assertThat(report.run(dedup, new CurDoc(3, "d", "s", "--- *** ---"))).isNotNull();
        assertThat(report.counts()).containsEntry("no_words", 2L).doesNotContainKey("near_duplicate");
        assertThat(dedup.keptDocs()).isEqualTo(2);
        assertThat(dedup.indexBytesPerDoc()).isPositive();
    }
}
