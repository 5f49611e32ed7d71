package instantid.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * One top-level part of a source ({@code ip-adapter.bin#image_proj}): the tensors under
 * {@code part.}, named without that prefix. Closing the part closes the source it owns.
 */
public final class PartSource implements TensorSource {

    private final TensorSource src;
    private final String prefix;
    private final Set<String> names;
    private final boolean owns;

    private PartSource(TensorSource src, String part, boolean owns) {
        this.src = src;
        this.prefix = part + ".";
        this.owns = owns;
        Set<String> n = new LinkedHashSet<>();
        for (String k : src.names()) if (k.startsWith(prefix)) n.add(k.substring(prefix.length()));
        this.names = Collections.unmodifiableSet(n);
    }

    /**
     * The part {@code part} of {@code src}; {@code owns} makes {@link #close()} close {@code src}.
     * A part that does not exist is an error naming the parts that do.
     */
    public static PartSource of(TensorSource src, String part, boolean owns) {
        PartSource p = new PartSource(src, part, owns);
        if (p.names.isEmpty()) {
            if (owns) src.close();
            throw WeightFileException.of(src.path(), "has no part '" + part + "' (its parts: " + parts(src) + ")");
        }
        return p;
    }

    /** The top-level parts of a source (the names up to the first '.'). */
    public static Set<String> parts(TensorSource src) {
        Set<String> out = new TreeSet<>();
        for (String k : src.names()) {
            int d = k.indexOf('.');
            out.add(d < 0 ? k : k.substring(0, d));
        }
        return out;
    }

    @Override
    public Path path() {
        return src.path();
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public TensorInfo info(String name) {
        if (!names.contains(name)) throw WeightFileException.of(src.path(), prefix + name, "not in this file");
        TensorInfo i = src.info(prefix + name);
        return new TensorInfo(name, i.dtype(), i.shape(), i.begin(), i.end());
    }

    @Override
    public ByteBuffer bytes(String name) {
        if (!names.contains(name)) throw WeightFileException.of(src.path(), prefix + name, "not in this file");
        return src.bytes(prefix + name);
    }

    @Override
    public void close() {
        if (owns) src.close();
    }
}
