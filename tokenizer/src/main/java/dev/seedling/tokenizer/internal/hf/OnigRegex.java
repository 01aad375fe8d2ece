package dev.seedling.tokenizer.internal.hf;

import dev.seedling.tensor.SeedlingException;
import java.util.regex.Pattern;

/**
 * A regular expression written for Oniguruma (what HF {@code tokenizers} compiles {@code Regex} patterns with),
 * run with {@link java.util.regex}.
 *
 * <p>The two engines are both backtracking with leftmost-first alternation, so a pattern means the same once the
 * differences in syntax and classes are bridged:
 * <ul>
 *   <li>{@code \s}, {@code \w}, {@code \d}, {@code \b} are Unicode in Oniguruma: the pattern runs with
 *       {@link Pattern#UNICODE_CHARACTER_CLASS} ({@code \s} = White_Space, as in Oniguruma); {@code (?i)} is then
 *       Unicode case folding too;</li>
 *   <li>{@code .} excludes only {@code \n} and {@code ^ $} are line anchors (Ruby syntax):
 *       {@link Pattern#UNIX_LINES} and {@link Pattern#MULTILINE};</li>
 *   <li>{@code \h}/{@code \H} (hex digit in Oniguruma, horizontal space in Java) and {@code \v} are rewritten;
 *       {@code \p{^X}} becomes {@code \P{X}}.</li>
 * </ul>
 * Character properties follow the JDK's Unicode version, which may be newer than the one HF's Oniguruma knows, so
 * code points assigned in recent Unicode versions can classify differently.
 *
 * <p>For the pre-tokenizer patterns of GPT-2, Llama 3 and Qwen 2 a hand-written scanner ({@link PatternScanners})
 * replaces the regex; tests prove it gives the regex's matches on random text. Immutable and thread-safe.
 */
public final class OnigRegex {
    private final String source;
    private final Pattern pattern;
    private final PatternScanners.Scanner scanner;

    private OnigRegex(String source, Pattern pattern, PatternScanners.Scanner scanner) {
        this.source = source;
        this.pattern = pattern;
        this.scanner = scanner;
    }

    /** Compiles {@code onigPattern}; a pattern Java cannot express is a {@link SeedlingException} naming {@code where}. */
    public static OnigRegex compile(String onigPattern, String where) {
        return new OnigRegex(onigPattern, javaPattern(onigPattern, where), PatternScanners.forPattern(onigPattern));
    }

    /** Like {@link #compile} but never uses a hand-written scanner (the reference the scanners are tested against). */
    public static OnigRegex compileRegexOnly(String onigPattern, String where) {
        return new OnigRegex(onigPattern, javaPattern(onigPattern, where), null);
    }

    static Pattern javaPattern(String onigPattern, String where) {
        try {
            return Pattern.compile(translate(onigPattern),
                    Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES | Pattern.MULTILINE);
        } catch (IllegalArgumentException e) { // PatternSyntaxException included
            throw new SeedlingException(where + ": regex " + HfJson.quote(onigPattern) + " cannot be compiled ("
                    + HfJson.oneLine(e.getMessage()) + ")");
        }
    }

    /** The Oniguruma pattern as written. */
    public String source() {
        return source;
    }

    /** The compiled Java pattern. */
    public Pattern pattern() {
        return pattern;
    }

    boolean hasScanner() {
        return scanner != null;
    }

    /** Appends the matches and gaps of non-empty {@code text} to {@code out} using the hand-written scanner. */
    void scan(String text, Spans out) {
        scanner.scan(text, out);
    }

    /** Oniguruma syntax → java.util.regex syntax, for the constructs where the two differ. */
    static String translate(String p) {
        StringBuilder sb = new StringBuilder(p.length() + 16);
        int depth = 0; // character-class nesting
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char e = p.charAt(++i);
                switch (e) {
                    case 'h' -> sb.append(depth > 0 ? "0-9a-fA-F" : "[0-9a-fA-F]");
                    case 'H' -> {
                        if (depth > 0) throw new IllegalArgumentException("\\H inside a character class is not supported");
                        sb.append("[^0-9a-fA-F]");
                    }
                    case 'v' -> sb.append("\\x0B");
                    case 'p', 'P' -> {
                        if (i + 2 < p.length() && p.charAt(i + 1) == '{' && p.charAt(i + 2) == '^') {
                            sb.append('\\').append(e == 'p' ? 'P' : 'p').append('{');
                            i += 2;
                        } else {
                            sb.append('\\').append(e);
                        }
                    }
                    default -> sb.append('\\').append(e);
                }
                continue;
            }
            if (c == '[') depth++;
            else if (c == ']' && depth > 0) depth--;
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
