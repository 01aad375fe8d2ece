package dev.seedling.tokenizer.internal.hf;

/**
 * Character predicates with the exact meaning they have in the Rust {@code tokenizers} library (Rust's
 * {@code char} methods and the {@code regex} crate's Unicode classes), which differ from {@link Character}'s
 * namesakes: {@link Character#isWhitespace} for instance excludes U+00A0 and includes U+001C..U+001F, where Rust's
 * {@code char::is_whitespace} (the Unicode White_Space property) does the opposite. All take a code point.
 */
public final class CharClasses {
    private CharClasses() {}

    /** Rust {@code char::is_whitespace}, regex {@code \s}: the Unicode White_Space property. */
    public static boolean isWhiteSpace(int cp) {
        if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        if (cp < 0x85) return false;
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
                || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Rust regex {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, join controls. */
    public static boolean isWordChar(int cp) {
        if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) return true;
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.DECIMAL_DIGIT_NUMBER || t == Character.CONNECTOR_PUNCTUATION;
    }

    /** Rust {@code char::is_numeric}: general categories Nd, Nl, No. */
    public static boolean isNumeric(int cp) {
        if (cp < 0x80) return cp >= '0' && cp <= '9';
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** HF's {@code is_punc}: ASCII punctuation or general category P*. */
    public static boolean isPunctuation(int cp) {
        if (cp < 0x80) return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Combining marks (Mn, Mc, Me), as HF's StripAccents removes them. */
    public static boolean isCombiningMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK || t == Character.COMBINING_SPACING_MARK;
    }

    /**
     * {@code s} with every unpaired surrogate replaced by U+FFFD, as encoding it to UTF-8 would do (Rust strings
     * cannot hold unpaired surrogates, so this is what HF sees); {@code s} itself when it has none.
     */
    public static String replaceLoneSurrogates(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder(n).append(s, 0, i);
            for (int j = i; j < n; j++) {
                char d = s.charAt(j);
                if (Character.isHighSurrogate(d) && j + 1 < n && Character.isLowSurrogate(s.charAt(j + 1))) {
                    sb.append(d).append(s.charAt(++j));
                } else if (Character.isSurrogate(d)) {
                    sb.append('\uFFFD');
                } else {
                    sb.append(d);
                }
            }
            return sb.toString();
        }
        return s;
    }
}
