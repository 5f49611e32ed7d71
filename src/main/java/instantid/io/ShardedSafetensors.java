package instantid.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A model split into shards, read through its {@code *.safetensors.index.json} weight map. */
public final class ShardedSafetensors implements TensorSource {

    private final Path index;
    private final Map<String, Safetensors> byTensor;
    private final Map<String, Safetensors> shards;

    private ShardedSafetensors(Path index, Map<String, Safetensors> byTensor, Map<String, Safetensors> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    public static ShardedSafetensors open(Path index) {
        JsonObject map;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(index));
            map = root.getAsJsonObject().getAsJsonObject("weight_map");
            if (map == null) throw new IllegalStateException("no \"weight_map\"");
        } catch (IOException | RuntimeException e) {
            throw WeightFileException.of(index, "not a safetensors index (" + e.getMessage() + ")");
        }
        Map<String, Safetensors> shards = new LinkedHashMap<>();
        Map<String, Safetensors> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                String file = e.getValue().getAsString();
                Path p = index.resolveSibling(file);
                Safetensors s = shards.get(file);
                if (s == null) {
                    s = Safetensors.open(p);
                    shards.put(file, s);
                }
                if (!s.has(e.getKey())) {
                    throw WeightFileException.of(p, e.getKey(), "listed in " + index.getFileName() + " but not in the shard");
                }
                byTensor.put(e.getKey(), s);
            }
        } catch (RuntimeException e) {
            shards.values().forEach(Safetensors::close);
            throw e;
        }
        return new ShardedSafetensors(index, Collections.unmodifiableMap(byTensor), shards);
    }

    @Override
    public Path path() {
        return index;
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    private Safetensors shard(String name) {
        Safetensors s = byTensor.get(name);
        if (s == null) throw WeightFileException.of(index, name, "not in this model");
        return s;
    }

    @Override
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    @Override
    public ByteBuffer bytes(String name) {
        return shard(name).bytes(name);
    }

    @Override
    public void close() {
        shards.values().forEach(Safetensors::close);
    }
}
