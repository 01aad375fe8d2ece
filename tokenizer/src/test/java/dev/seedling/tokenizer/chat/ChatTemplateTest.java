package dev.seedling.tokenizer.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interpreter on small templates, errors, SFT spans and rendering speed. */
class ChatTemplateTest {
    private static String run(String template, Map<String, Object> vars) {
        return ChatTemplate.compile(template, "t.jinja", Map.of()).render(List.of(),
                RenderOptions.DEFAULT.withVariables(vars).withClock(ChatTemplateGoldenTest.FIXED));
    }

    private static String run(String template) {
        return run(template, Map.of());
    }

    @Test
    void expressionsFollowJinja() {
        assertThat(run("{{ 1 + 2 * 3 }} {{ 7 // 2 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 1.5 + 1 }} {{ 2.0 }}")).isEqualTo("7 3 3.5 1024 2.5 2.0");
        assertThat(run("{{ 'a' ~ 1 ~ true }} {{ 'ab' + 'cd' }} {{ 'b' in 'abc' }} {{ 3 in [1, 2] }} {{ 'k' in {'k': 1} }}"))
                .isEqualTo("a1true abcd true false true");
        assertThat(run("{{ x if x else 'no' }} {{ none }}|{{ undefined_thing }}|{{ [1, 'a', none] }} {{ {'a': [1, 2.5]} }}"))
                .isEqualTo("no ||[1, \"a\", null] {\"a\": [1, 2.5]}");
        assertThat(run("{{ [1, 2, 3, 4][1:3] }} {{ [1, 2, 3][::-1] }} {{ 'héllo'[-3:] }} {{ [1, 2, 3][-1] }} {{ 'abc'.upper() }}"))
                .isEqualTo("[2, 3] [3, 2, 1] llo 3 ABC");
        assertThat(run("{{ 'a b  c'.split() | length }} {{ 'x,y'.split(',') | join('+') }} {{ ' x '.strip() }}|{{ 'ab'.replace('a', 'A') }}"))
                .isEqualTo("3 x+y x|Ab");
        assertThat(run("{{ x is defined }} {{ none is none }} {{ 'a' is string }} {{ {} is mapping }} {{ [1] is iterable }}"))
                .isEqualTo("false true true true true");
    }

    @Test
    void pythonStripWithCharactersAndLoopControlsKeepOutput() {
        // documented departures from @huggingface/jinja, towards Python Jinja (what transformers renders)
        assertThat(run("[{{ '\\n  x \\n'.lstrip('\\n') }}]")).isEqualTo("[  x \n]");
        assertThat(run("[{{ 'xxaxx'.strip('x') }}|{{ 'ab\\n\\n'.rstrip('\\n') }}]")).isEqualTo("[a|ab]");
        assertThat(run("{% for i in range(5) %}<{{ i }}{% if i == 1 %}{% continue %}{% endif %}{% if i == 3 %}{% break %}{% endif %}>{% endfor %}"))
                .isEqualTo("<0><1<2><3");
        assertThat(run("{{ '' == false }} {{ 0 == false }}")).isEqualTo("false true");
        // where the reference raises, Python Jinja's behaviour: undefined iterates as empty, strings by character,
        // CRLF reads as LF, a backslash-newline continues a string, unknown escapes stay as written
        assertThat(run("[{% for c in missing.tool_calls %}x{% endfor %}]{% for c in 'aé' %}<{{ c }}>{% endfor %}")).isEqualTo("[]<a><é>");
        assertThat(run("{% if true %}\r\n  a\r\n{% endif %}\r\nb\rc")).isEqualTo("  a\nb\nc");
        assertThat(run("{{ 'one \\\ntwo' }}|{{ '\\d+' }}")).isEqualTo("one two|\\d+");
        assertThat(run("{{ ['a', 'B'] | map('upper') | join(',') }} {{ [1, 2] | count }}")).isEqualTo("A,B 2");
    }

    @Test
    void statementsScopesNamespacesAndMacros() {
        assertThat(run("{% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% set local = i %}{% endfor %}{{ ns.n }}{{ local }}"))
                .isEqualTo("6");
        assertThat(run("{% for k, v in {'a': 1, 'b': 2}.items() if v > 1 %}{{ k }}={{ v }}{{ loop.length }}{% else %}none{% endfor %}"))
                .isEqualTo("b=21");
        assertThat(run("{% for x in [] %}x{% else %}empty{% endfor %}")).isEqualTo("empty");
        assertThat(run("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bo') }} {{ greet('Al', punct='?') }}"))
                .isEqualTo("Hi Bo! Hi Al?");
        assertThat(run("{% set x %}block {{ 1 }}{% endset %}{{ x | upper }}{# comment #}")).isEqualTo("BLOCK 1");
        assertThat(run("{{ {'b': 1, 'a': [1, {'c': 'é'}]} | tojson(indent=2) }}"))
                .isEqualTo("{\n  \"b\": 1,\n  \"a\": [\n    1,\n    {\n      \"c\": \"é\"\n    }\n  ]\n}");
        assertThat(run("{{ strftime_now('%Y-%m-%d %b %B %H:%M') }}")).isEqualTo("2026-01-05 Jan January 09:07");
    }

    @Test
    void whitespaceControlIsTransformers() {
        assertThat(run("{% if true %}\n  a\n{% endif %}\n  {% if true %}b{% endif %}\n")).isEqualTo("  a\nb");
        assertThat(run("x   {{- 'y' -}}   z  {#- c -#}  w")).isEqualTo("xyzw");
    }

    @Test
    void syntaxErrorsAreOneLineNamingSourceAndLine() {
        assertThatThrownBy(() -> ChatTemplate.compile("hello\n{% if x %}unclosed", "my/tokenizer_config.json", Map.of()))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("my/tokenizer_config.json")
                .hasMessageContaining("syntax error").hasMessageContaining("endif")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> ChatTemplate.compile("line1\nline2 {{ x | frobnicate }}", "cfg.json", Map.of()))
                .isInstanceOf(SeedlingException.class).hasMessage("chat template cfg.json line 2: syntax error: unknown filter 'frobnicate'");
        assertThatThrownBy(() -> ChatTemplate.compile("{{ x is frob }}", "cfg.json", Map.of()))
                .hasMessageContaining("unknown test 'frob'");
        assertThatThrownBy(() -> ChatTemplate.compile("{% foo %}", "cfg.json", Map.of())).hasMessageContaining("unknown statement 'foo'");
        assertThatThrownBy(() -> ChatTemplate.compile("{{ 'abc }}", "cfg.json", Map.of())).hasMessageContaining("unterminated string");
    }

    @Test
    void raisedAndRuntimeErrorsAreOneLine() {
        ChatTemplate t = ChatTemplate.compile("{{ raise_exception('Roles must\\nalternate') }}", "x.json", Map.of());
        assertThatThrownBy(() -> t.render(List.of(ChatMessage.user("a")), RenderOptions.DEFAULT))
                .isInstanceOf(SeedlingException.class).hasMessage("chat template x.json raised an error: Roles must\\nalternate");
        ChatTemplate bad = ChatTemplate.compile("ok\n{{ messages[0].content + 1 - none }}", "y.json", Map.of());
        assertThatThrownBy(() -> bad.render(List.of(ChatMessage.user("a")), RenderOptions.DEFAULT))
                .isInstanceOf(SeedlingException.class).hasMessageStartingWith("chat template y.json line 2: ");
    }

    @Test
    void spansCoverEachAssistantReplyAndItsEndMarker() {
        ChatTemplate t = ChatTemplate.seedlingDefault(Map.of("eos_token", "<|endoftext|>"));
        List<ChatMessage> chat = List.of(ChatMessage.system("S"), ChatMessage.user("Q1"), ChatMessage.assistant("A1"),
                ChatMessage.user("Q2"), ChatMessage.assistant("A2 ü"));
        RenderedChat r = t.renderWithSpans(chat, RenderOptions.DEFAULT);
        assertThat(r.text()).isEqualTo("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ1<|im_end|>\n<|im_start|>assistant\n"
                + "A1<|im_end|>\n<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\nA2 ü<|im_end|>\n");
        assertThat(r.spans()).extracting(RenderedChat.Span::message).containsExactly(2, 4);
        assertThat(r.spanText(0)).isEqualTo("A1<|im_end|>\n");
        assertThat(r.spanText(1)).isEqualTo("A2 ü<|im_end|>\n");
    }

    @Test
    void spansOfRealTemplatesAndTheNonPrefixStableError() throws Exception {
        Map<String, ChatTemplate> g = ChatTemplateGoldenTest.templates();
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"), ChatMessage.user("Bye"), ChatMessage.assistant("Ciao"));
        assertThat(g.get("llama2").renderWithSpans(chat, RenderOptions.DEFAULT).spanText(0)).isEqualTo(" Hello </s>");
        assertThat(g.get("gemma").renderWithSpans(chat, RenderOptions.DEFAULT).spanText(1)).isEqualTo("Ciao<end_of_turn>\n");
        assertThat(g.get("qwen2_5").renderWithSpans(chat, RenderOptions.DEFAULT).spanText(1)).isEqualTo("Ciao<|im_end|>\n");
        List<ChatMessage> thinking = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("<think>\nr\n</think>\n\nHello"), ChatMessage.user("Bye"),
                ChatMessage.assistant("Ciao"));
        assertThatThrownBy(() -> g.get("qwen3").renderWithSpans(thinking, RenderOptions.DEFAULT))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("not prefix-stable at message 1");
    }

    @Test
    void namedTemplatesPickToolUseWhenToolsAreGiven() {
        ChatTemplate t = ChatTemplate.compileNamed(Map.of("default", "D{{ messages | length }}", "tool_use", "T{{ tools | length }}"), "cfg", Map.of());
        assertThat(t.render(List.of(ChatMessage.user("a")), RenderOptions.DEFAULT)).isEqualTo("D1");
        assertThat(t.render(List.of(), RenderOptions.DEFAULT.withTools(List.of(Map.of("type", "function"))))).isEqualTo("T1");
        assertThatThrownBy(() -> ChatTemplate.compileNamed(Map.of("rag", "x"), "cfg", Map.of())).hasMessageContaining("no 'default'");
    }

    @Test
    void continueFinalMessageEndsInsideTheLastTurn() {
        ChatTemplate t = ChatTemplate.seedlingDefault(Map.of());
        String s = t.render(List.of(ChatMessage.user("Q"), ChatMessage.assistant("The answer is ")), RenderOptions.DEFAULT.withContinueFinalMessage(true));
        assertThat(s).isEqualTo("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nThe answer is");
    }

    @Test
    void renderingAShortConversationIsFast() throws Exception {
        ChatTemplate t = ChatTemplateGoldenTest.templates().get("qwen3");
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"), ChatMessage.assistant("Hello"), ChatMessage.user("Bye"));
        RenderOptions opts = RenderOptions.generation();
        for (int i = 0; i < 3000; i++) t.render(chat, opts);
        int n = 3000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) t.render(chat, opts);
        double usPer = (System.nanoTime() - t0) / 1e3 / n;
        System.out.printf("qwen3 template, 4 messages: %.1f us per render%n", usPer);
        assertThat(usPer).as("microseconds per render (loose bound for a shared 2-core machine)").isLessThan(5000);
    }
}
