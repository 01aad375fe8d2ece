package dev.seedling.data.curate;

import dev.seedling.tensor.SeedlingException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The quality filters as one configurable set: {@link GopherFilter}, {@link C4Filter} and a minimum-information
 * rule ({@link MinInformation}), each with thresholds from a {@link Preset} chosen per document.
 *
 * <p>Users of Seedling bring technical documents — manuals, fault-code tables, logs, specifications, code — that
 * web-text rules (written for Common Crawl) would largely delete: tables have no sentences, logs repeat their field
 * names, code has few stop words. So the default preset is {@link Preset#TECHNICAL}, and documents whose id ends in
 * a source-code or spreadsheet extension get {@link Preset#CODE} automatically; {@link Preset#WEB} gives the
 * papers' thresholds for web crawls. A source (the {@link CurDoc#source()}) can be pinned to a preset.
 */
public final class QualityFilter {
    /** Threshold sets; see {@link GopherFilter.Config}, {@link C4Filter.Config}, {@link MinInformation.Config}. */
    public enum Preset {
        /** The Gopher and C4 papers' rules, for web text. */
        WEB,
        /** Manuals, specifications, tables, logs, reports (the default). */
        TECHNICAL,
        /** Source code and data files: length and gross repetition only. */
        CODE;

        public GopherFilter.Config gopher() {
            return switch (this) {
                case WEB -> GopherFilter.Config.web();
                case TECHNICAL -> GopherFilter.Config.technical();
                case CODE -> GopherFilter.Config.code();
            };
        }

        public C4Filter.Config c4() {
            return switch (this) {
                case WEB -> C4Filter.Config.web();
                case TECHNICAL -> C4Filter.Config.technical();
                case CODE -> C4Filter.Config.code();
            };
        }

        public MinInformation.Config minInformation() {
            return switch (this) {
                case WEB, TECHNICAL -> new MinInformation.Config(10, 3.0);
                case CODE -> new MinInformation.Config(5, 2.5);
            };
        }

        /** Parses {@code web}, {@code technical}, {@code code} (any case). */
        public static Preset parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SeedlingException("unknown quality preset '" + name + "'; use web, technical or code");
            }
        }
    }

    /**
     * Which preset a document gets.
     *
     * @param defaultPreset   for documents no other rule picks
     * @param codeByExtension documents whose id (file path) ends in a source-code, config or spreadsheet extension
     *                        get {@link Preset#CODE}
     * @param perSource       presets pinned by {@link CurDoc#source()} (wins over the rest)
     */
    public record Selection(Preset defaultPreset, boolean codeByExtension, Map<String, Preset> perSource) {
        public Selection {
            if (defaultPreset == null) throw new SeedlingException("quality defaultPreset must be set");
            perSource = Map.copyOf(perSource);
        }

        public static Selection defaults() {
            return new Selection(Preset.TECHNICAL, true, Map.of());
        }

        public Preset presetFor(CurDoc doc) {
            Preset pinned = perSource.get(doc.source());
            if (pinned != null) return pinned;
            if (codeByExtension && codeLike(doc.id())) return Preset.CODE;
            return defaultPreset;
        }
    }

    private static final Set<String> DATA_EXTENSIONS = Set.of("csv", "tsv", "xlsx", "xlsm", "xls");

    /** Whether a document id names a source-code, config or spreadsheet file (by extension, before any {@code #n}). */
    static boolean codeLike(String id) {
        int hash = id.lastIndexOf('#');
        String path = hash > 0 && id.indexOf('/', hash) < 0 ? id.substring(0, hash) : id;
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && DATA_EXTENSIONS.contains(name.substring(dot + 1))) return true;
        return Ingest.formatOfName(name) == Ingest.Format.CODE;
    }

    private QualityFilter() {}

    /** The three quality stages in their usual order: minimum information, Gopher, C4. */
    public static List<DocStage> stages(Selection selection) {
        return List.of(new MinInformation(d -> selection.presetFor(d).minInformation()),
                new GopherFilter(d -> selection.presetFor(d).gopher()),
                new C4Filter(d -> selection.presetFor(d).c4()));
    }

    /**
     * Minimum information: drops documents with fewer than {@code minDistinctWords} distinct words (compared
     * case-insensitively, as 64-bit hashes) — reason {@code min_info_distinct_words} — or whose character entropy
     * is below {@code minEntropyBits} bits per char — reason {@code min_info_entropy} (natural-language text and code
     * sit around 4–5 bits; runs of one character, "0101…", or a few symbols repeated sit below 3).
     * Unordered stage, thread-safe.
     */
    public static final class MinInformation implements DocStage {
        public record Config(int minDistinctWords, double minEntropyBits) {
            public Config {
                if (minDistinctWords < 0 || minEntropyBits < 0) {
                    throw new SeedlingException("min-information thresholds must be >= 0");
                }
            }
        }

        private final java.util.function.Function<CurDoc, Config> configFor;

        public MinInformation(Config config) {
            this(d -> config);
        }

        public MinInformation(java.util.function.Function<CurDoc, Config> configFor) {
            this.configFor = configFor;
        }

        @Override
        public String name() {
            return "min_info";
        }

        @Override
        public CurDoc apply(CurDoc doc, StageReport report) {
            Config c = configFor.apply(doc);
            String t = doc.text();
            if (c.minDistinctWords() > 0 && distinctWordsAtLeast(t, c.minDistinctWords()) < c.minDistinctWords()) {
                report.drop("min_info_distinct_words", doc);
                return null;
            }
            if (c.minEntropyBits() > 0 && entropyBits(t) < c.minEntropyBits()) {
                report.drop("min_info_entropy", doc);
                return null;
            }
            return doc;
        }

        /** Distinct words (letter/digit runs, case-insensitive), counting stops at {@code enough}. */
        static int distinctWordsAtLeast(String t, int enough) {
            long[] seen = new long[Math.max(4, Integer.highestOneBit(Math.max(1, enough)) * 4)];
            boolean[] used = new boolean[seen.length];
            int distinct = 0, n = t.length(), i = 0;
            while (i < n && distinct < enough) {
                while (i < n && !Character.isLetterOrDigit(t.charAt(i))) i++;
                if (i >= n) break;
                long h = 0xCBF29CE484222325L;
                while (i < n && Character.isLetterOrDigit(t.charAt(i))) {
                    h = (h ^ Character.toLowerCase(t.charAt(i))) * 0x100000001B3L;
                    i++;
                }
                h = RepeatedLines.mix(h);
                int mask = seen.length - 1, j = (int) h & mask;
                while (used[j] && seen[j] != h) j = (j + 1) & mask;
                if (!used[j]) {
                    used[j] = true;
                    seen[j] = h;
                    distinct++;
                }
            }
            return distinct;
        }

        /** Shannon entropy of the char distribution, bits per char (chars above U+00FF share 256 buckets by hash). */
        static double entropyBits(String t) {
            int n = t.length();
            if (n == 0) return 0;
            int[] counts = new int[512];
            for (int i = 0; i < n; i++) {
                char c = t.charAt(i);
                counts[c < 256 ? c : 256 + ((c * 0x9E37) >>> 8 & 255)]++;
            }
            double h = 0;
            for (int k : counts) {
                if (k == 0) continue;
                double p = (double) k / n;
                h -= p * Math.log(p);
            }
            return h / Math.log(2);
        }
    }
}
