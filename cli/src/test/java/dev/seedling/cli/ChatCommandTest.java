package dev.seedling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.tokenizer.ByteTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seedling chat} with piped input: the model's chat template, its stop tokens, multi-turn history. */
class ChatCommandTest {
    @TempDir
    Path tmp;

    /** A random tiny model saved with the byte tokenizer, as `seedling pretrain` would. */
    private Path tinyModel() {
        LlamaConfig cfg = LlamaConfig.preset("tiny").withOverrides(java.util.Map.of("hidden_size", "32", "intermediate_size", "64",
                "num_hidden_layers", "1", "num_attention_heads", "4", "num_key_value_heads", "2", "vocab_size", "320"));
        ByteTokenizer tok = new ByteTokenizer();
        cfg = cfg.withSpecialTokens(tok.bosId(), tok.eosId());
        Path dir = tmp.resolve("model");
        LlamaModel.initialize(cfg, 7, false).save(dir, tok);
        return dir;
    }

    private static CliTest.Result chat(String stdin, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return CliTest.cli(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void seedlingModelsRecordTheirChatStopTokens() throws IOException {
        Path model = tinyModel();
        JsonNode gen = new ObjectMapper().readTree(Files.readString(model.resolve("generation_config.json")));
        // <|im_end|> (259) ends a turn, then the EOS (256)
        assertThat(gen.get("eos_token_id").toString()).isEqualTo("[259,256]");
        assertThat(Files.readString(model.resolve("tokenizer_config.json"))).contains("chat_template").contains("<|im_start|>");
    }

    @Test
    void rendersEachTurnWithTheTemplateAndKeepsTheHistory() {
        Path model = tinyModel();
        CliTest.Result r = chat("Hello there\n\nWhat is E-4411?\n", "chat", "--model", model.toString(), "--temperature", "0",
                "--max-tokens", "8", "--system", "You are terse.", "--show-prompt");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> prompts = r.out().lines().filter(l -> l.startsWith("[prompt]")).toList();
        assertThat(prompts).hasSize(2);
        assertThat(r.out()).contains("[prompt]<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n[/prompt]");
        // the second prompt carries the first exchange: user, the model's reply, then the new question
        String second = r.out().substring(r.out().lastIndexOf("[prompt]"));
        assertThat(second).contains("<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n")
                .contains("<|im_start|>user\nWhat is E-4411?<|im_end|>\n<|im_start|>assistant\n[/prompt]");
        // greedy decoding is reproducible
        CliTest.Result again = chat("Hello there\n\nWhat is E-4411?\n", "chat", "--model", model.toString(), "--temperature", "0",
                "--max-tokens", "8", "--system", "You are terse.", "--show-prompt");
        assertThat(again.out()).isEqualTo(r.out());
    }

    @Test
    void resetForgetsTheConversation() {
        Path model = tinyModel();
        CliTest.Result r = chat("first\n/reset\nsecond\n/exit\nnever read\n", "chat", "--model", model.toString(),
                "--temperature", "0", "--max-tokens", "4", "--show-prompt");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(conversation cleared)").doesNotContain("never read");
        String last = r.out().substring(r.out().lastIndexOf("[prompt]"));
        assertThat(last).doesNotContain("first").contains("second");
    }

    @Test
    void aMissingModelIsOneLine() {
        String line = CliTest.assertOneLineError(chat("hi\n", "chat", "--model", tmp.resolve("nope").toString()));
        assertThat(line).contains("nope").contains("does not exist");
    }
}
