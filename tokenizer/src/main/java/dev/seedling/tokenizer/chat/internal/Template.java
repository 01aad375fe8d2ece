package dev.seedling.tokenizer.chat.internal;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A compiled Jinja template: the subset of Jinja that chat templates use, rendered the way Hugging Face renders
 * chat templates (see {@link Interpreter} for the exact semantics). Immutable and thread-safe; each
 * {@link #render} runs in its own scope.
 */
public final class Template {
    private final List<Node> program;

    private Template(List<Node> program) {
        this.program = program;
    }

    /** Parses {@code source}; a syntax error, unknown filter or unknown test throws {@link JinjaException}. */
    public static Template compile(String source) {
        return new Template(Parser.parse(source));
    }

    /**
     * Renders with the given variables (plain Java data: maps, lists, strings, numbers, booleans, null);
     * {@code now} is the clock of {@code strftime_now}. Errors throw {@link JinjaException}.
     */
    public String render(Map<String, ?> variables, Supplier<ZonedDateTime> now) {
        Interpreter in = new Interpreter(now);
        Interpreter.Env env = new Interpreter.Env(in.globals());
        for (Map.Entry<String, ?> e : variables.entrySet()) env.vars.put(e.getKey(), Value.of(e.getValue()));
        return in.render(program, env);
    }
}
