package dev.seedling.tokenizer.chat.internal;

/**
 * A template error: a syntax error found while compiling ({@link Kind#SYNTAX}), an error while rendering
 * ({@link Kind#RUNTIME}), or the template's own {@code raise_exception(message)} ({@link Kind#RAISED}).
 * {@code line} is the 1-based line of the template source, or 0 when unknown.
 */
public final class JinjaException extends RuntimeException {
    public enum Kind { SYNTAX, RUNTIME, RAISED }

    private final Kind kind;
    private int line;

    JinjaException(String message) {
        this(Kind.RUNTIME, message, 0);
    }

    JinjaException(Kind kind, String message, int line) {
        super(message, null, false, false);
        this.kind = kind;
        this.line = line;
    }

    public Kind kind() {
        return kind;
    }

    public int line() {
        return line;
    }

    /** Attaches the line of the statement being run, unless a more precise one is already known. */
    JinjaException atLine(int l) {
        if (line == 0) line = l;
        return this;
    }
}
