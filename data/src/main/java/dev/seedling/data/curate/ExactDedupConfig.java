package dev.seedling.data.curate;

/**
 * How {@link ExactDedup} normalises text before hashing it; two documents are duplicates when their normalised
 * forms are equal (up to a 128-bit hash collision, probability about n²/2¹²⁹).
 *
 * @param nfc                Unicode NFC first (composed and decomposed accents compare equal)
 * @param lowercase          compare case-insensitively
 * @param collapseWhitespace every run of whitespace counts as one space; leading and trailing whitespace is ignored
 * @param ignorePunctuation  only words count: every run of chars that are not letters, digits or combining marks
 *                           counts as one space (implies whitespace collapsing)
 */
public record ExactDedupConfig(boolean nfc, boolean lowercase, boolean collapseWhitespace, boolean ignorePunctuation) {
    /** Defaults: NFC, lower-cased, whitespace collapsed, punctuation kept. */
    public static final ExactDedupConfig DEFAULT = new ExactDedupConfig(true, true, true, false);
}
