package dev.seedling.tokenizer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import dev.seedling.testkit.TextFixtures;
import dev.seedling.tokenizer.HfTokenizer;
import dev.seedling.tokenizer.internal.ByteLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer against the real Hugging Face library: the files it writes load unchanged in the Rust
 * {@code tokenizers} (through DJL's JNI build) and encode exactly as a plain reference BPE encoder of the learned
 * merges does (written out below, rank by rank, from the JSON alone) and as Seedling's own runtime
 * ({@link HfTokenizer}) does; decoding gives the text back.
 */
@ExtendWith(SeedReporter.class)
class BpeTrainerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A mixed corpus: English-like sentences, German, Chinese, Japanese, Arabic, emoji, numbers, code, whitespace runs. */
    static List<String> corpus(SplittableRandom r, int docs) {
        String[] extra = {"Die Pumpe läuft über Nacht störungsfrei.", "泵的压力在夜间保持稳定。", "ポンプの圧力は安定しています。",
                "المضخة تعمل بشكل جيد", "✅ done 🚀🔥", "int x = foo(bar, 42);\n\tif (x > 7) {\n\t\treturn x * 1000;\n\t}",
                "Temperature: 1234.5678 °C at 12:30", "it's they're we've I'm you'll he'd", "   lots    of   spaces   ",
                "line\r\nbreaks\n\n\nhere", "<|endoftext|> inside <|im_start|>user text<|im_end|>"};
        List<String> out = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            StringBuilder sb = new StringBuilder();
            int n = 5 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                sb.append(r.nextInt(4) == 0 ? extra[r.nextInt(extra.length)] : TextFixtures.sentence(r));
                sb.append(r.nextInt(6) == 0 ? "\n" : " ");
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Texts to encode: the corpus's kinds plus text it never saw. */
    static List<String> probes(SplittableRandom r) {
        List<String> texts = new ArrayList<>(List.of("", " ", "The pump checks the pressure gauge.", "Hello, World! 12345678",
                "naïve café résumé ÆØÅ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 👩‍👩‍👧‍👦 family", "tab\there\u00A0nbsp\u2003em space\u3000ideo",
                "x<|endoftext|>y", "<|im_start|>assistant\nHi<|im_end|>\n", "'S 'T 'Re 'VE 'LL 'D ſ'ſ", "\n\n\n   \n  x",
                "零一二三四五六七八九十 ١٢٣ ௧௨௩ Ⅻ ½", "def f(x):\n    return {'a': [1, 2, 3]}\n"));
        for (int i = 0; i < 60; i++) texts.add(randomText(r, 80));
        return texts;
    }

    /** Random text mixing ASCII, Latin-1, CJK, emoji, controls, whitespace and special-token texts (no lone surrogates). */
    static String randomText(SplittableRandom r, int maxLen) {
        StringBuilder sb = new StringBuilder();
        int len = r.nextInt(maxLen + 1);
        while (sb.length() < len) {
            switch (r.nextInt(9)) {
                case 0, 1 -> sb.append((char) r.nextInt(0x20, 0x7F));
                case 2 -> sb.append((char) r.nextInt(0, 0x20));
                case 3 -> sb.append((char) r.nextInt(0xA0, 0x800));
                case 4 -> sb.append((char) r.nextInt(0x4E00, 0x9FFF));
                case 5 -> sb.appendCodePoint(r.nextInt(0x1F300, 0x1FAFF));
                case 6 -> {
                    int cp = r.nextInt(0, 0x10FFFF + 1);
                    if (cp < 0xD800 || cp > 0xDFFF) sb.appendCodePoint(cp);
                }
                case 7 -> sb.append(new String[] {" ", "  ", "\n", "\r\n", "\t", "\u00A0", "\u2028"}[r.nextInt(7)]);
                default -> sb.append(new String[] {"<|endoftext|>", "<|im_end|>", "<|", " the", "ing ", "123"}[r.nextInt(6)]);
            }
        }
        return sb.toString();
    }

    @Test
    void filesLoadInHuggingFaceTokenizersAndEncodeAsTheLearnedMerges() throws Exception {
        SplittableRandom r = Seeds.rng("bpe-hf");
        for (BpeTrainerConfig config : List.of(
                BpeTrainerConfig.defaults().withVocabSize(700),
                BpeTrainerConfig.defaults().withVocabSize(600).withPreTokenizer(BpeTrainerConfig.PreTokenizer.GPT2)
                        .withIndividualDigits(true).withNfc(true).withAddBosToken(true))) {
            TrainedBpe bpe = BpeTrainer.train(corpus(r, 150).iterator(), config, null);
            assertThat(bpe.vocabSize()).isEqualTo(config.vocabSize());
            Path dir = tmp.resolve(config.preTokenizer().name());
            bpe.save(dir);
            Reference ref = Reference.load(dir.resolve("tokenizer.json"));
            int bos = config.addBosToken() ? bpe.specialId(config.bosToken()) : -1;
            HfTokenizer seedling = HfTokenizer.load(dir);
            try (HuggingFaceTokenizer hf = huggingFace(dir, false); HuggingFaceTokenizer hfWithSpecials = huggingFace(dir, true)) {
                int checked = 0;
                for (String text : probes(r)) {
                    String t = config.nfc() ? java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC) : text;
                    long[] ids = hf.encode(text).getIds();
                    assertThat(ids).as("HF ids of %s (%s)", JSON.writeValueAsString(text), config.preTokenizer())
                            .containsExactly(ref.encode(t));
                    assertThat(hf.decode(ids, false)).as("decode of %s", JSON.writeValueAsString(text)).isEqualTo(t);
                    assertThat(Arrays.stream(seedling.encode(text)).asLongStream().toArray())
                            .as("Seedling's runtime ids of %s", JSON.writeValueAsString(text)).containsExactly(ids);
                    assertThat(seedling.decode(seedling.encode(text))).isEqualTo(t);
                    long[] framed = hfWithSpecials.encode(text).getIds();
                    if (bos >= 0) assertThat(framed.length).isEqualTo(ids.length + 1);
                    if (bos >= 0) assertThat(framed[0]).isEqualTo(bos);
                    else assertThat(framed).containsExactly(ids);
                    checked++;
                }
                assertThat(checked).isGreaterThan(60);
                // long input: no truncation anywhere
                String longText = String.join(" ", corpus(r, 3));
                assertThat(hf.encode(longText).getIds()).containsExactly(ref.encode(longText));
            }
        }
    }

    /** The Rust HF tokenizer on {@code dir} as it is, with DJL's default truncation to 512 tokens switched off. */
    static HuggingFaceTokenizer huggingFace(Path dir, boolean addSpecialTokens) throws IOException {
        return HuggingFaceTokenizer.builder().optTokenizerPath(dir).optAddSpecialTokens(addSpecialTokens)
                .optTruncation(false).build();
    }

    @Test
    void specialTokensAreFirstBytesNextAndTheirTextIsNeverLearned() throws IOException {
        SplittableRandom r = Seeds.rng("bpe-specials");
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) docs.add("<|im_start|>user\nhello there<|im_end|>\n<|endoftext|>" + TextFixtures.sentence(r));
        TrainedBpe bpe = BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(400), null);
        assertThat(bpe.vocab().subList(0, 4)).containsExactly("<|endoftext|>", "<|pad|>", "<|im_start|>", "<|im_end|>");
        for (int b = 0; b < 256; b++) assertThat(bpe.vocab().get(4 + b)).isEqualTo(String.valueOf(ByteLevel.charOf(b)));
        for (String tok : bpe.vocab().subList(260, bpe.vocabSize())) assertThat(tok).doesNotContain("im_start", "im_end", "endoftext");
        assertThat(bpe.vocab()).contains("Ġthere", "hello");

        JsonNode cfg = JSON.readTree(bpe.files().get("tokenizer_config.json"));
        assertThat(cfg.path("bos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(cfg.path("eos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(cfg.path("pad_token").asText()).isEqualTo("<|pad|>");
        assertThat(cfg.path("tokenizer_class").asText()).isEqualTo("PreTrainedTokenizerFast");
        assertThat(cfg.path("added_tokens_decoder").path("2").path("content").asText()).isEqualTo("<|im_start|>");
        assertThat(cfg.path("chat_template").asText()).contains("<|im_start|>", "add_generation_prompt");
        JsonNode tok = JSON.readTree(bpe.files().get("tokenizer.json"));
        assertThat(tok.path("added_tokens")).hasSize(4);
        assertThat(tok.path("added_tokens").path(3).path("special").asBoolean()).isTrue();
        assertThat(tok.path("model").path("vocab")).hasSize(400);

        TrainedBpe noChat = BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(300)
                .withSpecialTokens(List.of("<s>", "</s>"), "<s>", "</s>", null), null);
        JsonNode cfg2 = JSON.readTree(noChat.files().get("tokenizer_config.json"));
        assertThat(cfg2.has("chat_template")).isFalse();
        assertThat(cfg2.path("pad_token").isNull()).isTrue();
        assertThat(noChat.vocab().subList(0, 2)).containsExactly("<s>", "</s>");
    }

    @Test
    void sameCorpusAndSettingsGiveTheSameFiles() throws IOException {
        List<String> docs = corpus(Seeds.rng("bpe-determinism"), 120);
        BpeTrainerConfig config = BpeTrainerConfig.defaults().withVocabSize(900);
        Map<String, String> a = BpeTrainer.train(docs.iterator(), config, null).files();
        Map<String, String> b = BpeTrainer.train(docs.iterator(), config, null).files();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void theThreadCountDoesNotChangeTheResult() throws Exception {
        // the pool's size is fixed per JVM, so each count runs in a child JVM that prints a digest of the files
        String one = runChild(1), three = runChild(3);
        assertThat(one).startsWith("digest ");
        assertThat(three).isEqualTo(one);
        assertThat(ChildMain.digest()).isEqualTo(one);
    }

    private static String runChild(int threads) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dseedling.threads=" + threads, "-cp", System.getProperty("java.class.path"),
                ChildMain.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().reduce((x, y) -> y).orElse("");
    }

    /** Trains on a fixed corpus with long documents (cut into parallel tasks) and prints a digest of the files. */
    static final class ChildMain {
        public static void main(String[] args) throws Exception {
            System.out.println(digest());
        }

        static String digest() throws Exception {
            SplittableRandom r = new SplittableRandom(42);
            List<String> docs = new ArrayList<>();
            for (int d = 0; d < 6; d++) docs.add(String.join("\n", corpus(r, 60)));
            docs.addAll(corpus(r, 40));
            Map<String, String> files = BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(800), null).files();
            var md = java.security.MessageDigest.getInstance("SHA-256");
            for (var e : files.entrySet()) md.update((e.getKey() + e.getValue()).getBytes(StandardCharsets.UTF_8));
            return "digest " + java.util.HexFormat.of().formatHex(md.digest());
        }
    }

    @Test
    void minFrequencyStopsEarlyAndMaxTokenLengthCapsTokens() {
        List<String> docs = corpus(Seeds.rng("bpe-limits"), 40);
        TrainedBpe capped = BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(2000).withMaxTokenLength(3), null);
        for (String tok : capped.vocab().subList(260, capped.vocabSize())) assertThat(tok.length()).isLessThanOrEqualTo(3);
        TrainedBpe rare = BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(100_000).withMinFrequency(50), null);
        assertThat(rare.vocabSize()).isLessThan(100_000).isGreaterThan(260);
        TrainedBpe all = BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(100_000).withMinFrequency(1), null);
        assertThat(all.vocabSize()).isGreaterThan(rare.vocabSize());
        assertThat(all.stats().documents()).isEqualTo(40);
        assertThat(all.stats().distinctWords()).isGreaterThan(50);
    }

    @Test
    void maxTrainingBytesStopsReading() {
        List<String> docs = corpus(Seeds.rng("bpe-maxbytes"), 50);
        TrainedBpe bpe = BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(300).withMaxTrainingBytes(1000), null);
        assertThat(bpe.stats().bytes()).isLessThanOrEqualTo(1000).isGreaterThan(900);
        assertThat(bpe.stats().documents()).isLessThan(50);
    }

    @Test
    void badSettingsAreOneLineErrors() {
        BpeTrainerConfig d = BpeTrainerConfig.defaults();
        assertThatThrownBy(() -> d.withVocabSize(100)).isInstanceOf(SeedlingException.class).hasMessageContaining("below 260");
        assertThatThrownBy(() -> d.withMinFrequency(0)).isInstanceOf(SeedlingException.class);
        assertThatThrownBy(() -> d.withSpecialTokens(List.of("<a>"), "<b>", "<a>", null))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("BOS token <b>");
        assertThatThrownBy(() -> d.withExtraSpecialTokens(List.of("<|pad|>"))).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> BpeTrainerConfig.PreTokenizer.parse("bert")).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("llama3 or gpt2");
    }

    @Test
    void theWriteIsAtomicAndReplacesAnOldTokenizer() throws IOException {
        List<String> docs = corpus(Seeds.rng("bpe-save"), 30);
        Path dir = tmp.resolve("tok");
        BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(300), null).save(dir);
        BpeTrainer.train(docs.iterator(), BpeTrainerConfig.defaults().withVocabSize(350), null).save(dir);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("tokenizer.json", "tokenizer_config.json", TrainedBpe.TRAINING_RECORD_JSON);
        }
        assertThat(JSON.readTree(dir.resolve("tokenizer.json").toFile()).path("model").path("vocab")).hasSize(350);
        JsonNode record = JSON.readTree(dir.resolve(TrainedBpe.TRAINING_RECORD_JSON).toFile());
        assertThat(record.path("config").path("vocabSize").asInt()).isEqualTo(350);
    }

    @Test
    void cutsNeverSplitAWord() {
        SplittableRandom r = Seeds.rng("bpe-cuts");
        for (BpeTrainerConfig.PreTokenizer style : BpeTrainerConfig.PreTokenizer.values()) {
            WordSplitter splitter = WordSplitter.of(BpeTrainerConfig.defaults().withPreTokenizer(style));
            for (int round = 0; round < 20; round++) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 40; i++) sb.append(randomText(r, 30)).append(r.nextBoolean() ? "\n" : ".\n\n");
                String text = sb.toString();
                List<String> whole = new ArrayList<>(), parts = new ArrayList<>();
                splitter.split(text, (t, s, e) -> whole.add(t.substring(s, e)));
                int[] cuts = splitter.cuts(text, 50);
                assertThat(cuts.length).isGreaterThan(2);
                for (int i = 0; i + 1 < cuts.length; i++)
                    splitter.split(text.substring(cuts[i], cuts[i + 1]), (t, s, e) -> parts.add(t.substring(s, e)));
                assertThat(parts).isEqualTo(whole);
            }
        }
    }

    /**
     * A plain BPE encoder built from {@code tokenizer.json} alone: added tokens matched first, the Split regex
     * (Isolated), UTF-8 → byte-level characters, then the lowest-rank merge applied at its leftmost place until none
     * applies, then vocab lookup. Slow and obvious on purpose.
     */
    record Reference(Map<String, Integer> vocab, Map<String, Integer> ranks, Pattern split, Map<String, Integer> specials) {
        static Reference load(Path file) throws IOException {
            JsonNode root = JSON.readTree(file.toFile());
            Map<String, Integer> vocab = new HashMap<>();
            root.path("model").path("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
            Map<String, Integer> ranks = new HashMap<>();
            JsonNode merges = root.path("model").path("merges");
            for (int i = 0; i < merges.size(); i++) ranks.putIfAbsent(merges.get(i).get(0).asText() + " " + merges.get(i).get(1).asText(), i);
            String regex = root.path("pre_tokenizer").path("pretokenizers").path(0).path("pattern").path("Regex").asText();
            Map<String, Integer> specials = new HashMap<>();
            for (JsonNode t : root.path("added_tokens")) specials.put(t.path("content").asText(), t.path("id").asInt());
            return new Reference(vocab, ranks, Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS), specials);
        }

        long[] encode(String text) {
            List<Long> ids = new ArrayList<>();
            int from = 0;
            while (from <= text.length()) {
                int at = text.length(), len = 0;
                for (String s : specials.keySet()) {
                    int k = text.indexOf(s, from);
                    if (k >= 0 && (k < at || (k == at && s.length() > len))) {
                        at = k;
                        len = s.length();
                    }
                }
                String plain = text.substring(from, at);
                Matcher m = split.matcher(plain);
                int last = 0;
                while (m.find()) {
                    if (m.start() > last) word(plain.substring(last, m.start()), ids);
                    word(plain.substring(m.start(), m.end()), ids);
                    last = m.end();
                }
                if (last < plain.length()) word(plain.substring(last), ids);
                if (len == 0) break;
                ids.add((long) specials.get(text.substring(at, at + len)));
                from = at + len;
            }
            return ids.stream().mapToLong(Long::longValue).toArray();
        }

        private void word(String w, List<Long> ids) {
            if (w.isEmpty()) return;
            List<String> sym = new ArrayList<>();
            for (byte b : w.getBytes(StandardCharsets.UTF_8)) sym.add(String.valueOf(ByteLevel.charOf(b & 0xFF)));
            while (true) {
                int best = -1, bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < sym.size(); i++) {
                    Integer rank = ranks.get(sym.get(i) + " " + sym.get(i + 1));
                    if (rank != null && rank < bestRank) {
                        bestRank = rank;
                        best = i;
                    }
                }
                if (best < 0) break;
                sym.set(best, sym.get(best) + sym.remove(best + 1));
            }
            for (String s : sym) ids.add((long) vocab.get(s));
        }
    }
}
