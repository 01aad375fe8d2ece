package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.data.demo.DemoCorpus;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Both domain scorers on the demo domain (industrial diagnostics) against a general pool of other topics. */
@ExtendWith(SeedReporter.class)
class DomainScorerTest {
    @TempDir
    static Path dir;
    static List<String> seeds, pool, domainHeldOut, generalHeldOut;

    /** Topic vocabularies for the general pool; the shared words keep it from being trivially separable by style. */
    private static final String[][] TOPICS = {
            {"recipe", "flour", "butter", "oven", "garlic", "simmer", "sauce", "dough", "roast", "onions", "pepper", "kitchen", "bake", "salad"},
            {"team", "match", "goal", "season", "coach", "league", "striker", "stadium", "fans", "referee", "trophy", "score", "defence", "injury"},
            {"election", "parliament", "minister", "vote", "policy", "campaign", "senate", "budget", "reform", "party", "debate", "tax", "citizens", "law"},
            {"museum", "painting", "artist", "gallery", "sculpture", "exhibition", "canvas", "portrait", "colour", "style", "century", "collection", "critic", "studio"},
            {"hotel", "beach", "flight", "island", "tourists", "passport", "village", "journey", "luggage", "guide", "coast", "harbour", "mountains", "ferry"},
            {"cells", "protein", "species", "evolution", "genome", "bacteria", "enzyme", "habitat", "organism", "research", "biology", "mutation", "tissue", "forest"},
            {"novel", "author", "chapter", "poem", "story", "reader", "library", "character", "plot", "publisher", "fiction", "verse", "memoir", "prize"},
            {"market", "shares", "investors", "inflation", "bank", "interest", "profit", "revenue", "currency", "stocks", "loan", "economy", "growth", "debt"},
            {"guitar", "concert", "album", "melody", "band", "singer", "rhythm", "orchestra", "song", "piano", "tour", "lyrics", "drummer", "festival"},
            // near the domain on purpose: car and household repair shares words with industrial diagnostics
            {"engine", "brake", "tyre", "oil", "mechanic", "garage", "gearbox", "battery", "clutch", "exhaust", "pressure",
                    "bearing", "pump", "valve", "leak", "filter", "replace", "noise", "warning", "light", "fault", "repair"},
    };
    private static final String[] SHARED = {"system", "check", "report", "time", "work", "problem", "people", "year",
            "change", "level", "service", "part", "result", "process", "high", "low", "new", "old", "first", "last"};
    private static final String[] GLUE = {"the", "a", "of", "and", "in", "to", "with", "for", "on", "was", "is", "after",
            "before", "because", "while", "this", "that", "their", "every", "some"};

    static String generalDoc(SplittableRandom r) {
        String[] topic = TOPICS[r.nextInt(TOPICS.length)];
        StringBuilder sb = new StringBuilder();
        int sentences = 6 + r.nextInt(20);
        for (int s = 0; s < sentences; s++) {
            int words = 8 + r.nextInt(10);
            for (int w = 0; w < words; w++) {
                int k = r.nextInt(10);
                String word = k < 4 ? GLUE[r.nextInt(GLUE.length)] : k < 6 ? SHARED[r.nextInt(SHARED.length)] : topic[r.nextInt(topic.length)];
                if (w == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                sb.append(word).append(w == words - 1 ? ". " : " ");
            }
            if (r.nextInt(5) == 0) sb.append("\n\n");
        }
        return sb.toString();
    }

    @BeforeAll
    static void corpora() throws IOException {
        DemoCorpus.generate(dir.resolve("demo"), 300_000, 11);
        List<String> domain = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir.resolve("demo/docs"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) domain.add(Files.readString(p));
        }
        SplittableRandom r = Seeds.rng("domain-pool");
        List<String> general = new ArrayList<>();
        for (int i = 0; i < 400; i++) general.add(generalDoc(r));
        // seeds: every 8th domain document; pool: the rest of the domain (a quarter of the pool) plus general text
        seeds = new ArrayList<>();
        List<String> domainRest = new ArrayList<>();
        for (int i = 0; i < domain.size(); i++) (i % 8 == 0 ? seeds : domainRest).add(domain.get(i));
        pool = new ArrayList<>();
        domainHeldOut = domainRest.subList(0, Math.min(100, domainRest.size()));
        generalHeldOut = general.subList(0, 300);
        pool.addAll(domainHeldOut);
        pool.addAll(generalHeldOut);
        pool.addAll(general.subList(300, 400));
        java.util.Collections.shuffle(pool, new java.util.Random(5));
    }

    /** Area under the ROC curve: the probability that a random positive scores above a random negative. */
    static double auc(DomainScorer scorer, List<String> positives, List<String> negatives) {
        double[] p = DomainFilter.scoreAll(scorer, positives), n = DomainFilter.scoreAll(scorer, negatives);
        double wins = 0;
        for (double a : p) for (double b : n) wins += a > b ? 1 : a == b ? 0.5 : 0;
        return wins / ((double) p.length * n.length);
    }

    @Test
    void bm25CentroidRanksDomainDocumentsFirst() {
        Bm25Scorer scorer = Bm25Scorer.fit(pool, seeds, Bm25Config.DEFAULT);
        assertThat(scorer.poolDocuments()).isEqualTo(pool.size());
        double auc = auc(scorer, domainHeldOut, generalHeldOut);
        System.out.printf("bm25 centroid AUC %.4f (%d seeds, %d domain, %d general)%n", auc, seeds.size(), domainHeldOut.size(), generalHeldOut.size());
        assertThat(auc).isGreaterThan(0.9);
        for (String s : List.of(domainHeldOut.getFirst(), generalHeldOut.getFirst())) assertThat(scorer.score(s)).isBetween(0.0, 1.0);
        assertThat(scorer.score("")).isZero();
    }

    @Test
    void classifierRanksDomainDocumentsFirstAndIsDeterministic() {
        LinearClassifierConfig config = LinearClassifierConfig.DEFAULT;
        LinearClassifier a = LinearClassifier.train(seeds, pool, config);
        LinearClassifier b = LinearClassifier.train(seeds, pool, config);
        double auc = auc(a, domainHeldOut, generalHeldOut);
        System.out.printf("linear classifier AUC %.4f%n", auc);
        assertThat(auc).isGreaterThan(0.9);
        for (String s : domainHeldOut.subList(0, 10)) assertThat(b.score(s)).isEqualTo(a.score(s));
        for (String s : generalHeldOut.subList(0, 10)) assertThat(b.score(s)).isEqualTo(a.score(s));
        LinearClassifier other = LinearClassifier.train(seeds, pool, new LinearClassifierConfig(1 << 16, 16, false, 3, 0.2, 2, 1000, 9));
        assertThat(auc(other, domainHeldOut, generalHeldOut)).isGreaterThan(0.9);
    }

    @Test
    void classifierSavesAndLoadsExactly(@TempDir Path tmp) throws IOException {
        LinearClassifier a = LinearClassifier.train(seeds, pool, new LinearClassifierConfig(1 << 14, 16, true, 2, 0.2, 2, 500, 3));
        Path file = tmp.resolve("domain.clf");
        a.save(file);
        LinearClassifier back = LinearClassifier.load(file);
        for (String s : domainHeldOut.subList(0, 5)) assertThat(back.score(s)).isEqualTo(a.score(s));
        back.save(tmp.resolve("again.clf"));
        assertThat(Files.readAllBytes(tmp.resolve("again.clf"))).isEqualTo(Files.readAllBytes(file));
        assertThat(Files.size(file)).isLessThan(4L * 16 * (1 << 14)); // only used rows are stored

        byte[] bytes = Files.readAllBytes(file);
        Files.write(tmp.resolve("cut.clf"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> LinearClassifier.load(tmp.resolve("cut.clf"))).isInstanceOf(SeedlingException.class).hasMessageContaining("truncated");
        bytes[4] = 9;
        Files.write(tmp.resolve("v9.clf"), bytes);
        assertThatThrownBy(() -> LinearClassifier.load(tmp.resolve("v9.clf"))).isInstanceOf(SeedlingException.class).hasMessageContaining("version 9");
        Files.writeString(tmp.resolve("text.clf"), "hello world, not a model");
        assertThatThrownBy(() -> LinearClassifier.load(tmp.resolve("text.clf"))).isInstanceOf(SeedlingException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> LinearClassifier.load(tmp.resolve("missing.clf"))).isInstanceOf(SeedlingException.class).hasMessageContaining("cannot read");
    }

    @Test
    void filterKeepsByThresholdOrQuota() {
        Bm25Scorer scorer = Bm25Scorer.fit(pool, seeds, Bm25Config.DEFAULT);
        double[] scores = DomainFilter.scoreAll(scorer, pool);
        double t = DomainFilter.quotaThreshold(scores, 0.2);
        assertThat(java.util.Arrays.stream(scores).filter(s -> s >= t).count()).isEqualTo((long) Math.ceil(0.2 * pool.size()));
        assertThat(DomainFilter.quotaThreshold(scores, 0)).isInfinite();
        assertThat(DomainFilter.quotaThreshold(scores, 1)).isEqualTo(java.util.Arrays.stream(scores).min().orElseThrow());
        List<Double> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        DomainFilter filter = new DomainFilter(scorer, t, (doc, s) -> seen.add(s));
        StageReport report = new StageReport("domain", 3);
        long kept = 0;
        for (int i = 0; i < pool.size(); i++) if (report.run(filter, new CurDoc(i, "p" + i, "pool", pool.get(i))) != null) kept++;
        assertThat(kept).isEqualTo((long) Math.ceil(0.2 * pool.size()));
        assertThat(report.counts().get("below_threshold")).isEqualTo(pool.size() - kept);
        assertThat(seen).hasSize(pool.size());
        long binned = report.counts().entrySet().stream().filter(e -> e.getKey().startsWith("score_")).mapToLong(e -> e.getValue()).sum();
        assertThat(binned).isEqualTo(pool.size());
        assertThatThrownBy(() -> Bm25Scorer.fit(pool, List.of("", "..."), Bm25Config.DEFAULT)).isInstanceOf(SeedlingException.class);
    }
}
