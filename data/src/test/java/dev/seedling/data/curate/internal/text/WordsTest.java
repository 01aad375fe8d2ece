package dev.seedling.data.curate.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class WordsTest {
    static long[] words(String text) {
        LongList out = new LongList(4);
        int n = Words.hashes(text, out);
        return Arrays.copyOf(out.a, n);
    }

    @Test
    void wordsAreLowerCasedRunsOfLettersDigitsAndMarks() {
        assertThat(words("Pump-3 FAILED, again!")).containsExactly(
                Words.hashWord("pump"), Words.hashWord("3"), Words.hashWord("failed"), Words.hashWord("again"));
        assertThat(words("ÉCOLE d'été")).isEqualTo(words("école d été"));
        assertThat(words("cafe\u0301 x")).hasSize(2).startsWith(Words.hashWord("cafe\u0301")); // a combining mark stays in the word
        assertThat(words("\uD801\uDC00bc")).containsExactly(Words.hashWord("\uD801\uDC28bc")); // Deseret capital → small
        assertThat(words(" \t ... ")).isEmpty();
        assertThat(words("\uD800 lone")).containsExactly(Words.hashWord("lone"));
    }

    @Test
    void ngramsDependOnWordsOrderAndLength() {
        long[] w = words("a b c d e f");
        LongList g = new LongList(4);
        assertThat(Words.ngrams(w, w.length, 3, g)).isEqualTo(4);
        long[] tri = Arrays.copyOf(g.a, g.n);
        assertThat(Arrays.stream(tri).distinct().count()).isEqualTo(4);
        long[] again = words("x a b c");
        Words.ngrams(again, again.length, 3, g);
        assertThat(g.a[1]).isEqualTo(tri[0]); // "a b c" hashes the same wherever it occurs
        long[] swapped = words("b a c");
        Words.ngrams(swapped, swapped.length, 3, g);
        assertThat(g.a[0]).isNotEqualTo(tri[0]);
        Words.ngrams(w, 3, 3, g);
        long whole = g.a[0];
        assertThat(whole).isEqualTo(tri[0]);
        assertThat(Words.ngrams(w, w.length, 7, g)).isZero();
        Words.ngrams(w, 2, 2, g);
        assertThat(g.a[0]).isNotEqualTo(tri[0]);
    }
}
