package instantid.parity;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorInfo;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.tensor.Tensors;

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
                DataType t = a.dtype().isFloat() ? DataType.FLOAT32 : null;
                r.check(name, Tensors.load(manager, bin, name, t), 0, 0);
            }
        }
        return r.outcome();
    }

    private static String first(Set<String> s) {
        return s.stream().limit(3).toList().toString();
    }
}
