package dev.seedling.data.curate;

/** The kinds of personal data and secrets {@link PiiRedactor} finds, each with its placeholder and report key. */
public enum PiiType {
    EMAIL("<EMAIL>"),
    PHONE("<PHONE>"),
    IP_ADDRESS("<IP_ADDRESS>"),
    CREDIT_CARD("<CREDIT_CARD>"),
    IBAN("<IBAN>"),
    SECRET("<SECRET>");

    private final String placeholder;

    PiiType(String placeholder) {
        this.placeholder = placeholder;
    }

    /** The text that replaces a match, e.g. {@code <EMAIL>}. */
    public String placeholder() {
        return placeholder;
    }

    /** The counter name in the stage report and in configuration, e.g. {@code "email"}, {@code "ip_address"}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
