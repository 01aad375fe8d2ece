package dev.seedling.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link HfTokenizer} against the real Rust {@code tokenizers} library (0.21, through DJL's JNI binding, which bundles
 * the native library and works offline): same ids with and without special tokens, and same decoded text, on the
 * golden texts and on seeded random strings mixing scripts, whitespace kinds, digits, punctuation, emoji and
 * fragments of special tokens. If the native library cannot load, the test fails; it never skips.
 *
 * <p>DJL hands Java strings to Rust in a form that keeps unpaired surrogates as invalid bytes; Seedling encodes them
 * as U+FFFD (what UTF-8 encoding does), so the texts go to DJL with that replacement made.
 */
@ExtendWith(SeedReporter.class)
class HfTokenizerDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> NAMES = HfFixtures.NAMES;
    private static final int RANDOM_TEXTS = 300;

    @TempDir
    Path dir;

    @ParameterizedTest
    @FieldSource("NAMES")
    void sameIdsAndTextAsTheRustLibrary(String name) throws Exception {
        HfTokenizer mine = HfFixtures.tokenizer(name);
        List<String> texts = new ArrayList<>(HfFixtures.texts());
        SplittableRandom r = Seeds.rng("HfTokenizerDifferentialTest." + name);
        for (int i = 0; i < RANDOM_TEXTS; i++) texts.add(HfFixtures.randomText(r, 24));
        Path file = HfFixtures.writeTo(name, dir.resolve(name));
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            for (String text : texts) {
                String shown = JSON.writeValueAsString(text);
                String wellFormed = dev.seedling.tokenizer.internal.hf.CharClasses.replaceLoneSurrogates(text);
                long[] expected = rust.encode(wellFormed, false, false).getIds();
                int[] ids = mine.encode(text);
                assertThat(ids).as("%s ids of %s", name, shown).containsExactly(toInts(expected));
                assertThat(mine.encode(text, true)).as("%s ids with specials of %s", name, shown)
                        .containsExactly(toInts(rust.encode(wellFormed, true, false).getIds()));
                assertThat(mine.decode(ids)).as("%s decode of %s", name, shown).isEqualTo(rust.decode(expected, false));
                assertThat(mine.decode(ids, true)).as("%s decode skipping specials of %s", name, shown)
                        .isEqualTo(rust.decode(expected, true));
            }
        }
    }

    private static int[] toInts(long[] v) {
        return Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
    }
}
