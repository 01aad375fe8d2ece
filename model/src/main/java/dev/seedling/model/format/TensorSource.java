package dev.seedling.model.format;

import dev.seedling.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Named tensors stored in a file (or, later, a set of shard files), read on request and converted to float32. Holds
 * its storage open (memory-mapped) until {@link #close()}.
 */
public interface TensorSource extends AutoCloseable {
    /** The file (for a sharded source: the index file) the tensors come from; used in messages. */
    Path path();

    /** Every tensor name, in storage order. */
    List<String> names();

    boolean contains(String name);

    /** The shape of tensor {@code name} (a copy); a missing name is a {@link dev.seedling.tensor.SeedlingException}. */
    int[] shape(String name);

    /** The stored element type of tensor {@code name}. */
    DType dtype(String name);

    /** The string metadata stored with the tensors (empty when there is none). */
    Map<String, String> metadata();

    /** Tensor {@code name} as a new float32 tensor of its stored shape. */
    Tensor readF32(String name);

    /** Reads tensor {@code name} into {@code dst}, whose shape must equal the stored shape. */
    void readInto(String name, Tensor dst);

    /** Reads every tensor of {@code dsts} (name → destination) with {@link #readInto}. */
    default void readAllInto(Map<String, Tensor> dsts) {
        for (Map.Entry<String, Tensor> e : dsts.entrySet()) readInto(e.getKey(), e.getValue());
    }

    /** Releases the storage; tensors already read stay valid. */
    @Override
    void close();
}
