package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class GopherFilterTest {
    private static final String[] VOCAB = ("pump valve seal bearing motor shaft housing gasket pressure flow sensor"
            + " filter oil water cooling engine service manual operator alarm check replace inspect tighten clean measure"
            + " record report failure cause symptom repair torque bolt coupling impeller casing drain level temperature"
            + " vibration noise speed current voltage fuse cable panel switch relay controller display reading").split(" ");
    private static final String[] STOP = {"the", "of", "and", "to", "with", "that", "be", "have", "is", "in", "on", "for"};

    /** Natural-looking English text: sentences of 8–14 words mixing content and stop words. */
    static String prose(SplittableRandom r, int sentences) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            int n = 8 + r.nextInt(7);
            for (int w = 0; w < n; w++) {
                String word = r.nextInt(3) == 0 ? STOP[r.nextInt(STOP.length)] : VOCAB[r.nextInt(VOCAB.length)];
                if (w == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                sb.append(word).append(w == n - 1 ? ". " : " ");
            }
            if (s % 4 == 3) sb.append("\n\n");
        }
        return sb.toString().strip();
    }

    private static String check(String text, GopherFilter.Config c) {
        return GopherFilter.check(text, c);
    }

    @Test
    void naturalProsePassesEveryPreset() {
        SplittableRandom r = Seeds.rng("GopherFilterTest.prose");
        for (int i = 0; i < 20; i++) {
            String t = prose(r, 12);
            assertThat(check(t, GopherFilter.Config.web())).as(t).isNull();
            assertThat(check(t, GopherFilter.Config.technical())).as(t).isNull();
            assertThat(check(t, GopherFilter.Config.code())).as(t).isNull();
        }
    }

    @Test
    void eachQualityRuleHasItsReason() {
        SplittableRandom r = Seeds.rng("GopherFilterTest.rules");
        GopherFilter.Config web = GopherFilter.Config.web();
        assertThat(check("The pump is fine and the seal is dry.", web)).isEqualTo("gopher_too_few_words");
        assertThat(check(prose(r, 40), withMaxWords(web, 100))).isEqualTo("gopher_too_many_words");
        assertThat(check("a b c d e f g h i j ".repeat(6) + "the and of to", web)).isEqualTo("gopher_mean_word_length");
        assertThat(check("Electromechanical ".repeat(40) + prose(r, 2), web)).isEqualTo("gopher_mean_word_length");
        assertThat(check(prose(r, 8) + " #pump #seal #flow #valve #motor #oil #fan #fix #tag #more #again #hash", web))
                .isEqualTo("gopher_hash_ratio");
        assertThat(check(prose(r, 1) + " ... … ... … ... … ... … ... … ... … ... … ... … ... … ... … ... … ... … " + prose(r, 6), web))
                .isEqualTo("gopher_ellipsis_ratio");
        StringBuilder bullets = new StringBuilder("Checklist for the pump and the valve:\n");
        for (int i = 0; i < 12; i++) bullets.append("- ").append(prose(r, 1)).append('\n');
        assertThat(check(bullets.toString(), web)).isEqualTo("gopher_bullet_lines");
        StringBuilder trailing = new StringBuilder();
        for (int i = 0; i < 10; i++) trailing.append(prose(r, 1), 0, 40).append(i % 2 == 0 ? "…\n" : ".\n");
        assertThat(check(trailing.toString(), withMaxEllipsisRatio(web, 1.0))).isEqualTo("gopher_ellipsis_lines");
        StringBuilder numbers = new StringBuilder(prose(r, 2)).append('\n');
        for (int i = 0; i < 80; i++) numbers.append(1000 + r.nextInt(9000)).append(i % 8 == 7 ? "\n" : " ");
        assertThat(check(numbers.toString(), web)).isEqualTo("gopher_alpha_words");
    }

    @Test
    void stopWordRuleIsLanguageAware() {
        SplittableRandom r = Seeds.rng("GopherFilterTest.stop");
        StringBuilder noStop = new StringBuilder();
        for (int i = 0; i < 80; i++) noStop.append(VOCAB[r.nextInt(VOCAB.length)]).append(i % 10 == 9 ? ".\n" : " ");
        assertThat(check(noStop.toString(), GopherFilter.Config.web())).isEqualTo("gopher_stop_words");
        // no identifiable language: technical text (tables, part lists) is not failed for it
        assertThat(check(noStop.toString(), GopherFilter.Config.technical())).isNull();
        String german = String.join(" ", LanguageIdTest.LATIN.get("de"));
        assertThat(check(german, GopherFilter.Config.web())).isNull();
    }

    @Test
    void repetitionRules() {
        SplittableRandom r = Seeds.rng("GopherFilterTest.repetition");
        GopherFilter.Config web = GopherFilter.Config.web();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) lines.append(i % 2 == 0 ? "Check the pump and the seal today." : prose(r, 1)).append('\n');
        assertThat(check(lines.toString(), web)).isEqualTo("gopher_dup_lines");
        String para = prose(r, 3);
        String paragraphs = para + "\n\n" + prose(r, 3) + "\n\n" + para + "\n\n" + prose(r, 2) + "\n\n" + para;
        assertThat(check(paragraphs, withoutLineRules(web))).isEqualTo("gopher_dup_paragraphs");
        StringBuilder bigram = new StringBuilder();
        for (int i = 0; i < 60; i++) bigram.append(VOCAB[r.nextInt(VOCAB.length)]).append(" the pumpvalvehousing ");
        assertThat(check(bigram.toString(), web)).startsWith("gopher_top_");
        String five = "the seal of the pump leaks ";
        StringBuilder dup = new StringBuilder(prose(r, 3)).append(' ');
        for (int i = 0; i < 6; i++) dup.append(five).append(prose(r, 1)).append(' ');
        GopherFilter.Config onlyDup = new GopherFilter.Config(50, 100_000, Double.NaN, Double.NaN, Double.NaN, false,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                new double[] {Double.NaN, Double.NaN, Double.NaN}, new double[] {0.05, 0.05, 0.05, 0.05, 0.05, 0.05});
        assertThat(check(dup.toString(), onlyDup)).isEqualTo("gopher_dup_5gram");
    }

    /** The hashed n-gram statistics equal a direct string implementation of datatrove's definitions. */
    @Test
    void ngramStatisticsMatchAStringReference() {
        SplittableRandom r = Seeds.rng("GopherFilterTest.reference");
        String[] small = {"a", "bb", "ccc", "the", "pump", "x", "#", "-", "E-281"};
        GopherFilter.Scratch s = new GopherFilter.Scratch();
        for (int t = 0; t < 300; t++) {
            int n = r.nextInt(60);
            List<String> words = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String w = small[r.nextInt(r.nextBoolean() ? 3 : small.length)];
                words.add(w);
                text.append(w).append(r.nextInt(5) == 0 ? "\n" : " ");
            }
            s.scan(text.toString());
            for (int k = 2; k <= 4; k++) assertThat(s.topNgramChars(k)).as("top %d of %s", k, words).isEqualTo(topReference(words, k));
            long cover = s.repeatedFiveGramCover();
            for (int k = 5; k <= 10; k++) {
                long dup = s.dupNgramChars(k);
                assertThat(dup).as("dup %d of %s", k, words).isEqualTo(dupReference(words, k));
                assertThat(dup).as("the 5-gram cover bounds dup %d of %s", k, words).isLessThanOrEqualTo(cover);
            }
        }
    }

    private static long topReference(List<String> w, int n) {
        Map<String, Integer> counts = new HashMap<>();
        int best = 0;
        String top = null;
        for (int i = 0; i + n <= w.size(); i++) {
            String g = String.join(" ", w.subList(i, i + n));
            int c = counts.merge(g, 1, Integer::sum);
            if (c > best) {
                best = c;
                top = g;
            }
        }
        return best < 2 ? 0 : (long) top.length() * best;
    }

    private static long dupReference(List<String> w, int n) {
        Set<String> seen = new HashSet<>();
        long repeated = 0;
        int i = 0;
        while (i + n <= w.size()) {
            String g = String.join("\u0000", w.subList(i, i + n));
            if (!seen.add(g)) {
                for (int k = 0; k < n; k++) repeated += w.get(i + k).length();
                i += n;
            } else {
                i++;
            }
        }
        return repeated;
    }

    @Test
    void stageReportsTheReason() {
        GopherFilter f = new GopherFilter(GopherFilter.Config.web());
        StageReport rep = new StageReport("gopher", 2);
        CurDoc d = new CurDoc(0, "x", "s", "Too short.");
        assertThat(f.apply(d, rep)).isNull();
        assertThat(rep.counts()).containsEntry("gopher_too_few_words", 1L);
        assertThat(rep.examples().get("gopher_too_few_words")).hasSize(1);
    }

    private static GopherFilter.Config withMaxWords(GopherFilter.Config g, int max) {
        return new GopherFilter.Config(g.minWords(), max, g.minMeanWordLength(), g.maxMeanWordLength(), g.maxHashRatio(),
                g.ignoreHeadingHashes(), g.maxEllipsisRatio(), g.maxBulletLineRatio(), g.maxEllipsisLineRatio(),
                g.minAlphaWordRatio(), g.minStopWords(), g.undeterminedFailsStopWords(), g.maxDupLineFraction(),
                g.maxDupLineCharFraction(), g.maxDupParagraphFraction(), g.maxDupParagraphCharFraction(),
                g.topNgramMaxFraction(), g.dupNgramMaxFraction());
    }

    private static GopherFilter.Config withMaxEllipsisRatio(GopherFilter.Config g, double max) {
        return new GopherFilter.Config(g.minWords(), g.maxWords(), g.minMeanWordLength(), g.maxMeanWordLength(), g.maxHashRatio(),
                g.ignoreHeadingHashes(), max, g.maxBulletLineRatio(), g.maxEllipsisLineRatio(),
                g.minAlphaWordRatio(), g.minStopWords(), g.undeterminedFailsStopWords(), g.maxDupLineFraction(),
                g.maxDupLineCharFraction(), g.maxDupParagraphFraction(), g.maxDupParagraphCharFraction(),
                g.topNgramMaxFraction(), g.dupNgramMaxFraction());
    }

    private static GopherFilter.Config withoutLineRules(GopherFilter.Config g) {
        return new GopherFilter.Config(g.minWords(), g.maxWords(), g.minMeanWordLength(), g.maxMeanWordLength(), g.maxHashRatio(),
                g.ignoreHeadingHashes(), g.maxEllipsisRatio(), g.maxBulletLineRatio(), g.maxEllipsisLineRatio(),
                g.minAlphaWordRatio(), g.minStopWords(), g.undeterminedFailsStopWords(), Double.NaN, Double.NaN,
                g.maxDupParagraphFraction(), g.maxDupParagraphCharFraction(), g.topNgramMaxFraction(), g.dupNgramMaxFraction());
    }
}
