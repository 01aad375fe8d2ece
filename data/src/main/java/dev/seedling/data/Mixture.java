package dev.seedling.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A training mixture: named sources with sampling weights, e.g. a domain corpus at 0.7 and general "replay" text at
 * 0.3 for domain-adaptive pretraining. Read from a JSON file:
 * <pre>{@code {"sources": [{"name": "domain",  "path": "domain-shards", "weight": 0.7},
 *              {"name": "general", "path": "general/docs.jsonl", "weight": 0.3}]}}</pre>
 * A {@code path} is a token-shard folder from {@code seedling pack} or documents to pack (a {@code docs.jsonl}, a
 * folder of text files); relative paths are resolved against the mixture file's folder. Weights are positive and
 * need not sum to 1 ({@link #probabilities()} normalises them). {@link #open} packs what needs packing and maps
 * the shards; {@link MixtureLoader} samples windows from them by weight.
 *
 * @param sources at least one, names unique
 */
public record Mixture(List<Source> sources) {
    /**
     * @param name   unique label (report, packing folder)
     * @param path   token-shard folder, or documents to pack
     * @param weight sampling weight, positive and finite
     */
    public record Source(String name, Path path, double weight) {
        public Source {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new SeedlingException("mixture source name '" + name + "' must be 1-64 letters, digits, _ . or -");
            }
            if (path == null) throw new SeedlingException("mixture source " + name + " has no path");
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new SeedlingException("mixture source " + name + " has weight " + weight + "; weights must be positive");
            }
        }
    }

    public Mixture {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) throw new SeedlingException("a mixture needs at least one source");
        Set<String> names = new HashSet<>();
        for (Source s : sources) {
            if (!names.add(s.name())) throw new SeedlingException("mixture source name " + s.name() + " appears twice; names must be unique");
        }
    }

    /** The weights normalised to sum to 1, in source order. */
    public double[] probabilities() {
        double sum = 0;
        for (Source s : sources) sum += s.weight();
        double[] p = new double[sources.size()];
        for (int i = 0; i < p.length; i++) p[i] = sources.get(i).weight() / sum;
        return p;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Reads a mixture file; every problem is a one-line {@link SeedlingException} naming the file and the key. */
    public static Mixture read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            String m = e.getMessage();
            int nl = m == null ? -1 : m.indexOf('\n');
            throw new SeedlingException("cannot read the mixture file " + file + ": " + (nl < 0 ? m : m.substring(0, nl)));
        }
        if (root == null || !root.isObject()) throw new SeedlingException(file + " must hold a JSON object {\"sources\": [...]}");
        check(file, root, "", Set.of("sources"));
        JsonNode arr = root.get("sources");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new SeedlingException(file + " needs \"sources\": a non-empty list of {\"name\", \"path\", \"weight\"}");
        }
        Path base = file.toAbsolutePath().getParent();
        List<Source> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode s = arr.get(i);
            String where = "sources[" + i + "]";
            if (!s.isObject()) throw new SeedlingException(file + ": " + where + " must be an object {\"name\", \"path\", \"weight\"}");
            check(file, s, where + ".", Set.of("name", "path", "weight"));
            JsonNode name = s.get("name"), path = s.get("path"), weight = s.get("weight");
            if (name == null || !name.isTextual()) throw new SeedlingException(file + ": " + where + ".name must be a string");
            if (path == null || !path.isTextual()) throw new SeedlingException(file + ": " + where + ".path must be a string");
            if (weight == null || !weight.isNumber()) throw new SeedlingException(file + ": " + where + ".weight must be a number");
            try {
                out.add(new Source(name.asText(), base.resolve(path.asText()).normalize(), weight.asDouble()));
            } catch (SeedlingException e) {
                throw new SeedlingException(file + ": " + e.getMessage());
            }
        }
        try {
            return new Mixture(out);
        } catch (SeedlingException e) {
            throw new SeedlingException(file + ": " + e.getMessage());
        }
    }

    private static void check(Path file, JsonNode node, String prefix, Set<String> known) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            String k = it.next().getKey();
            if (!known.contains(k)) {
                throw new SeedlingException(file + ": unknown key '" + prefix + k + "'; known keys: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    /** The shards of every source, open; close it when done. */
    public static final class Opened implements AutoCloseable {
        private final Mixture mixture;
        private final List<TokenShards> shards;

        private Opened(Mixture mixture, List<TokenShards> shards) {
            this.mixture = mixture;
            this.shards = shards;
        }

        public Mixture mixture() {
            return mixture;
        }

        /** The shards of source i, in source order. */
        public List<TokenShards> shards() {
            return shards;
        }

        /** The train split of every source, in source order. */
        public List<TokenSplit> train() {
            return shards.stream().map(TokenShards::train).toList();
        }

        /** A loader sampling the sources' train splits by the mixture's weights. */
        public MixtureLoader trainingLoader(int batchSize, int contextLength, long seed) {
            return MixtureLoader.training(train(), mixture.probabilities(), batchSize, contextLength, seed);
        }

        @Override
        public void close() {
            for (TokenShards s : shards) s.close();
        }
    }

    /**
     * Opens every source: a token-shard folder is mapped as it is; documents are packed with {@code tokenizer} into
     * {@code packRoot/<name>} first (an existing pack there made with the same tokenizer is reused). All sources
     * must share one tokenizer.
     */
    public Opened open(Tokenizer tokenizer, Path packRoot) {
        List<TokenShards> opened = new ArrayList<>();
        try {
            for (Source s : sources) {
                Path dir = s.path();
                boolean packed = Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("index.json"));
                if (!packed) {
                    if (!Files.exists(dir)) throw new SeedlingException("mixture source " + s.name() + ": " + dir + " does not exist");
                    Path target = packRoot.resolve(s.name());
                    if (!reusable(target, tokenizer)) Packer.pack(PackConfig.of(dir, target, tokenizer));
                    dir = target;
                }
                TokenShards sh = TokenShards.open(dir);
                opened.add(sh);
                if (!sh.tokenizerName().equals(tokenizer.name()) || sh.vocabSize() != tokenizer.vocabSize()) {
                    throw new SeedlingException("mixture source " + s.name() + " (" + dir + ") was packed with tokenizer "
                            + sh.tokenizerName() + " (" + sh.vocabSize() + " tokens), not " + tokenizer.name() + " ("
                            + tokenizer.vocabSize() + "); re-pack it with the same tokenizer");
                }
            }
            return new Opened(this, List.copyOf(opened));
        } catch (RuntimeException e) {
            for (TokenShards t : opened) t.close();
            throw e;
        }
    }

    private static boolean reusable(Path dir, Tokenizer tokenizer) {
        if (!Files.isRegularFile(dir.resolve("index.json"))) return false;
        try (TokenShards sh = TokenShards.open(dir)) {
            return sh.tokenizerName().equals(tokenizer.name()) && sh.vocabSize() == tokenizer.vocabSize();
        } catch (SeedlingException e) {
            return false;
        }
    }
}
