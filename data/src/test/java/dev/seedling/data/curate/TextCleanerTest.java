package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.text.Normalizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class TextCleanerTest {
    private static String clean(TextCleaner c, String text) {
        CurDoc out = c.apply(new CurDoc(0, "d", "s", text), new StageReport("clean", 2));
        return out == null ? null : out.text();
    }

    @Test
    void whitespaceIsNormalised() {
        TextCleaner c = new TextCleaner();
        assertThat(clean(c, "line one  \r\nline\u00A0two\t \rthree")).isEqualTo("line one\nline two\nthree");
        assertThat(clean(c, "\n\n  \na\n\n\n\n\n\nb\n\n")).isEqualTo("a\n\n\nb");
        assertThat(clean(c, "    indented code\n\tcol1\tcol2")).isEqualTo("    indented code\n\tcol1\tcol2");
        assertThat(clean(c, "x\u2028y\u2029z")).isEqualTo("x\ny\nz");
        TextCleaner oneBlank = new TextCleaner(new TextCleaner.Config(Normalizer.Form.NFC, true, 1, true));
        assertThat(clean(oneBlank, "a   b\t\tc\n\n\n\nd")).isEqualTo("a b c\n\nd");
        assertThat(clean(oneBlank, "    keep  indent")).isEqualTo("    keep indent");
    }

    @Test
    void controlAndInvisibleCharactersAreRemoved() {
        TextCleaner c = new TextCleaner();
        assertThat(clean(c, "a\u0000b\u0007c\u001Bd\u0085e\u200Bf\u00ADg\uFEFFh")).isEqualTo("abcd\ne" + "fgh");
        assertThat(clean(c, "lone \uD800 surrogate, pair \uD83D\uDE00 kept")).isEqualTo("lone  surrogate, pair \uD83D\uDE00 kept");
        TextCleaner keep = new TextCleaner(new TextCleaner.Config(null, false, 2, false));
        assertThat(clean(keep, "a\u0007b")).isEqualTo("a\u0007b");
    }

    @Test
    void unicodeNormalisation() {
        assertThat(clean(new TextCleaner(), "Cafe\u0301 \uFB01le \uFF21")).isEqualTo("Café \uFB01le \uFF21");
        TextCleaner nfkc = new TextCleaner(new TextCleaner.Config(Normalizer.Form.NFKC, true, 2, false));
        assertThat(clean(nfkc, "Cafe\u0301 \uFB01le \uFF21 \u2460")).isEqualTo("Café file A 1");
        assertThatThrownBy(() -> new TextCleaner.Config(Normalizer.Form.NFD, true, 2, false)).isInstanceOf(SeedlingException.class);
    }

    @Test
    void unchangedDocumentIsReturnedAsIsAndBlankOnesAreDropped() {
        TextCleaner c = new TextCleaner();
        CurDoc d = new CurDoc(3, "d", "s", "Clean text.\n\nWith — dashes and 30 N·m.");
        StageReport r = new StageReport("clean", 2);
        assertThat(c.apply(d, r)).isSameAs(d);
        CurDoc blank = new CurDoc(4, "b", "s", " \n\u200B\t\n");
        assertThat(c.apply(blank, r)).isNull();
        assertThat(r.counts()).containsEntry("empty_after_cleaning", 1L);
    }

    /** The fast path (nothing but trimming to do) must agree with the full pass on any input. */
    @Test
    void fastPathMatchesFullPass() {
        SplittableRandom r = Seeds.rng("TextCleanerTest.fastPath");
        String[] pieces = {"a", "B", "word", " ", "  ", "\t", "\n", "\n\n", "\n\n\n\n", "\r\n", "\r", "\u00A0", "é", "e\u0301",
                "\u2003", "\u200B", "\u0007", "\u0085", "\uD83D\uDE00", "\uD800", "—", "N·m", "\uFEFF", "\u2028"};
        for (TextCleaner.Config cfg : new TextCleaner.Config[] {TextCleaner.Config.defaults(),
                new TextCleaner.Config(null, false, 0, true), new TextCleaner.Config(null, true, 1, false)}) {
            TextCleaner c = new TextCleaner(cfg);
            for (int t = 0; t < 3000; t++) {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(12);
                for (int i = 0; i < n; i++) sb.append(pieces[r.nextInt(pieces.length)]);
                String s = sb.toString();
                int[] f1 = new int[1];
                String out = c.clean(s, f1);
                assertThat(out).as("%s on %s", cfg, s.replace("\n", "\\n")).isEqualTo(c.cleanFull(s, new int[1]));
                if (!out.equals(s)) assertThat(f1[0]).as("a change is flagged: %s", s).isNotZero();
            }
        }
    }
}
