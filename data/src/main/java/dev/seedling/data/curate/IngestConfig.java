package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;

/**
 * Settings of {@link Ingest}; all defaults are in {@link #defaults()}.
 *
 * @param textField        the field holding a record's text in {@code .jsonl}/{@code .json} files; a dotted path
 *                         ({@code body.text}) walks nested objects
 * @param sourceField      a record field that, when it is a string, overrides the document's {@code source}
 *                         ({@code null} = always the top folder or file name)
 * @param maxFileBytes     files larger than this are skipped as {@code too_large}; for JSON Lines it bounds each
 *                         line instead (a dump may be any size)
 * @param maxChars         extracted text is cut to this many chars (counted as {@code truncated})
 * @param maxInflatedBytes a ZIP-based Office file whose entries inflate to more than this is a {@code zip_bomb}
 * @param includeCode      whether source-code files ({@code .java}, {@code .py}, …) are read
 * @param maxExamples      example paths kept per skip reason in {@link IngestStats}
 * @param parallel         whether {@link Ingest#extractAll}/{@link Ingest#iterator} extract several files at once on the
 *                         {@link dev.seedling.tensor.Parallel} pool (output order and content do not change)
 */
public record IngestConfig(String textField, String sourceField, long maxFileBytes, int maxChars,
                           long maxInflatedBytes, boolean includeCode, int maxExamples, boolean parallel) {
    public static final String DEFAULT_TEXT_FIELD = "text";
    public static final String DEFAULT_SOURCE_FIELD = "source";
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_CHARS = 16_000_000;
    public static final long DEFAULT_MAX_INFLATED_BYTES = 100L << 20;
    public static final int DEFAULT_MAX_EXAMPLES = 5;

    public IngestConfig {
        if (textField == null || textField.isBlank() || textField.startsWith(".") || textField.endsWith(".") || textField.contains("..")) {
            throw new SeedlingException("ingest textField must be a field name or dotted path like body.text, got '" + textField + "'");
        }
        if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE - 16) {
            throw new SeedlingException("ingest maxFileBytes must be in [1, 2^31 - 16], got " + maxFileBytes);
        }
        if (maxChars < 1) throw new SeedlingException("ingest maxChars must be positive, got " + maxChars);
        if (maxInflatedBytes < 1) throw new SeedlingException("ingest maxInflatedBytes must be positive, got " + maxInflatedBytes);
        if (maxExamples < 0) throw new SeedlingException("ingest maxExamples must be >= 0, got " + maxExamples);
    }

    public static IngestConfig defaults() {
        return new IngestConfig(DEFAULT_TEXT_FIELD, DEFAULT_SOURCE_FIELD, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_CHARS,
                DEFAULT_MAX_INFLATED_BYTES, true, DEFAULT_MAX_EXAMPLES, true);
    }

    public IngestConfig withTextField(String field) {
        return new IngestConfig(field, sourceField, maxFileBytes, maxChars, maxInflatedBytes, includeCode, maxExamples, parallel);
    }

    public IngestConfig withMaxFileBytes(long bytes) {
        return new IngestConfig(textField, sourceField, bytes, maxChars, maxInflatedBytes, includeCode, maxExamples, parallel);
    }

    public IngestConfig withMaxChars(int chars) {
        return new IngestConfig(textField, sourceField, maxFileBytes, chars, maxInflatedBytes, includeCode, maxExamples, parallel);
    }

    public IngestConfig withMaxInflatedBytes(long bytes) {
        return new IngestConfig(textField, sourceField, maxFileBytes, maxChars, bytes, includeCode, maxExamples, parallel);
    }

    public IngestConfig withParallel(boolean on) {
        return new IngestConfig(textField, sourceField, maxFileBytes, maxChars, maxInflatedBytes, includeCode, maxExamples, on);
    }
}
