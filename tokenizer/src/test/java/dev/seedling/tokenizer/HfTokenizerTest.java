package dev.seedling.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips, accessors, parallel encoding and one-line errors for malformed or unsupported files. */
@ExtendWith(SeedReporter.class)
class HfTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Arbitrary Unicode: any code point of any plane except unpaired surrogates, plus runs of spaces and newlines. */
    static String arbitraryUnicode(SplittableRandom r, int maxLen) {
        StringBuilder sb = new StringBuilder();
        int len = r.nextInt(maxLen + 1);
        for (int i = 0; i < len; i++) {
            switch (r.nextInt(6)) {
                case 0 -> sb.append((char) r.nextInt(0x20, 0x7F));
                case 1 -> sb.append(" \n\t\r  ".charAt(r.nextInt(6)));
                case 2 -> sb.appendCodePoint(r.nextInt(0x10000, 0x110000));
                default -> {
                    int cp = r.nextInt(0, 0x10000);
                    if (!Character.isSurrogate((char) cp)) sb.appendCodePoint(cp);
                }
            }
        }
        return sb.toString();
    }

    /**
     * Byte-level tokenizers round-trip any text (Qwen's NFC normalizer makes it NFC first); the sentencepiece-style
     * ones (Llama 2, Gemma: byte fallback) do too for text without the "▁" metaspace character, which they decode as
     * a space, and without special-token texts, after which Llama 2's per-segment prefix adds a space (HF does the
     * same).
     */
    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama3", "qwen3", "mistral_nemo", "deepseek_v3", "llama2", "gemma"})
    void decodeOfEncodeIsTheText(String name) {
        HfTokenizer tok = HfFixtures.tokenizer(name);
        SplittableRandom r = Seeds.rng("HfTokenizerTest.roundTrip." + name);
        for (int i = 0; i < 300; i++) {
            String s = arbitraryUnicode(r, 40).replace("\u2581", "_");
            if (i % 3 == 0 && !name.equals("llama2") && !name.equals("gemma")) s += HfFixtures.randomText(r, 6);
            String expected = name.equals("qwen3") ? Normalizer.normalize(s, Normalizer.Form.NFC) : s;
            if (name.equals("llama2") || name.equals("gemma")) {
                for (HfTokenizer.AddedToken a : tok.addedTokens()) assertThat(s).doesNotContain(a.content());
            }
            assertThat(tok.decode(tok.encode(s))).as("%s text #%d %s", name, i, s).isEqualTo(expected);
        }
    }

    @Test
    void accessorsDescribeTheFile() {
        HfTokenizer llama3 = HfFixtures.tokenizer("llama3");
        assertThat(llama3.modelType()).isEqualTo("BPE");
        assertThat(llama3.vocabSize()).isEqualTo(128256);
        List<String> vocab = llama3.vocab();
        assertThat(vocab).hasSize(128256);
        assertThat(vocab.get(128000)).isEqualTo("<|begin_of_text|>");
        assertThat(vocab.get(9906)).isEqualTo("Hello");
        assertThat(llama3.merges()).hasSize(280147);
        assertThat(llama3.merges().get(0)).containsExactly("\u0120", "\u0120");
        assertThat(llama3.bosId()).isEqualTo(128000);
        assertThat(llama3.eosId()).isEqualTo(128001);
        assertThat(llama3.padId()).isEqualTo(-1);
        assertThat(llama3.isSpecial(128009)).isTrue();
        assertThat(llama3.isSpecial(9906)).isFalse();
        assertThat(llama3.tokenId("<|eot_id|>")).hasValue(128009);
        assertThat(llama3.chatTemplate()).hasValueSatisfying(t -> assertThat(t).contains("bos_token"));
        assertThat(llama3.modelMaxLength()).isEqualTo(Integer.MAX_VALUE);
        assertThat(llama3.addedTokens()).hasSize(256).first().isEqualTo(
                new HfTokenizer.AddedToken(128000, "<|begin_of_text|>", true, false, false, false, false));
        assertThat(llama3.files()).containsOnlyKeys("tokenizer.json", "tokenizer_config.json");
        assertThat(llama3.files().get("tokenizer.json")).isEqualTo(HfFixtures.tokenizerJson("llama3"));

        HfTokenizer qwen = HfFixtures.tokenizer("qwen3");
        assertThat(qwen.bosId()).isEqualTo(-1);
        assertThat(qwen.eosId()).isEqualTo(qwen.tokenId("<|im_end|>").orElseThrow());
        assertThat(qwen.padId()).isEqualTo(qwen.tokenId("<|endoftext|>").orElseThrow());
        assertThat(qwen.modelMaxLength()).isEqualTo(131072);
        assertThat(qwen.isSpecial(qwen.tokenId("<think>").orElseThrow())).isFalse();
        assertThat(qwen.decode(qwen.encode("<think>a<|im_end|>"), true)).isEqualTo("<think>a");

        HfTokenizer llama2 = HfFixtures.tokenizer("llama2");
        assertThat(llama2.addBosToken()).isTrue();
        assertThat(llama2.addEosToken()).isFalse();
        assertThat(llama2.vocab().get(259)).isEqualTo("\u2581\u2581");
        assertThat(llama2.encode("hi", true)[0]).isEqualTo(llama2.bosId());
    }

    @Test
    void loadReadsTheConfigBesideTheFile() {
        Path json = HfFixtures.writeTo("gpt2", dir.resolve("gpt2"));
        HfTokenizer fromDir = HfTokenizer.load(dir.resolve("gpt2"));
        HfTokenizer fromFile = HfTokenizer.load(json);
        assertThat(fromDir.name()).isEqualTo("gpt2");
        assertThat(fromDir.eosId()).isEqualTo(50256);
        assertThat(fromFile.encode("Hello world")).containsExactly(15496, 995);
        assertThat(Tokenizers.load(dir.resolve("gpt2"))).isInstanceOf(HfTokenizer.class);
        Path out = dir.resolve("copy");
        fromDir.save(out);
        assertThat(out.resolve("tokenizer.json")).hasSameTextualContentAs(json);
    }

    @Test
    void encodeAllIsTheSameAsEncodingOneByOne() {
        HfTokenizer tok = HfFixtures.tokenizer("qwen3");
        SplittableRandom r = Seeds.rng("HfTokenizerTest.encodeAll");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) texts.add(HfFixtures.randomText(r, 30));
        int[][] all = tok.encodeAll(texts);
        for (int i = 0; i < texts.size(); i++) assertThat(all[i]).as("text %d", i).containsExactly(tok.encode(texts.get(i)));
    }

    @Test
    void unknownIdsAreAnErrorNamingTheTokenizer() {
        HfTokenizer tok = HfFixtures.tokenizer("gpt2");
        assertThatThrownBy(() -> tok.decode(new int[] {50257})).isInstanceOf(SeedlingException.class).hasMessageContaining("50257");
        assertThatThrownBy(() -> tok.tokenText(-1)).isInstanceOf(SeedlingException.class);
    }

    // ---- malformed and unsupported files: one line, naming the file and the component

    private static String base() {
        return "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[\"a b\"]}}";
    }

    private static String with(String key, String json) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(base());
        if (key.startsWith("model.")) ((ObjectNode) root.get("model")).set(key.substring(6), JSON.readTree(json));
        else root.set(key, JSON.readTree(json));
        return root.toString();
    }

    private void assertError(String json, String... parts) throws Exception {
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, json);
        var a = assertThatThrownBy(() -> HfTokenizer.load(f)).isInstanceOf(SeedlingException.class)
                .hasMessageStartingWith(f.toString()).hasMessageNotContaining("\n");
        for (String p : parts) a.hasMessageContaining(p);
    }

    @Test
    void aMinimalFileWorks() {
        HfTokenizer tok = HfTokenizer.fromJson(base(), null, "mini");
        assertThat(tok.encode("abba")).containsExactly(2, 1, 0);
        assertThat(tok.decode(new int[] {2, 1, 0})).isEqualTo("ab b a"); // no decoder: HF joins with spaces
        assertThat(tok.bosId()).isEqualTo(-1);
    }

    @Test
    void malformedOrUnsupportedFilesAreOneLineErrors() throws Exception {
        assertError("{\"model\": {\"type\": \"BPE\",\n \"vocab\": [}", "not valid JSON", "line 2");
        assertError("{\"normalizer\": null}", "no \"model\" object");
        assertError(with("model.type", "\"Unigram\""), "unsupported model type 'Unigram'");
        assertError(with("model.type", "\"WordPiece\""), "unsupported model type 'WordPiece'");
        assertError(with("normalizer", "{\"type\":\"BertNormalizer\"}"), "unsupported normalizer type 'BertNormalizer'");
        assertError(with("normalizer", "{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"\"}]}"),
                "unsupported normalizer type 'Precompiled'");
        assertError(with("pre_tokenizer", "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\"x\"}"), "unsupported pre_tokenizer type 'CharDelimiterSplit'");
        assertError(with("decoder", "{\"type\":\"CTC\"}"), "unsupported decoder type 'CTC'");
        assertError(with("post_processor", "{\"type\":\"Mystery\"}"), "unsupported post_processor type 'Mystery'");
        assertError(with("model.merges", "null"), "no \"merges\" array");
        assertError(with("model.vocab", "[]"), "no \"vocab\" object");
        assertError(with("model.merges", "[\"a b c\"]"), "model.merges[0]", "two tokens");
        assertError(with("model.merges", "[\"a x\"]"), "model.merges[0]", "\"x\"", "not in model.vocab");
        assertError(with("model.dropout", "0.1"), "dropout");
        assertError(with("pre_tokenizer", "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(unclosed\"},\"behavior\":\"Isolated\",\"invert\":false}"),
                "pre_tokenizer Split", "cannot be compiled");
        assertError(with("pre_tokenizer", "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"a\"},\"behavior\":\"Sideways\",\"invert\":false}"),
                "unknown behavior");
        assertError(with("normalizer", "{\"kind\":\"NFC\"}"), "normalizer", "has no \"type\"");
    }
}
