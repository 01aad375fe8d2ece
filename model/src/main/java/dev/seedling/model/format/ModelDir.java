package dev.seedling.model.format;

import dev.seedling.model.LlamaConfig;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.model.format.internal.Json;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A Hugging Face model directory: {@code config.json}, {@code model.safetensors}, {@code generation_config.json}, and
 * whatever else goes with the model ({@code tokenizer.json}, {@code tokenizer_config.json}, …). Such a directory loads
 * in HF transformers ({@code AutoModelForCausalLM.from_pretrained(dir)}).
 *
 * <p>{@link #save} builds the directory as a hidden sibling and renames it into place, so a failure leaves nothing
 * behind. Saving over an existing model directory replaces the files the save writes, one atomic rename each, and
 * keeps every other file there.
 */
public final class ModelDir {
    private ModelDir() {}

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String WEIGHTS_INDEX_FILE = "model.safetensors.index.json";
    public static final String GENERATION_CONFIG_FILE = "generation_config.json";

    /** The safetensors metadata transformers expects of PyTorch weights (it refuses files without a known format). */
    public static final Map<String, String> WEIGHTS_METADATA = Map.of("format", "pt");

    private static final Set<String> RESERVED = Set.of(CONFIG_FILE, WEIGHTS_FILE, WEIGHTS_INDEX_FILE);

    /**
     * How {@link #save} writes.
     *
     * @param overwrite also write into an existing non-empty directory that is not a model directory (its other
     *                  files are kept)
     * @param dtype     the stored weight type: F32, BF16 or F16 (config.json's torch_dtype follows it)
     * @param maxShardBytes 0 for one {@code model.safetensors}; else weights above this size are split into
     *                  {@code model-0000i-of-0000n.safetensors} shards of at most this many bytes of tensor data (a
     *                  larger tensor gets a shard of its own) plus {@code model.safetensors.index.json}, as HF's
     *                  {@code save_pretrained(max_shard_size=...)} does
     */
    public record SaveOptions(boolean overwrite, DType dtype, long maxShardBytes) {
        public SaveOptions {
            if (!dtype.writable()) throw new SeedlingException("cannot save model weights as " + dtype + "; use F32, BF16 or F16");
            if (maxShardBytes < 0) throw new SeedlingException("max shard size must be >= 0 (0 = one file), got " + maxShardBytes);
        }

        public SaveOptions(boolean overwrite, DType dtype) {
            this(overwrite, dtype, 0);
        }

        /** No overwriting of unrelated directories, float32 weights, one weights file. */
        public static SaveOptions defaults() {
            return new SaveOptions(false, DType.F32, 0);
        }

        public SaveOptions withOverwrite(boolean overwrite) {
            return new SaveOptions(overwrite, dtype, maxShardBytes);
        }

        public SaveOptions withDtype(DType dtype) {
            return new SaveOptions(overwrite, dtype, maxShardBytes);
        }

        public SaveOptions withMaxShardBytes(long maxShardBytes) {
            return new SaveOptions(overwrite, dtype, maxShardBytes);
        }
    }

    /** Shard file names as HF writes them: {@code model-00001-of-00003.safetensors}. */
    static final java.util.regex.Pattern SHARD_NAME = java.util.regex.Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

    /** An opened model directory; closing it releases the weights' mapping. */
    public record Loaded(Path dir, LlamaConfig config, TensorSource weights) implements AutoCloseable {
        @Override
        public void close() {
            weights.close();
        }
    }

    /** Saves with {@link SaveOptions#defaults()}. */
    public static void save(Path dir, LlamaConfig config, Map<String, Tensor> weights, Map<String, String> extraJsonFiles) {
        save(dir, config, weights, extraJsonFiles, SaveOptions.defaults());
    }

    /**
     * Writes {@code config.json}, {@code model.safetensors}, {@code generation_config.json} and {@code extraJsonFiles}
     * into {@code dir}.
     *
     * @param weights        every tensor of {@link LlamaTensorNames#shapes(LlamaConfig)} under its HF name, no others
     * @param extraJsonFiles file name → content of further files to write (e.g. {@code tokenizer.json}); names are
     *                       plain file names; a {@code .json} content must parse; {@code generation_config.json} here
     *                       replaces the generated one
     */
    public static void save(Path dir, LlamaConfig config, Map<String, Tensor> weights, Map<String, String> extraJsonFiles,
            SaveOptions options) {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) throw new SeedlingException("cannot save a model as the file system root " + dir);
        checkWeights(target, config, weights);
        Map<String, String> extras = checkExtraFiles(target, extraJsonFiles == null ? Map.of() : extraJsonFiles);
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) throw new SeedlingException(dir + " exists and is not a folder; choose another output path");
            if (!isEmpty(target) && !isModelDir(target) && !options.overwrite())
                throw new SeedlingException(dir + " is not empty and is not a model directory (no " + CONFIG_FILE
                        + "); choose a new folder, or pass overwrite to add the model files to it (other files are kept)");
        }
        Path staging = null;
        try {
            Files.createDirectories(parent);
            staging = AtomicFiles.tempSibling(target, ".tmp");
            Files.createDirectory(staging);
            // weights first, config last: a directory only looks like a model once config.json is in it
            Map<String, String> texts = new LinkedHashMap<>();
            texts.put(GENERATION_CONFIG_FILE, config.generationConfigJson());
            texts.putAll(extras);
            texts.put(CONFIG_FILE, config.toJson(options.dtype().torchName()));
            List<String> order = new ArrayList<>();
            List<String> weightFiles = writeWeights(staging, weights, options);
            order.addAll(weightFiles);
            for (Map.Entry<String, String> e : texts.entrySet()) {
                AtomicFiles.writeString(staging.resolve(e.getKey()), e.getValue());
                order.add(e.getKey());
            }
            AtomicFiles.syncDirectory(staging);
            if (!Files.exists(target) || isEmpty(target)) {
                try {
                    AtomicFiles.moveAtomically(staging, target); // replaces an empty folder too
                    staging = null;
                } catch (IOException e) {
                    // a file appeared, or the target is a link: fall back to moving file by file
                }
            }
            if (staging != null) {
                for (String name : order) AtomicFiles.moveAtomically(staging.resolve(name), target.resolve(name));
                removeStaleWeights(target, weightFiles);
                AtomicFiles.syncDirectory(target);
            }
            AtomicFiles.syncDirectory(parent);
        } catch (IOException e) {
            throw new SeedlingException("cannot save the model to " + dir + ": " + e + "; check the folder is writable and the disk has space", e);
        } finally {
            if (staging != null) AtomicFiles.deleteQuietly(staging);
        }
    }

    /** Writes the weights into {@code dir} as one file or as shards + index; returns the file names, index last. */
    private static List<String> writeWeights(Path dir, Map<String, Tensor> weights, SaveOptions options) throws IOException {
        long bytesPer = options.dtype().bytes(), total = 0;
        for (Tensor t : weights.values()) total += t.size() * bytesPer;
        if (options.maxShardBytes() == 0 || total <= options.maxShardBytes()) {
            Safetensors.write(dir.resolve(WEIGHTS_FILE), weights, WEIGHTS_METADATA, options.dtype());
            return List.of(WEIGHTS_FILE);
        }
        List<Map<String, Tensor>> shards = new ArrayList<>();
        Map<String, Tensor> current = new LinkedHashMap<>();
        long size = 0;
        for (Map.Entry<String, Tensor> e : new TreeMap<>(weights).entrySet()) {
            long b = e.getValue().size() * bytesPer;
            if (!current.isEmpty() && size + b > options.maxShardBytes()) {
                shards.add(current);
                current = new LinkedHashMap<>();
                size = 0;
            }
            current.put(e.getKey(), e.getValue());
            size += b;
        }
        shards.add(current);
        List<String> names = new ArrayList<>();
        com.fasterxml.jackson.databind.node.ObjectNode index = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        index.putObject("metadata").put("total_size", total);
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format(java.util.Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
            Safetensors.write(dir.resolve(name), shards.get(i), WEIGHTS_METADATA, options.dtype());
            names.add(name);
            for (String t : shards.get(i).keySet()) map.put(t, name);
        }
        com.fasterxml.jackson.databind.node.ObjectNode wm = index.putObject("weight_map");
        map.forEach(wm::put);
        AtomicFiles.writeString(dir.resolve(WEIGHTS_INDEX_FILE), Json.pretty(index));
        names.add(WEIGHTS_INDEX_FILE);
        return names;
    }

    /** After saving into an existing model directory: deletes weight files of the other layout or an older sharding. */
    private static void removeStaleWeights(Path dir, List<String> written) throws IOException {
        List<String> stale = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.equals(WEIGHTS_FILE) || n.equals(WEIGHTS_INDEX_FILE) || SHARD_NAME.matcher(n).matches())
                    .filter(n -> !written.contains(n)).forEach(stale::add);
        }
        for (String n : stale) Files.deleteIfExists(dir.resolve(n));
    }

    /** Whether {@code dir} is a folder holding a {@code config.json}. */
    public static boolean isModelDir(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(CONFIG_FILE));
    }

    /**
     * Opens the model in {@code dir}: reads {@code config.json} and memory-maps {@code model.safetensors} (or the
     * shards {@code model.safetensors.index.json} names), checking
     * that every tensor the config implies is there with its shape (further tensors are ignored). Close the result.
     */
    public static Loaded load(Path dir) {
        if (!Files.exists(dir)) throw new SeedlingException(dir + ": no such folder");
        if (!Files.isDirectory(dir)) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            String hint = name.equals(CONFIG_FILE) || name.endsWith(".safetensors") ? "; pass the folder that holds it" : "";
            throw new SeedlingException(dir + " is not a model directory (it is a file)" + hint);
        }
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile))
            throw new SeedlingException(dir + " is not a model directory (no " + CONFIG_FILE + ")");
        LlamaConfig config = LlamaConfig.read(configFile);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        TensorSource weights;
        if (Files.isRegularFile(weightsFile)) weights = Safetensors.open(weightsFile);
        else if (Files.isRegularFile(dir.resolve(WEIGHTS_INDEX_FILE))) weights = ShardedSafetensors.open(dir.resolve(WEIGHTS_INDEX_FILE));
        else {
            if (Files.exists(dir.resolve("pytorch_model.bin")))
                throw new SeedlingException(dir + ": has pytorch_model.bin but no " + WEIGHTS_FILE
                        + "; convert it to safetensors first (e.g. save_pretrained(safe_serialization=True))");
            throw new SeedlingException(dir + ": no " + WEIGHTS_FILE + " (or " + WEIGHTS_INDEX_FILE + ") next to " + CONFIG_FILE);
        }
        try {
            checkWeights(configFile, config, weights);
            return new Loaded(dir, config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /**
     * Checks that {@code weights} holds every tensor {@code config} implies, with its shape and a float type;
     * errors name the file and the first offending tensor.
     */
    public static void checkWeights(Path configFile, LlamaConfig config, TensorSource weights) {
        for (Map.Entry<String, int[]> e : LlamaTensorNames.shapes(config).entrySet()) {
            String name = e.getKey();
            if (!weights.contains(name))
                throw new SeedlingException(weights.path() + ": missing tensor " + name + ", which " + configFile + " ("
                        + describe(config) + ") implies");
            int[] shape = weights.shape(name);
            if (!Arrays.equals(shape, e.getValue()))
                throw new SeedlingException(weights.path() + ": tensor " + name + " has shape " + Arrays.toString(shape)
                        + ", expected " + Arrays.toString(e.getValue()) + " from " + configFile);
            if (!weights.dtype(name).readableAsF32())
                throw new SeedlingException(weights.path() + ": tensor " + name + " has dtype " + weights.dtype(name)
                        + "; model weights must be F32, BF16 or F16");
        }
    }

    private static void checkWeights(Path dir, LlamaConfig config, Map<String, Tensor> weights) {
        Map<String, int[]> expected = LlamaTensorNames.shapes(config);
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = weights.get(e.getKey());
            if (t == null)
                throw new SeedlingException("cannot save the model to " + dir + ": weight " + e.getKey() + " is missing ("
                        + describe(config) + ")");
            if (!Arrays.equals(t.shape(), e.getValue()))
                throw new SeedlingException("cannot save the model to " + dir + ": weight " + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.getValue()));
        }
        for (String name : new TreeMap<>(weights).keySet())
            if (!expected.containsKey(name))
                throw new SeedlingException("cannot save the model to " + dir + ": weight " + name
                        + " is not part of a Llama model with this config (" + describe(config) + ")");
    }

    private static Map<String, String> checkExtraFiles(Path dir, Map<String, String> extras) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : extras.entrySet()) {
            String name = e.getKey();
            if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*") || name.contains(".."))
                throw new SeedlingException("cannot save the model to " + dir + ": extra file name '" + name
                        + "' must be a plain file name (letters, digits, '_', '-', '.')");
            if (RESERVED.contains(name))
                throw new SeedlingException("cannot save the model to " + dir + ": extra file " + name
                        + " would replace the one the save writes itself");
            if (e.getValue() == null) throw new SeedlingException("cannot save the model to " + dir + ": extra file " + name + " has no content");
            if (name.endsWith(".json")) Json.parse(e.getValue().getBytes(StandardCharsets.UTF_8), "extra file " + name);
            out.put(name, e.getValue());
        }
        return out;
    }

    private static String describe(LlamaConfig c) {
        return "num_hidden_layers=" + c.numHiddenLayers() + ", hidden_size=" + c.hiddenSize() + ", tie_word_embeddings="
                + c.tieWordEmbeddings();
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new SeedlingException("cannot list " + dir + ": " + e, e);
        }
    }
}
