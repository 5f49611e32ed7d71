package instantid.parity;

import ai.djl.ndarray.NDManager;
import instantid.io.Half;
import instantid.io.TensorInfo;
import instantid.io.TensorSource;
import instantid.io.TensorSources;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kind {@code torch_pickle}: the torch zip named by config {@code file} must hold exactly the
 * tensors of io.safetensors (same names after flattening with '.', same shapes, same values).
 */
public final class TorchPickleCase implements CaseRunner {

    @Override
    public String kind() {
        return "torch_pickle";
    }

    @Override
    public Outcome run(Case c, NDManager manager) {
        Path file = c.file(c.string("file", "ip-adapter.bin"));
        Report r = new Report(c);
        try (TensorSource bin = TensorSources.open(file)) {
            Set<String> expected = new TreeSet<>(c.io().names());
            Set<String> extra = new TreeSet<>(bin.names());
            extra.removeAll(expected);
            if (!extra.isEmpty()) r.fail(extra.size() + " tensors not in the reference, e.g. " + first(extra));
            for (String name : expected) {
                if (!bin.has(name)) {
                    r.fail(name + ": missing from " + file.getFileName());
                    continue;
                }
                TensorInfo a = bin.info(name), e = c.io().info(name);
                if (!Arrays.equals(a.shape(), e.shape())) {
                    r.fail(name + ": shape " + Arrays.toString(a.shape()) + " expected " + Arrays.toString(e.shape()));
                    continue;
                }
                // exact: reading a file must not change a single bit of a value
                r.check(name, floats(a, bin.bytes(name)), 0, 0);
            }
        }
        return r.outcome();
    }

    private static String first(Set<String> s) {
        return s.stream().limit(3).toList().toString();
    }

    /** Any numeric tensor's values widened to float (the reference tensors are float32). */
    static float[] floats(TensorInfo t, ByteBuffer b) {
        b = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) t.elements();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            switch (t.dtype()) {
                case F32: out[i] = b.getFloat(i * 4); break;
                case F64: out[i] = (float) b.getDouble(i * 8); break;
                case F16: out[i] = Half.toFloat(b.getShort(i * 2)); break;
                case BF16: out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); break;
                case I64: out[i] = b.getLong(i * 8); break;
                case I32: out[i] = b.getInt(i * 4); break;
                case I16: out[i] = b.getShort(i * 2); break;
                case I8: out[i] = b.get(i); break;
                case U8: case BOOL: out[i] = b.get(i) & 0xff; break;
                default: throw new IllegalArgumentException(t + ": dtype " + t.dtype());
            }
        }
        return out;
    }
}
