package dev.seedling.tokenizer.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.ByteTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatFormatTest {
    private final ByteTokenizer tok = new ByteTokenizer();

    @Test
    void seedlingDefaultStopsOnEndOfTurnThenEos() {
        ChatFormat f = ChatFormat.seedlingDefault(tok);
        assertThat(f.stopIds()).containsExactly(ByteTokenizer.IM_END_ID, ByteTokenizer.ENDOFTEXT_ID);
        assertThat(f.stopTokens()).containsExactly("<|im_end|>", "<|endoftext|>");
        assertThat(f.isStop(ByteTokenizer.IM_END_ID)).isTrue();
        assertThat(f.isStop('a')).isFalse();
        assertThat(f.render(List.of(ChatMessage.user("hi")), RenderOptions.generation()))
                .isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(f.generationConfigJson()).isEqualTo("{\n  \"bos_token_id\": 256,\n  \"eos_token_id\": [\n    259,\n    256\n  ],\n"
                + "  \"pad_token_id\": 257\n}\n");
    }

    @Test
    void writtenModelDirectoryLoadsBackTheSameFormat(@TempDir Path dir) throws Exception {
        ChatFormat f = ChatFormat.seedlingDefault(tok);
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": \"<|endoftext|>\", \"eos_token\": {\"content\": \"<|endoftext|>\"}, \"chat_template\": "
                        + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(ChatTemplate.SEEDLING_DEFAULT) + "}");
        Files.writeString(dir.resolve("generation_config.json"), f.generationConfigJson());
        ChatFormat g = ChatFormat.load(dir, tok);
        assertThat(g.stopIds()).isEqualTo(f.stopIds());
        assertThat(g.bosId()).isEqualTo(256);
        assertThat(g.template().source()).isEqualTo(ChatTemplate.SEEDLING_DEFAULT);
        assertThat(g.template().specialTokens()).containsEntry("eos_token", "<|endoftext|>");
    }

    @Test
    void loadPrefersChatTemplateJinjaAndReadsListFormAndIntEos(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"default\", \"template\": \"D\"}, {\"name\": \"tool_use\", \"template\": \"T\"}]}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 259}");
        ChatFormat f = ChatFormat.load(dir, tok);
        assertThat(f.template().sources()).containsKeys("default", "tool_use");
        assertThat(f.stopIds()).containsExactly(259, 256);
        Files.writeString(dir.resolve("chat_template.jinja"), "J{{ bos_token }}");
        assertThat(ChatFormat.load(dir, tok).render(List.of(), RenderOptions.DEFAULT)).isEqualTo("J");
    }

    @Test
    void badModelDirectoriesAreOneLineErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ChatFormat.load(dir, tok)).isInstanceOf(SeedlingException.class).hasMessageContaining("has no chat template");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for %}\"}");
        assertThatThrownBy(() -> ChatFormat.load(dir, tok)).isInstanceOf(SeedlingException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("syntax error");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"x\"}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [1, \"two\"]}");
        assertThatThrownBy(() -> ChatFormat.load(dir, tok)).hasMessageContaining("eos_token_id");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 99999}");
        assertThatThrownBy(() -> ChatFormat.load(dir, tok)).hasMessageContaining("outside the tokenizer's vocabulary");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{not json");
        assertThatThrownBy(() -> ChatFormat.load(dir, tok)).isInstanceOf(SeedlingException.class).hasMessageContaining("cannot read");
    }

    @Test
    void unknownStopTokenIsAnError() {
        assertThatThrownBy(() -> ChatFormat.of(ChatTemplate.seedlingDefault(java.util.Map.of()), tok, List.of("<|eot_id|>")))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("<|eot_id|>");
    }
}
