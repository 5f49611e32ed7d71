package instantid.parity;

import instantid.io.TensorInfo;
import instantid.io.TensorSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;

/** A view of a case's io.safetensors that notes every tensor whose bytes are read (see {@link Case#unread()}). */
final class ReadTracking implements TensorSource {

    private final TensorSource src;
    private final Set<String> read;

    ReadTracking(TensorSource src, Set<String> read) {
        this.src = src;
        this.read = read;
    }

    @Override
    public Path path() {
        return src.path();
    }

    @Override
    public Set<String> names() {
        return src.names();
    }

    @Override
    public TensorInfo info(String name) {
        return src.info(name);
    }

    @Override
    public ByteBuffer bytes(String name) {
        ByteBuffer b = src.bytes(name);
        read.add(name);
        return b;
    }

    @Override
    public void close() {
        src.close();
    }
}
