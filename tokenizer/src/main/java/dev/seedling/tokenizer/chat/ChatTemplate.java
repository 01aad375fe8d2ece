package dev.seedling.tokenizer.chat;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.chat.internal.JinjaException;
import dev.seedling.tokenizer.chat.internal.Template;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Hugging Face chat template ({@code chat_template} of {@code tokenizer_config.json}) compiled once, plus the
 * tokenizer's special tokens ({@code bos_token}, {@code eos_token}, ... as template variables).
 *
 * <p>Rendering is byte-identical to {@code @huggingface/jinja} for real templates (golden-tested on Llama 2/3,
 * Qwen 2.5/3, Gemma, Mistral Nemo, DeepSeek V3, SmolLM2 and Seedling's own), with Python Jinja's behaviour where the
 * two differ (documented in the internal interpreter). The whitespace rules are transformers': {@code trim_blocks}
 * and {@code lstrip_blocks} on, a single trailing newline of the template dropped.
 *
 * <p>Errors are {@link SeedlingException}s of one line naming the template source: a syntax error, unknown filter
 * or unknown test when compiling; the template's own {@code raise_exception(message)} or a type error when
 * rendering. Immutable and thread-safe; compiling the same source twice reuses the parsed template.
 */
public final class ChatTemplate {
    /**
     * Seedling's default ChatML template for its own models: {@code <|im_start|>role\ncontent<|im_end|>\n} per
     * message and {@code <|im_start|>assistant\n} as generation prompt; stop tokens are {@code <|im_end|>} and the
     * tokenizer's EOS. Trainers write this string as {@code chat_template} into {@code tokenizer_config.json}.
     */
    public static final String SEEDLING_DEFAULT = """
            {%- for message in messages %}
            {{- '<|im_start|>' + message['role'] + '\\n' + (message['content'] or '') + '<|im_end|>\\n' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
            {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    /** The end-of-turn marker of {@link #SEEDLING_DEFAULT} (a special token of Seedling's tokenizers). */
    public static final String SEEDLING_END_OF_TURN = "<|im_end|>";

    private static final int CACHE_LIMIT = 256;
    private static final Map<String, Template> CACHE = new ConcurrentHashMap<>();

    private final String sourceName;
    private final Map<String, String> sources; // template name -> source; a single template is named "default"
    private final Map<String, Template> compiled;
    private final Map<String, String> specialTokens;

    private ChatTemplate(String sourceName, Map<String, String> sources, Map<String, String> specialTokens) {
        this.sourceName = sourceName;
        this.sources = Map.copyOf(sources);
        this.specialTokens = Map.copyOf(specialTokens);
        Map<String, Template> c = new HashMap<>();
        for (Map.Entry<String, String> e : sources.entrySet()) c.put(e.getKey(), compileCached(e.getValue(), sourceName, e.getKey()));
        this.compiled = Map.copyOf(c);
    }

    /**
     * Compiles one template.
     *
     * @param source        the Jinja text
     * @param sourceName    where it came from, for error messages (e.g. {@code "models/x/tokenizer_config.json"})
     * @param specialTokens template variables such as {@code bos_token -> "<s>"}; entries with null values are left out
     */
    public static ChatTemplate compile(String source, String sourceName, Map<String, String> specialTokens) {
        if (source == null) throw new SeedlingException("chat template " + sourceName + ": no template text");
        return new ChatTemplate(sourceName, Map.of("default", source), clean(specialTokens));
    }

    /**
     * Compiles the list form of {@code chat_template} ({@code [{"name": "default", "template": ...}, {"name":
     * "tool_use", ...}]}): {@link #render} uses {@code tool_use} when tools are given and it exists, else
     * {@code default}.
     */
    public static ChatTemplate compileNamed(Map<String, String> templates, String sourceName, Map<String, String> specialTokens) {
        if (!templates.containsKey("default"))
            throw new SeedlingException("chat template " + sourceName + ": the list of named templates has no 'default' (names: "
                    + templates.keySet() + ")");
        return new ChatTemplate(sourceName, new LinkedHashMap<>(templates), clean(specialTokens));
    }

    /** {@link #SEEDLING_DEFAULT} with the given special tokens. */
    public static ChatTemplate seedlingDefault(Map<String, String> specialTokens) {
        return compile(SEEDLING_DEFAULT, "seedling-default", specialTokens);
    }

    private static Map<String, String> clean(Map<String, String> specialTokens) {
        Map<String, String> m = new HashMap<>();
        if (specialTokens != null) specialTokens.forEach((k, v) -> {
            if (k != null && v != null) m.put(k, v);
        });
        return m;
    }

    private static Template compileCached(String source, String sourceName, String name) {
        Template t = CACHE.get(source);
        if (t != null) return t;
        try {
            t = Template.compile(source);
        } catch (JinjaException e) {
            throw error(sourceName, name, e);
        }
        if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();
        CACHE.put(source, t);
        return t;
    }

    private static SeedlingException error(String sourceName, String name, JinjaException e) {
        String where = "chat template " + sourceName + (name.equals("default") ? "" : " (" + name + ")");
        String msg = e.getMessage().replace("\r", "\\r").replace("\n", "\\n");
        return switch (e.kind()) {
            case SYNTAX -> new SeedlingException(where + (e.line() > 0 ? " line " + e.line() : "") + ": syntax error: " + msg, e);
            case RAISED -> new SeedlingException(where + " raised an error: " + msg, e);
            case RUNTIME -> new SeedlingException(where + (e.line() > 0 ? " line " + e.line() : "") + ": " + msg, e);
        };
    }

    public String sourceName() {
        return sourceName;
    }

    /** The template text ({@code default} when there are several). */
    public String source() {
        return sources.get("default");
    }

    /** All template texts by name ({@code default} only, unless compiled from the list form). */
    public Map<String, String> sources() {
        return sources;
    }

    public Map<String, String> specialTokens() {
        return specialTokens;
    }

    /** The same template with other special tokens. */
    public ChatTemplate withSpecialTokens(Map<String, String> tokens) {
        return new ChatTemplate(sourceName, sources, clean(tokens));
    }

    /**
     * Renders a conversation. Template variables: {@code messages}, {@code add_generation_prompt}, the special
     * tokens, {@code tools} (only when given), then {@link RenderOptions#variables()} (which may override any).
     */
    public String render(List<ChatMessage> messages, RenderOptions opts) {
        String name = opts.tools() != null && !opts.tools().isEmpty() && compiled.containsKey("tool_use") ? "tool_use" : "default";
        Map<String, Object> vars = new HashMap<>(specialTokens);
        List<Object> msgs = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) msgs.add(m.toMap());
        vars.put("messages", msgs);
        vars.put("add_generation_prompt", opts.addGenerationPrompt());
        if (opts.tools() != null) vars.put("tools", opts.tools());
        vars.putAll(opts.variables());
        String text;
        try {
            text = compiled.get(name).render(vars, () -> ZonedDateTime.now(opts.clock()));
        } catch (JinjaException e) {
            throw error(sourceName, name, e);
        }
        if (opts.continueFinalMessage()) text = cutAfterFinalMessage(text, messages);
        return text;
    }

    /** transformers' {@code continue_final_message}: the text ends right after the final message's content. */
    private String cutAfterFinalMessage(String text, List<ChatMessage> messages) {
        if (messages.isEmpty() || messages.getLast().content() == null)
            throw new SeedlingException("chat template " + sourceName + ": continueFinalMessage needs a final message with text content");
        String fin = messages.getLast().content().strip();
        int at = text.lastIndexOf(fin);
        if (fin.isEmpty() || at < 0)
            throw new SeedlingException("chat template " + sourceName
                    + ": continueFinalMessage is set but the final message's content does not appear in the rendered text");
        return text.substring(0, at + fin.length());
    }

    /**
     * Renders a conversation and finds what the model generates in each assistant message (for SFT loss masks).
     *
     * <p>For assistant message {@code i}: {@code prompt} = render(messages[0, i), with generation prompt) and
     * {@code upto} = render(messages[0, i], without); the span is {@code [prompt.length(), upto.length())}. This
     * needs {@code prompt} to be a prefix of {@code upto} and {@code upto} a prefix of the whole rendering; a
     * template that renders earlier turns differently (e.g. Qwen3, which drops the reasoning of earlier turns)
     * fails with an error naming the message.
     */
    public RenderedChat renderWithSpans(List<ChatMessage> messages, RenderOptions opts) {
        String full = render(messages, opts);
        RenderOptions plain = opts.withAddGenerationPrompt(false);
        RenderOptions gen = opts.withAddGenerationPrompt(true);
        List<RenderedChat.Span> spans = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).role().equals("assistant")) continue;
            String prompt = render(messages.subList(0, i), gen);
            String upto = render(messages.subList(0, i + 1), plain);
            if (!upto.startsWith(prompt))
                throw new SeedlingException("chat template " + sourceName + " is not prefix-stable at message " + i
                        + " (assistant): the prompt rendered with the generation prompt is not a prefix of the conversation up to"
                        + " that message, so loss masks cannot be derived from it");
            if (!full.startsWith(upto))
                throw new SeedlingException("chat template " + sourceName + " is not prefix-stable at message " + i
                        + " (assistant): the conversation up to that message renders differently inside the whole conversation"
                        + " (the template rewrites earlier turns), so loss masks cannot be derived from it");
            spans.add(new RenderedChat.Span(i, prompt.length(), upto.length()));
        }
        return new RenderedChat(full, spans);
    }
}
