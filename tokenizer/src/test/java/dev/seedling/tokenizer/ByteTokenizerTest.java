package dev.seedling.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class ByteTokenizerTest {
    private final ByteTokenizer tok = new ByteTokenizer();

    /** Random text mixing ASCII, Latin-1, CJK, emoji (surrogate pairs), controls and special-token texts. */
    static String randomText(SplittableRandom r, int maxLen) {
        StringBuilder sb = new StringBuilder();
        int len = r.nextInt(maxLen + 1);
        while (sb.length() < len) {
            switch (r.nextInt(8)) {
                case 0 -> sb.append((char) r.nextInt(0x20, 0x7F));
                case 1 -> sb.append((char) r.nextInt(0, 0x20));
                case 2 -> sb.append((char) r.nextInt(0xA0, 0x800));
                case 3 -> sb.append((char) r.nextInt(0x4E00, 0x9FFF));
                case 4 -> sb.appendCodePoint(r.nextInt(0x1F300, 0x1FAFF));
                case 5 -> sb.appendCodePoint(r.nextInt(0x10000, 0x10FFFF + 1));
                case 6 -> {
                    int cp = r.nextInt(0, 0x10FFFF + 1);
                    if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) sb.appendCodePoint(cp);
                }
                default -> sb.append(new String[] {"<|endoftext|>", "<|im_start|>", "<|", " ", "\n"}[r.nextInt(5)]);
            }
        }
        return sb.toString();
    }

    @Test
    void roundTripsArbitraryUnicode() {
        SplittableRandom r = Seeds.rng("ByteTokenizerTest.roundTrip");
        for (int i = 0; i < 400; i++) {
            String s = randomText(r, 60);
            int[] ids = tok.encode(s);
            assertThat(tok.decode(ids)).as("text #%d %s", i, s).isEqualTo(s);
            for (int id : ids) assertThat(id).isBetween(0, ByteTokenizer.VOCAB_SIZE - 1);
        }
    }

    @Test
    void encodesUtf8BytesAndSpecialTexts() {
        assertThat(tok.encode("")).isEmpty();
        assertThat(tok.encode("aé€😀")).containsExactly(
                'a', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80);
        assertThat(tok.encode("x<|im_start|>user<|im_end|><|endoftext|><|pad|><|nope|>"))
                .startsWith('x', 258, 'u', 's', 'e', 'r', 259, 256, 257, '<', '|', 'n');
        String s = "plain ascii text, no specials";
        assertThat(tok.encode(s)).containsExactly(s.chars().toArray());
    }

    @Test
    void nonSpecialTextEncodesToItsUtf8Bytes() {
        SplittableRandom r = Seeds.rng("ByteTokenizerTest.bytes");
        for (int i = 0; i < 200; i++) {
            String s = randomText(r, 40).replace("<|", "[|");
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            int[] expected = new int[utf8.length];
            for (int j = 0; j < utf8.length; j++) expected[j] = utf8[j] & 0xFF;
            assertThat(tok.encode(s)).containsExactly(expected);
        }
    }

    @Test
    void unpairedSurrogateEncodesAsReplacementCharacter() {
        assertThat(tok.encode("a\uD800b")).containsExactly('a', 0xEF, 0xBF, 0xBD, 'b');
        assertThat(tok.decode(tok.encode("\uDC00"))).isEqualTo("\uFFFD");
    }

    @Test
    void decodesSplitSequencesLeniently() {
        int[] euro = tok.encode("€"); // E2 82 AC
        assertThat(tok.decode(euro, 0, 2)).isEqualTo("\uFFFD");
        assertThat(tok.decode(euro, 1, 3)).isEqualTo("\uFFFD\uFFFD");
        assertThat(tok.decode(new int[] {0xE2, 0x82, 'A'})).isEqualTo("\uFFFDA");
        assertThat(tok.decode(new int[] {0xF0, 0x80})).isEqualTo("\uFFFD\uFFFD");
        assertThat(tok.decode(new int[] {0xE2, 256, 0x82, 0xAC})).isEqualTo("\uFFFD<|endoftext|>\uFFFD\uFFFD");
        assertThat(tok.decode(new int[] {0xED, 0xA0, 0x80})).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(tok.decode(new int[] {0xC0, 0xAF})).isEqualTo("\uFFFD\uFFFD");
        // cutting on a character boundary loses nothing; cutting inside one replaces only the cut character
        String text = "日本語😀é";
        int[] ids = tok.encode(text);
        for (int cut = 0; cut <= ids.length; cut++) {
            String a = tok.decode(ids, 0, cut), b = tok.decode(ids, cut, ids.length);
            boolean boundary = cut == ids.length || (ids[cut] & 0xC0) != 0x80;
            if (boundary) assertThat(a + b).as("cut %d", cut).isEqualTo(text);
            else assertThat(a).as("cut %d", cut).endsWith("\uFFFD");
        }
    }

    /**
     * The JDK's decoder also substitutes maximal subparts, except that it swallows {@code ED A0..BF} (an encoded
     * surrogate) as one unit where Unicode, Rust and so HF replace each byte; those inputs are left out here and
     * covered in {@link #decodesSplitSequencesLeniently}.
     */
    @Test
    void lenientDecodingMatchesTheJdkOnRandomBytes() {
        SplittableRandom r = Seeds.rng("ByteTokenizerTest.lossy");
        for (int i = 0; i < 2000; i++) {
            int n = r.nextInt(24);
            byte[] bytes = new byte[n];
            int[] ids = new int[n];
            for (int j = 0; j < n; j++) {
                int b = r.nextInt(4) == 0 ? r.nextInt(0x80) : r.nextInt(0x80, 0x100);
                if (j > 0 && (bytes[j - 1] & 0xFF) == 0xED && b >= 0xA0 && b <= 0xBF) b = 0x80;
                bytes[j] = (byte) b;
                ids[j] = b;
            }
            assertThat(tok.decode(ids)).as("bytes %s", java.util.Arrays.toString(bytes))
                    .isEqualTo(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void specialsAndDisplay() {
        assertThat(tok.vocabSize()).isEqualTo(260);
        assertThat(tok.bosId()).isEqualTo(256);
        assertThat(tok.eosId()).isEqualTo(256);
        assertThat(tok.padId()).isEqualTo(257);
        assertThat(tok.tokenId("<|im_start|>")).hasValue(258);
        assertThat(tok.tokenId("<|im_end|>")).hasValue(259);
        assertThat(tok.tokenId("a")).isEmpty();
        assertThat(tok.tokenText('a')).isEqualTo("a");
        assertThat(tok.tokenText('\n')).isEqualTo("<0x0A>");
        assertThat(tok.tokenText(0xE2)).isEqualTo("<0xE2>");
        assertThat(tok.tokenText(259)).isEqualTo("<|im_end|>");
        assertThatThrownBy(() -> tok.tokenText(260)).isInstanceOf(SeedlingException.class).hasMessageContaining("260");
        assertThatThrownBy(() -> tok.decode(new int[] {-1})).isInstanceOf(SeedlingException.class);
    }
}
