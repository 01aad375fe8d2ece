package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;
import java.util.Set;

/**
 * Keeps documents in the configured languages ({@link LanguageId}); drops the others with the reason
 * {@code lang:<code>} (e.g. {@code lang:de}, {@code lang:und}). Kept documents are counted under
 * {@code kept:<code>}. Source code is kept by default: identifiers and one-letter variables are no language. Unordered stage, thread-safe.
 *
 * @see LanguageId for the method and its limits
 */
public final class LanguageIdFilter implements DocStage {
    /**
     * @param keep             language codes to keep (e.g. {@code ["en"]}); empty = keep every language (only count)
     * @param keepUndetermined keep documents whose language is {@code "und"} (too short, numbers, code, tables)
     * @param minConfidence    a detected language below this confidence counts as {@code "und"}
     * @param keepCode         keep source-code and spreadsheet files (by the extension of the document id, as
     *                         {@link QualityFilter.Selection} decides) without identifying a language; counted
     *                         as {@code kept:code}
     */
    public record Config(Set<String> keep, boolean keepUndetermined, double minConfidence, boolean keepCode) {
        public Config {
            keep = Set.copyOf(keep);
            if (!(minConfidence >= 0 && minConfidence <= 1)) {
                throw new SeedlingException("language.minConfidence must be in [0, 1], got " + minConfidence);
            }
        }

        /** Code files kept. */
        public Config(Set<String> keep, boolean keepUndetermined, double minConfidence) {
            this(keep, keepUndetermined, minConfidence, true);
        }

        /** English only; undetermined documents kept (technical tables and code often are). */
        public static Config english() {
            return new Config(Set.of("en"), true, 0.5);
        }
    }

    private final Config config;

    public LanguageIdFilter(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "language";
    }

    @Override
    public CurDoc apply(CurDoc doc, StageReport report) {
        if (config.keepCode() && QualityFilter.codeLike(doc.id())) {
            report.count("kept:code", 1);
            return doc;
        }
        LanguageId.Result r = LanguageId.detect(doc.text());
        String lang = r.confidence() < config.minConfidence() ? LanguageId.UNDETERMINED : r.language();
        boolean keep = config.keep().isEmpty() || config.keep().contains(lang)
                || (lang.equals(LanguageId.UNDETERMINED) && config.keepUndetermined());
        if (!keep) {
            report.drop("lang:" + lang, doc);
            return null;
        }
        report.count("kept:" + lang, 1);
        return doc;
    }
}
