package dev.seedling.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class TokenizersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void saveThenLoadRoundTrips() {
        ByteTokenizer saved = new ByteTokenizer(4096);
        saved.save(dir.resolve("model"));
        Tokenizer fromDir = Tokenizers.load(dir.resolve("model"));
        Tokenizer fromFile = Tokenizers.load(dir.resolve("model/tokenizer.json"));
        assertThat(fromDir).isEqualTo(saved).isInstanceOf(ByteTokenizer.class);
        assertThat(fromFile).isEqualTo(saved);
        SplittableRandom r = Seeds.rng("TokenizersTest.roundTrip");
        for (int i = 0; i < 50; i++) {
            String s = ByteTokenizerTest.randomText(r, 30);
            assertThat(fromDir.encode(s)).containsExactly(saved.encode(s));
        }
        try (var files = Files.list(dir.resolve("model"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tokenizer.json", "tokenizer_config.json");
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void writesAHuggingFaceByteLevelTokenizer() throws IOException {
        new ByteTokenizer().save(dir);
        JsonNode root = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        JsonNode model = root.get("model");
        assertThat(model.get("type").asText()).isEqualTo("BPE");
        assertThat(model.get("merges").size()).isZero();
        JsonNode vocab = model.get("vocab");
        assertThat(vocab.size()).isEqualTo(256);
        assertThat(vocab.get("A").asInt()).isEqualTo('A');
        assertThat(vocab.get("\u0120").asInt()).isEqualTo(' '); // GPT-2's 'Ġ' is the space byte
        assertThat(vocab.get("\u010A").asInt()).isEqualTo('\n'); // 'Ċ'
        assertThat(vocab.get("\u0100").asInt()).isEqualTo(0);
        assertThat(vocab.get("\u00FF").asInt()).isEqualTo(0xFF);
        assertThat(vocab.get("\u0143").asInt()).isEqualTo(0xAD); // soft hyphen, the last remapped byte
        assertThat(root.at("/pre_tokenizer/type").asText()).isEqualTo("ByteLevel");
        assertThat(root.at("/pre_tokenizer/add_prefix_space").asBoolean()).isFalse();
        assertThat(root.at("/pre_tokenizer/use_regex").asBoolean()).isFalse();
        assertThat(root.at("/decoder/type").asText()).isEqualTo("ByteLevel");
        assertThat(root.get("added_tokens")).hasSize(4);
        assertThat(root.at("/added_tokens/3/content").asText()).isEqualTo("<|im_end|>");
        assertThat(root.at("/added_tokens/3/id").asInt()).isEqualTo(259);
        assertThat(root.at("/added_tokens/3/special").asBoolean()).isTrue();
        JsonNode cfg = JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(cfg.get("tokenizer_class").asText()).isEqualTo("PreTrainedTokenizerFast");
        assertThat(cfg.get("bos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(cfg.get("eos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(cfg.get("pad_token").asText()).isEqualTo("<|pad|>");
        assertThat(cfg.get("model_max_length").asInt()).isEqualTo(ByteTokenizer.DEFAULT_MODEL_MAX_LENGTH);
        assertThat(cfg.get("clean_up_tokenization_spaces").asBoolean()).isFalse();
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, "{\"model\": {\"type\": \"BPE\",\n \"vocab\": [}");
        assertThatThrownBy(() -> Tokenizers.load(dir))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("line 2")
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingFileNamesThePath() {
        assertThatThrownBy(() -> Tokenizers.load(dir.resolve("nope")))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Tokenizers.load(dir))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("tokenizer.json");
    }

    @Test
    void learnedBpeLoadsAsHfTokenizer() throws IOException {
        new ByteTokenizer().save(dir);
        Path f = dir.resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
        ObjectNode model = (ObjectNode) root.get("model");
        model.withArray("merges").addArray().add("\u0120").add("t");
        model.withArray("merges").addArray().add("h").add("e");
        ((ObjectNode) model.get("vocab")).put("\u0120t", 256).put("he", 257);
        // HF gives added tokens the ids after the vocab, in order, whatever the file says: write those
        root.withArray("added_tokens").forEach(t -> ((ObjectNode) t).put("id", t.get("id").asInt() + 2));
        Files.writeString(f, root.toString());
        Tokenizer tok = Tokenizers.load(f);
        assertThat(tok).isInstanceOf(HfTokenizer.class);
        assertThat(tok.encode(" the<|im_end|>")).containsExactly(256, 257, 261);
        assertThat(tok.decode(new int[] {256, 257, 261})).isEqualTo(" the<|im_end|>");
        assertThat(tok.vocabSize()).isEqualTo(262);
        assertThat(((HfTokenizer) tok).merges()).hasSize(2);
    }

    @Test
    void aMergeOutsideTheVocabNamesFileAndMerge() throws IOException {
        new ByteTokenizer().save(dir);
        Path f = dir.resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
        ((ObjectNode) root.get("model")).withArray("merges").addArray().add("h").add("e");
        Files.writeString(f, root.toString());
        assertThatThrownBy(() -> Tokenizers.load(f)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("model.merges[0]").hasMessageContaining("\"he\"")
                .hasMessageNotContaining("\n");
    }

    @Test
    void otherModelsAreRefusedAndPermutedVocabsLoadAsHfTokenizer() throws IOException {
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, "{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}");
        assertThatThrownBy(() -> Tokenizers.load(f)).isInstanceOf(SeedlingException.class)
                .hasMessage(f + ": unsupported model type 'Unigram'");

        new ByteTokenizer().save(dir);
        ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
        ObjectNode vocab = (ObjectNode) root.at("/model/vocab");
        vocab.put("A", 66);
        vocab.put("B", 65);
        Files.writeString(f, root.toString());
        Tokenizer tok = Tokenizers.load(f);
        assertThat(tok).isInstanceOf(HfTokenizer.class);
        assertThat(tok.encode("AB")).containsExactly(66, 65);
    }

    @Test
    void otherSpecialsLoadAsHfTokenizer() throws IOException {
        new ByteTokenizer().save(dir);
        Path f = dir.resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
        root.withArray("added_tokens").remove(3);
        Files.writeString(f, root.toString());
        Tokenizer tok = Tokenizers.load(dir);
        assertThat(tok).isInstanceOf(HfTokenizer.class);
        assertThat(tok.encode("<|im_end|>")).hasSize(10); // no longer special: its bytes
        assertThat(tok.encode("<|im_start|>")).containsExactly(258);
        assertThat(tok.eosId()).isEqualTo(256);
    }

    @Test
    void saveReplacesExistingFilesAtomically() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "old");
        new ByteTokenizer(77).save(dir);
        assertThat(((ByteTokenizer) Tokenizers.load(dir)).modelMaxLength()).isEqualTo(77);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }
}
