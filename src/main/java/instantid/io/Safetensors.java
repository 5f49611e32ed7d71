package instantid.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file, memory-mapped tensor by tensor (so files over 2 GiB work and
 * nothing is copied onto the Java heap). The header is checked completely when the file is opened:
 * bad JSON, unknown dtypes, offsets outside the file, overlapping ranges and sizes that do not
 * match the shape all fail here with the file and tensor named, never later as a wrong tensor.
 */
public final class Safetensors implements TensorSource {

    /** Headers larger than this are not safetensors headers (the format itself caps them at 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private Safetensors(Path path, FileChannel channel, long dataStart,
                        Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates a file; {@link WeightFileException} names what is wrong. */
    public static Safetensors open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw WeightFileException.of(path, "no such file");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 8) {
                throw WeightFileException.of(path, "too short (" + size + " bytes) to be a safetensors file");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw WeightFileException.of(path, "header length " + headerLen
                        + " does not fit the file (" + size + " bytes): truncated or not a safetensors file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, TensorInfo> infos = parseHeader(path, json, size - dataStart, meta);
            Safetensors s = new Safetensors(path, ch, dataStart, infos, meta);
            ch = null;
            return s;
        } catch (IOException e) {
            throw new WeightFileException(path + ": cannot read: " + e.getMessage(), e);
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }

    static Map<String, TensorInfo> parseHeader(Path path, String json, long dataSize, Map<String, String> meta) {
        JsonObject root;
        try {
            JsonElement el = JsonParser.parseString(json.trim());
            if (!el.isJsonObject()) throw new JsonParseException("not an object");
            root = el.getAsJsonObject();
        } catch (RuntimeException e) {
            throw WeightFileException.of(path, "header is not valid JSON (" + e.getMessage()
                    + "): corrupted or not a safetensors file");
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (e.getValue().isJsonObject()) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                        meta.put(m.getKey(), m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString());
                    }
                }
                continue;
            }
            out.put(name, parseEntry(path, name, e.getValue(), dataSize));
        }
        checkOverlaps(path, out);
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseEntry(Path path, String name, JsonElement el, long dataSize) {
        try {
            JsonObject o = el.getAsJsonObject();
            String ds = o.get("dtype").getAsString();
            DType dt = DType.fromSafetensors(ds);
            if (dt == null) {
                throw WeightFileException.of(path, name, "unknown dtype '" + ds + "'");
            }
            var shapeArr = o.getAsJsonArray("shape");
            long[] shape = new long[shapeArr.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeArr.get(i).getAsLong();
                if (shape[i] < 0) throw WeightFileException.of(path, name, "negative dimension in shape " + shapeArr);
                elements = Math.multiplyExact(elements, shape[i]);
            }
            var offs = o.getAsJsonArray("data_offsets");
            if (offs == null || offs.size() != 2) {
                throw WeightFileException.of(path, name, "data_offsets must be [begin, end]");
            }
            long begin = offs.get(0).getAsLong();
            long end = offs.get(1).getAsLong();
            if (begin < 0 || end < begin || end > dataSize) {
                throw WeightFileException.of(path, name, "data_offsets [" + begin + ", " + end
                        + "] lie outside the data section (" + dataSize + " bytes): the file is truncated or its header lies");
            }
            long expected = Math.multiplyExact(elements, dt.bytes);
            if (end - begin != expected) {
                throw WeightFileException.of(path, name, "holds " + (end - begin) + " bytes but "
                        + dt + java.util.Arrays.toString(shape) + " needs " + expected);
            }
            return new TensorInfo(name, dt, shape, begin, end);
        } catch (WeightFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw WeightFileException.of(path, name, "malformed header entry " + el + " (" + e.getMessage() + ")");
        }
    }

    private static void checkOverlaps(Path path, Map<String, TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>(infos.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1), b = sorted.get(i);
            if (b.begin() < a.end() && b.byteSize() > 0 && a.byteSize() > 0) {
                throw WeightFileException.of(path, b.name(), "its bytes overlap those of '" + a.name()
                        + "': the header lies");
            }
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The free-form {@code __metadata__} map of the header (may be empty). */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw WeightFileException.of(path, name, "not in this file");
        return t;
    }

    @Override
    public ByteBuffer bytes(String name) {
        TensorInfo t = info(name);
        long len = t.byteSize();
        if (len > Integer.MAX_VALUE) {
            throw WeightFileException.of(path, name, "a single tensor over 2 GiB is not supported");
        }
        try {
            if (len == 0) return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), len)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new WeightFileException(path + ": tensor '" + name + "': cannot map: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
