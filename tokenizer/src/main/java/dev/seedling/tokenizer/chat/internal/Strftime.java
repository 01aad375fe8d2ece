package dev.seedling.tokenizer.chat.internal;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** {@code strftime_now(format)}: the directives chat templates use, in English, for a given instant. */
final class Strftime {
    private Strftime() {}

    static String format(ZonedDateTime t, String fmt) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            switch (d) {
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(pad2(t.getYear() % 100));
                case 'm' -> sb.append(pad2(t.getMonthValue()));
                case 'd' -> sb.append(pad2(t.getDayOfMonth()));
                case 'b' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case 'H' -> sb.append(pad2(t.getHour()));
                case 'M' -> sb.append(pad2(t.getMinute()));
                case 'S' -> sb.append(pad2(t.getSecond()));
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    private static String pad2(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
