package instantid.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;

/**
 * A read-only set of named tensors from one weight file (or a set of shards): safetensors, a torch
 * pickle, ... The bytes are little-endian, laid out contiguously in row-major order.
 */
public interface TensorSource extends AutoCloseable {

    /** The file (or index file) this source reads, for error messages. */
    Path path();

    /** Every tensor name, in file order. */
    Set<String> names();

    /** Metadata of a tensor; throws {@link WeightFileException} naming the file when absent. */
    TensorInfo info(String name);

    default boolean has(String name) {
        return names().contains(name);
    }

    /**
     * The tensor's bytes as a read-only buffer (memory-mapped where the format allows: no copy on
     * the Java heap). Little-endian.
     */
    ByteBuffer bytes(String name);

    @Override
    void close();
}
