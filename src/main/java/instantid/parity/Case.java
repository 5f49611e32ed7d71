package instantid.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.DType;
import instantid.io.Safetensors;
import instantid.io.TensorInfo;
import instantid.io.TensorSource;
import instantid.tensor.Tensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One reference case: {@code case.json} (kind, config, weights, tolerances, tensor list) and
 * {@code io.safetensors} (inputs and expected outputs by name). Weight paths are relative to the
 * folder that holds the case folder; a {@code #part} suffix names a top-level entry of a pickle.
 * The case remembers which tensors of io.safetensors were read (as inputs or expected values):
 * {@link #unread()} names those case.json lists but no runner looked at, and {@link Parity} fails
 * such a case — a runner cannot pass by leaving an expected tensor uncompared.
 */
public final class Case implements AutoCloseable {

    public final Path dir;
    public final String name;
    public final String kind;
    public final JsonObject json;
    public final JsonObject config;
    public final double atol;
    public final double rtol;
    private Safetensors io;
    private TensorSource tracked;
    private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());

    private Case(Path dir, JsonObject json) {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        this.json = json;
        this.kind = json.has("kind") ? json.get("kind").getAsString() : "?";
        this.config = json.has("config") && json.get("config").isJsonObject()
                ? json.getAsJsonObject("config") : new JsonObject();
        this.atol = json.has("atol") ? json.get("atol").getAsDouble() : 0;
        this.rtol = json.has("rtol") ? json.get("rtol").getAsDouble() : 0;
    }

    public static Case read(Path dir) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("case.json"))).getAsJsonObject();
            return new Case(dir, o);
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve("case.json") + ": " + e.getMessage(), e);
        }
    }

    /** The folder weight paths are relative to. */
    public Path root() {
        return dir.getParent();
    }

    /** The {@code weights} entries, as given (with any {@code #part}). */
    public List<String> weights() {
        List<String> out = new ArrayList<>();
        JsonElement w = json.get("weights");
        if (w != null && w.isJsonArray()) for (JsonElement e : w.getAsJsonArray()) out.add(e.getAsString());
        return out;
    }

    /** A weights entry's file (without {@code #part}). */
    public Path weightFile(String entry) {
        int h = entry.indexOf('#');
        return root().resolve(h < 0 ? entry : entry.substring(0, h));
    }

    /** A weights entry's part ({@code ip-adapter.bin#image_proj} → image_proj), or null. */
    public static String weightPart(String entry) {
        int h = entry.indexOf('#');
        return h < 0 ? null : entry.substring(h + 1);
    }

    /** A file named in the config, relative to the case folder first, else to the root. */
    public Path file(String relative) {
        Path p = dir.resolve(relative);
        return Files.exists(p) ? p : root().resolve(relative);
    }

    /** io.safetensors; reading a tensor's bytes through it counts as reading the tensor. */
    public TensorSource io() {
        if (io == null) {
            io = Safetensors.open(dir.resolve("io.safetensors"));
            tracked = new ReadTracking(io, read);
        }
        return tracked;
    }

    /** A tensor's raw bytes (little-endian), counted as read. */
    public ByteBuffer bytes(String tensor) {
        return io().bytes(tensor);
    }

    /** The tensors case.json lists ({@code "tensors"}); without that list, those of io.safetensors. */
    public Set<String> listed() {
        Set<String> out = new TreeSet<>();
        JsonElement t = json.get("tensors");
        if (t != null && t.isJsonObject()) {
            out.addAll(t.getAsJsonObject().keySet());
        } else if (Files.isRegularFile(dir.resolve("io.safetensors"))) {
            out.addAll(io().names());
        }
        return out;
    }

    /** The listed tensors that were neither read as an input nor compared as an expected value. */
    public Set<String> unread() {
        Set<String> out = listed();
        out.removeAll(read);
        return out;
    }

    public boolean has(String tensor) {
        return io().has(tensor);
    }

    public long[] shape(String tensor) {
        return io().info(tensor).shape();
    }

    /** A tensor of io.safetensors as floats (any numeric dtype widened). */
    public float[] floats(String tensor) {
        TensorInfo t = io().info(tensor);
        ByteBuffer b = bytes(tensor).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) t.elements();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            switch (t.dtype()) {
                case F32: out[i] = b.getFloat(i * 4); break;
                case F64: out[i] = (float) b.getDouble(i * 8); break;
                case I64: out[i] = b.getLong(i * 8); break;
                case I32: out[i] = b.getInt(i * 4); break;
                case U8: out[i] = b.get(i) & 0xff; break;
                case I8: out[i] = b.get(i); break;
                case F16: out[i] = instantid.io.Half.toFloat(b.getShort(i * 2)); break;
                case BF16: out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); break;
                default: throw new IllegalArgumentException(tensor + ": dtype " + t.dtype());
            }
        }
        return out;
    }

    public long[] longs(String tensor) {
        TensorInfo t = io().info(tensor);
        ByteBuffer b = bytes(tensor).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[(int) t.elements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.dtype() == DType.I64 ? b.getLong(i * 8) : (long) floats(tensor)[i];
        }
        return out;
    }

    /** A tensor of io.safetensors as an NDArray (float tensors as FLOAT32). */
    public NDArray array(NDManager m, String tensor) {
        TensorInfo t = io().info(tensor);
        return Tensors.load(m, io(), tensor, t.dtype().isFloat() ? DataType.FLOAT32 : null);
    }

    public String string(String key, String dflt) {
        JsonElement e = config.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsString();
    }

    public double number(String key, double dflt) {
        JsonElement e = config.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsDouble();
    }

    public JsonArray array(String key) {
        JsonElement e = json.has(key) ? json.get(key) : config.get(key);
        return e == null || !e.isJsonArray() ? new JsonArray() : e.getAsJsonArray();
    }

    @Override
    public void close() {
        if (io != null) io.close();
    }
}
