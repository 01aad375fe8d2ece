package dev.seedling.tokenizer.internal.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written scanners give exactly the matches of the regex they replace (java.util.regex running the
 * translated Oniguruma pattern), on many seeded random strings built to hit the alternatives' edges: contractions in
 * any case (and U+017F), runs of letters/digits/punctuation, every kind of white space before letters, digits,
 * punctuation and line breaks, and code points from all planes.
 */
@ExtendWith(SeedReporter.class)
class PatternScannersTest {
    private static final String[] PIECES = {
        "'", "'s", "'S", "'t", "'T", "'M", "'VE", "'Ll", "'re", "'RE", "'rE", "'ve", "'Ve", "'m", "'ll", "'LL", "'lL", "'d", "'D", "'ſ", "'x", "'",
        "a", "Z", "é", "ß", "ǅ", "ʰ", "中", "ñ", "Ω", "𝔘", "ſ", "K",
        "1", "12", "1234", "٣", "Ⅻ", "½", "²", "𝟘",
        " ", "  ", "   ", "\t", "\n", "\r", "\r\n", "\n\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\u000b", "\u001c", "\u200b",
        ".", ",", "!", "-", "...", "“", "€", "😀", "\u0301", "_", "\\", "/", "\u0000",
    };

    static String random(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) == 0) sb.appendCodePoint(randomCodePoint(r));
            else sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    private static int randomCodePoint(SplittableRandom r) {
        while (true) {
            int cp = r.nextInt(2) == 0 ? r.nextInt(0x80, 0x3000) : r.nextInt(0, 0x110000);
            if (!(cp >= 0xD800 && cp <= 0xDFFF)) return cp;
        }
    }

    private static List<String> viaRegex(Pattern p, String t) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(t);
        int prev = 0;
        while (m.find()) {
            if (m.start() != prev) out.add("gap:" + t.substring(prev, m.start()));
            out.add(t.substring(m.start(), m.end()));
            prev = m.end();
        }
        if (prev != t.length()) out.add("gap:" + t.substring(prev));
        return out;
    }

    private static List<String> viaScanner(PatternScanners.Scanner s, String t) {
        Spans spans = new Spans();
        s.scan(t, spans);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < spans.size; i++) out.add((spans.match[i] ? "" : "gap:") + t.substring(spans.start[i], spans.end[i]));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama3", "qwen2"})
    void scannerEqualsRegex(String which) {
        String pattern = switch (which) {
            case "gpt2" -> PatternScanners.GPT2;
            case "llama3" -> PatternScanners.LLAMA3;
            default -> PatternScanners.QWEN2;
        };
        PatternScanners.Scanner scanner = PatternScanners.forPattern(pattern);
        assertThat(scanner).isNotNull();
        assertThat(OnigRegex.compile(pattern, "test").hasScanner()).isTrue();
        Pattern regex = OnigRegex.compileRegexOnly(pattern, "test").pattern();
        SplittableRandom r = Seeds.rng("PatternScannersTest." + which);
        for (int i = 0; i < 10_000; i++) {
            String t = random(r);
            assertThat(viaScanner(scanner, t)).as("%s on %s", which, t.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(viaRegex(regex, t));
        }
    }
}
