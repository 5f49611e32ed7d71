package instantid.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Names and shapes without data: a stand-in for a real weight file when only the layout matters
 * (key-map checks against the full-size key lists of {@code fixtures/keys/*.json}, parameter
 * counts, wrong-kind detection). {@link #bytes} refuses.
 */
public final class ShapeSource implements TensorSource {

    private final Path path;
    private final Map<String, TensorInfo> infos;

    public ShapeSource(Path path, Map<String, long[]> shapes, DType dtype) {
        this.path = path;
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) n *= d;
            m.put(e.getKey(), new TensorInfo(e.getKey(), dtype, e.getValue().clone(), 0, n * dtype.bytes));
        }
        this.infos = Collections.unmodifiableMap(m);
    }

    /** Reads a {@code {"name": [shape...], ...}} JSON file. */
    public static ShapeSource fromJson(Path json) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                var a = e.getValue().getAsJsonArray();
                long[] s = new long[a.size()];
                for (int i = 0; i < s.length; i++) s[i] = a.get(i).getAsLong();
                shapes.put(e.getKey(), s);
            }
            return new ShapeSource(json, shapes, DType.F32);
        } catch (IOException e) {
            throw new UncheckedIOException(json + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw WeightFileException.of(json, "not a {name: shape} JSON list: " + e.getMessage());
        }
    }

    /** The names and shapes of any source (e.g. a real file, without reading its data). */
    public static ShapeSource of(TensorSource src) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String n : src.names()) shapes.put(n, src.info(n).shape());
        return new ShapeSource(src.path(), shapes, DType.F32);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return infos.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo t = infos.get(name);
        if (t == null) throw WeightFileException.of(path, name, "not in this file");
        return t;
    }

    @Override
    public ByteBuffer bytes(String name) {
        throw WeightFileException.of(path, name, "a shape-only source has no data");
    }

    @Override
    public void close() {
        // nothing held
    }
}
