package dev.seedling.data.internal.format.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json} of a token-shard folder, version 1: the tokenizer, the dtype, and the shards of each split in
 * order. See {@code docs/formats.md}, "Token shards (v1)".
 */
public record ShardIndex(String tokenizerName, int vocabSize, int eosId, String dtype, String holdout,
                         List<Entry> shards, Map<String, Object> input, Map<String, Object> config) {
    public static final String FILE = "index.json";
    public static final String FORMAT = "seedling-token-shards";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One shard file: its name in the folder, its split ("train"/"val"), counts and payload CRC32. */
    public record Entry(String file, String split, long tokens, long documents, int crc32) {}

    public byte[] encode() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode tok = root.putObject("tokenizer");
        tok.put("name", tokenizerName);
        tok.put("vocab_size", vocabSize);
        tok.put("eos_id", eosId);
        root.put("dtype", dtype);
        root.put("holdout", holdout);
        ObjectNode splits = root.putObject("splits");
        for (String split : List.of("train", "val")) {
            long tokens = 0, docs = 0;
            int count = 0;
            for (Entry e : shards) {
                if (e.split().equals(split)) {
                    tokens += e.tokens();
                    docs += e.documents();
                    count++;
                }
            }
            ObjectNode s = splits.putObject(split);
            s.put("tokens", tokens);
            s.put("documents", docs);
            s.put("shards", count);
        }
        ArrayNode arr = root.putArray("shards");
        for (Entry e : shards) {
            ObjectNode o = arr.addObject();
            o.put("file", e.file());
            o.put("split", e.split());
            o.put("tokens", e.tokens());
            o.put("documents", e.documents());
            o.put("crc32", String.format("%08x", e.crc32()));
        }
        root.set("input", JSON.valueToTree(input));
        root.set("config", JSON.valueToTree(config));
        try {
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code file} parses as JSON and says it is a Seedling token-shard index (any version). */
    public static boolean looksLikeIndex(Path file) {
        try {
            return FORMAT.equals(JSON.readTree(file.toFile()).path("format").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads and checks {@code dir/index.json}; every problem is a {@link SeedlingException} naming the file. */
    public static ShardIndex read(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new SeedlingException(dir + " has no " + FILE + "; it is not a token-shard folder (make one with `seedling pack`)");
        } catch (JsonProcessingException e) {
            throw new SeedlingException(file + " is not valid JSON (" + firstLine(e.getOriginalMessage())
                    + "); re-pack with `seedling pack`", e);
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + file + ": " + e + "; check the path and its permissions", e);
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new SeedlingException(file + " is not a Seedling token-shard index (\"format\" is not \"" + FORMAT
                    + "\"); point to a folder made by `seedling pack`");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new SeedlingException(file + " has token-shard format version " + root.path("version")
                    + "; it was written by a newer Seedling (this one reads version " + VERSION
                    + "); re-pack with `seedling pack` or upgrade Seedling");
        }
        JsonNode tok = root.path("tokenizer");
        int vocab = tok.path("vocab_size").asInt(-1), eos = tok.path("eos_id").asInt(-1);
        String dtype = root.path("dtype").asText("");
        JsonNode shards = root.path("shards");
        if (vocab <= 0 || eos < 0 || eos >= vocab || !shards.isArray()
                || !(dtype.equals("uint16") || dtype.equals("int32"))) {
            throw new SeedlingException(file + " is incomplete (needs tokenizer.vocab_size, tokenizer.eos_id, dtype and "
                    + "shards); re-pack with `seedling pack`");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode s : shards) {
            String name = s.path("file").asText("");
            String split = s.path("split").asText("");
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                    || !(split.equals("train") || split.equals("val")) || !s.path("tokens").canConvertToLong()) {
                throw new SeedlingException(file + " has a malformed shard entry " + s + "; re-pack with `seedling pack`");
            }
            int crc;
            try {
                crc = Integer.parseUnsignedInt(s.path("crc32").asText(""), 16);
            } catch (NumberFormatException e) {
                throw new SeedlingException(file + " has a malformed crc32 in shard entry " + s + "; re-pack with `seedling pack`");
            }
            entries.add(new Entry(name, split, s.path("tokens").asLong(), s.path("documents").asLong(), crc));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> input = root.has("input") ? JSON.convertValue(root.get("input"), LinkedHashMap.class) : Map.of();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = root.has("config") ? JSON.convertValue(root.get("config"), LinkedHashMap.class) : Map.of();
        return new ShardIndex(tok.path("name").asText(""), vocab, eos, dtype, root.path("holdout").asText(""),
                List.copyOf(entries), input, config);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
