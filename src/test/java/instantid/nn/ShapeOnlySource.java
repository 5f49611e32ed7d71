package instantid.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.io.DType;
import instantid.io.TensorInfo;
import instantid.io.TensorSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Names and shapes of a real file (fixtures' keys/*.json) without data: for shape-only tests. */
final class ShapeOnlySource implements TensorSource {

    private final Path path;
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();

    /** Names and shapes from a parameter list ({@link ParameterLists}), under {@code prefix} (or all with null). */
    ShapeOnlySource(String what, Map<String, long[]> shapes, String prefix) {
        this.path = Path.of(what);
        shapes.forEach((k, v) -> {
            if (prefix == null || k.startsWith(prefix)) {
                String n = prefix == null ? k : k.substring(prefix.length());
                infos.put(n, new TensorInfo(n, DType.F16, v, 0, 0));
            }
        });
    }

    ShapeOnlySource(Path keysJson, String stripPrefix) throws IOException {
        this.path = keysJson;
        JsonObject o = JsonParser.parseString(Files.readString(keysJson)).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String k = e.getKey();
            if (stripPrefix != null) {
                if (!k.startsWith(stripPrefix)) continue;
                k = k.substring(stripPrefix.length());
            }
            long[] s = new long[e.getValue().getAsJsonArray().size()];
            for (int i = 0; i < s.length; i++) s[i] = e.getValue().getAsJsonArray().get(i).getAsLong();
            infos.put(k, new TensorInfo(k, DType.F32, s, 0, 0));
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(infos.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo t = infos.get(name);
        if (t == null) throw new IllegalArgumentException(path + ": no tensor " + name);
        return t;
    }

    @Override
    public ByteBuffer bytes(String name) {
        throw new UnsupportedOperationException("shape-only source: no data for " + name);
    }

    @Override
    public void close() {
    }
}
