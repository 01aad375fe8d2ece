package dev.seedling.data.curate.internal.extract;

/**
 * Thrown by an extractor when a file cannot become a document; {@link #reason()} is the counter key of the
 * ingestion report ({@code "encrypted"}, {@code "zip_bomb"}, {@code "pdf_parse_error"}…), the message a detail.
 */
public final class Skip extends Exception {
    private final String reason;

    public Skip(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
