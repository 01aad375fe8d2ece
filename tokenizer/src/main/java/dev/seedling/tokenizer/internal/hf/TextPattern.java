package dev.seedling.tokenizer.internal.hf;

import java.util.function.IntPredicate;
import java.util.regex.Matcher;

/**
 * A pattern that cuts a string into matches and the gaps between them (HF's {@code Pattern} trait). Implementations
 * are immutable and thread-safe.
 */
interface TextPattern {
    /**
     * Clears {@code out} and fills it with ranges covering {@code text} in order, each flagged match or not; for
     * an empty text one empty non-match range, as HF does.
     */
    void find(String text, Spans out);

    /** A regular expression in Oniguruma syntax (see {@link OnigRegex}). */
    static TextPattern regex(OnigRegex re) {
        return re.hasScanner() ? (text, out) -> {
            out.clear();
            if (text.isEmpty()) {
                out.add(0, 0, false);
                return;
            }
            re.scan(text, out);
        } : (text, out) -> {
            out.clear();
            if (text.isEmpty()) {
                out.add(0, 0, false);
                return;
            }
            Matcher m = re.pattern().matcher(text);
            int prev = 0;
            while (m.find()) {
                if (prev != m.start()) out.add(prev, m.start(), false);
                out.add(m.start(), m.end(), true);
                prev = m.end();
            }
            if (prev != text.length()) out.add(prev, text.length(), false);
        };
    }

    /** Every occurrence of a literal string, left to right, not overlapping; an empty literal matches nothing. */
    static TextPattern literal(String lit) {
        return (text, out) -> {
            out.clear();
            if (text.isEmpty()) {
                out.add(0, 0, false);
                return;
            }
            int prev = 0;
            if (!lit.isEmpty()) {
                for (int at = text.indexOf(lit); at >= 0; at = text.indexOf(lit, at + lit.length())) {
                    if (prev != at) out.add(prev, at, false);
                    out.add(at, at + lit.length(), true);
                    prev = at + lit.length();
                }
            }
            if (prev != text.length()) out.add(prev, text.length(), false);
        };
    }

    /** Each code point satisfying {@code p} is a match of its own (HF's {@code Fn(char) -> bool} pattern). */
    static TextPattern chars(IntPredicate p) {
        return (text, out) -> {
            out.clear();
            if (text.isEmpty()) {
                out.add(0, 0, false);
                return;
            }
            int last = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (p.test(cp)) {
                    if (last < i) out.add(last, i, false);
                    out.add(i, next, true);
                    last = next;
                }
                i = next;
            }
            if (last < text.length()) out.add(last, text.length(), false);
        };
    }

    /** {@code p} with every match flag flipped (HF's {@code Invert}). */
    static TextPattern invert(TextPattern p) {
        return (text, out) -> {
            p.find(text, out);
            out.invert();
        };
    }
}
