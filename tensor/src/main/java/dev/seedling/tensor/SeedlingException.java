package dev.seedling.tensor;

/**
 * A user's mistake (bad path, malformed file, unknown architecture, wrong dtype, inconsistent config): the message
 * says what was wrong, where (file, line, key) and what to do, in one line. The CLI prints it without a stack trace
 * and exits non-zero. Programming errors stay ordinary runtime exceptions.
 *
 * <p>It lives in {@code tensor}, the bottom module, so that every module can throw the same type.
 */
public class SeedlingException extends RuntimeException {
    public SeedlingException(String message) {
        super(message);
    }

    public SeedlingException(String message, Throwable cause) {
        super(message, cause);
    }
}
