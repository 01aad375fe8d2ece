package dev.seedling.tokenizer.chat;

import java.util.List;

/**
 * A rendered conversation with the parts the model must learn to produce: for each assistant message, the
 * character range {@code [start, end)} of {@link #text} holding what the model generates for it (its content and
 * the end-of-turn marker), excluding the prompt before it. SFT tokenizes {@code text} and masks the loss outside
 * these spans.
 *
 * @param text  the whole conversation as {@link ChatTemplate#render} gives it
 * @param spans one per assistant message, in order (UTF-16 char offsets into {@code text})
 */
public record RenderedChat(String text, List<Span> spans) {
    public RenderedChat {
        spans = List.copyOf(spans);
    }

    /** @param message index of the assistant message in the conversation */
    public record Span(int message, int start, int end) {
        public Span {
            if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    /** The text of span {@code i}. */
    public String spanText(int i) {
        Span s = spans.get(i);
        return text.substring(s.start(), s.end());
    }
}
