package dev.seedling.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.model.format.internal.Json;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors split over several safetensors files, as Hugging Face saves large models: an index
 * ({@code model.safetensors.index.json}, {@code {"metadata": {...}, "weight_map": {tensor name: shard file}}}) next
 * to the shards. Every shard is memory-mapped ({@link SafetensorsFile}); a tensor is read from the shard the index
 * names, which must hold it. Closing releases every shard. Thread-safety as {@link SafetensorsFile}.
 */
public final class ShardedSafetensors implements TensorSource {
    private final Path index;
    private final Map<String, SafetensorsFile> byTensor; // in index order
    private final List<SafetensorsFile> shards;

    private ShardedSafetensors(Path index, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    /** Opens the index file and every shard it names (shard names are plain file names beside the index). */
    public static ShardedSafetensors open(Path indexFile) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(indexFile);
        } catch (NoSuchFileException e) {
            throw new SeedlingException(indexFile + ": no such file", e);
        } catch (IOException e) {
            throw new SeedlingException(indexFile + ": cannot read (" + e + ")", e);
        }
        JsonNode root = Json.parse(bytes, indexFile.toString());
        JsonNode map = root.isObject() ? root.get("weight_map") : null;
        if (map == null || !map.isObject() || map.isEmpty())
            throw new SeedlingException(indexFile + ": no weight_map object (tensor name -> shard file)");
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> files = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                if (!e.getValue().isTextual())
                    throw new SeedlingException(indexFile + ": weight_map entry '" + e.getKey() + "' must name a shard file, got " + e.getValue());
                String shard = e.getValue().textValue();
                if (!shard.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*") || shard.contains(".."))
                    throw new SeedlingException(indexFile + ": shard name '" + shard + "' must be a plain file name");
                SafetensorsFile f = files.get(shard);
                if (f == null) {
                    f = Safetensors.open(dir.resolve(shard));
                    files.put(shard, f);
                }
                if (!f.contains(e.getKey()))
                    throw new SeedlingException(indexFile + ": weight_map puts tensor " + e.getKey() + " in " + shard
                            + ", which does not hold it");
                byTensor.put(e.getKey(), f);
            }
            return new ShardedSafetensors(indexFile, byTensor, new ArrayList<>(files.values()));
        } catch (RuntimeException e) {
            for (SafetensorsFile f : files.values()) f.close();
            throw e;
        }
    }

    private SafetensorsFile require(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) throw new SeedlingException(index + ": no tensor named '" + name + "' in the weight_map");
        return f;
    }

    @Override
    public Path path() {
        return index;
    }

    @Override
    public List<String> names() {
        return List.copyOf(byTensor.keySet());
    }

    @Override
    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    @Override
    public int[] shape(String name) {
        return require(name).shape(name);
    }

    @Override
    public DType dtype(String name) {
        return require(name).dtype(name);
    }

    /** The metadata of the first shard (the index's own metadata holds only the total size). */
    @Override
    public Map<String, String> metadata() {
        return shards.getFirst().metadata();
    }

    @Override
    public Tensor readF32(String name) {
        return require(name).readF32(name);
    }

    @Override
    public void readInto(String name, Tensor dst) {
        require(name).readInto(name, dst);
    }

    /** The shards, in the order the index first names them. */
    public List<SafetensorsFile> shards() {
        return List.copyOf(shards);
    }

    @Override
    public void close() {
        for (SafetensorsFile f : shards) f.close();
    }
}
