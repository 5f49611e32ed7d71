package instantid.tensor;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.DType;
import instantid.io.Safetensors;
import instantid.io.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Weights hold float16 files in float16 under float32 compute, and hand out scoped float32 copies. */
class WeightsTest {

    private static Path file(Path dir, DType dtype) throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("w", new long[] {4, 3});
        Path f = dir.resolve(dtype + ".safetensors");
        // values that float16 rounds (1/3 steps), so a float16 copy is told from a float32 one
        SafetensorsWriter.write(f, shapes, dtype, (n, s, start, out) -> {
            for (int i = 0; i < out.length; i++) out[i] = (start + i) / 3f - 1.7f;
        });
        return f;
    }

    private static List<NDArray> held(Weights w) {
        return ((BaseNDManager) w.manager()).getManagedArrays();
    }

    @Test
    void float16FileIsHeldInFloat16AndUpcastPerUseInsideTheScope(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, DType.F16);
        try (NDManager m = NDManager.newBaseManager(); Safetensors src = Safetensors.open(f);
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(src, "")) {
            float[] expected = Tensors.load(m, src, "w", DataType.FLOAT32).toFloatArray();
            w.loadAll(); // outside any scope: loads the held array and makes no copy
            assertEquals(1, held(w).size());
            try (Scope s = new Scope()) {
                NDArray a = w.get("w");
                NDArray b = w.get("w");
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertArrayEquals(expected, a.toFloatArray());
                assertNotSame(a, b); // each use is its own copy, freed with the scope
            }
            List<NDArray> left = held(w);
            assertEquals(1, left.size(), "only the held array outlives the scope: " + left);
            assertEquals(DataType.FLOAT16, left.get(0).getDataType());
        }
    }

    @Test
    void replaceReturnsTheHeldArrayAndPuttingItBackRestoresExactly(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, DType.F16);
        try (NDManager m = NDManager.newBaseManager(); Safetensors src = Safetensors.open(f);
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(src, "")) {
            float[] original;
            try (Scope s = new Scope()) {
                original = w.get("w").toFloatArray();
            }
            NDArray fused = m.ones(new ai.djl.ndarray.types.Shape(4, 3));
            NDArray prev = w.replace("w", fused);
            assertEquals(DataType.FLOAT16, prev.getDataType());
            assertSame(fused, w.get("w")); // a float32 replacement is handed out as it is
            w.replace("w", prev).close();
            try (Scope s = new Scope()) {
                assertArrayEquals(original, w.get("w").toFloatArray());
            }
        }
    }

    @Test
    void float32FileIsHeldOnceAndHandedOutWithoutCopies(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, DType.F32);
        try (NDManager m = NDManager.newBaseManager(); Safetensors src = Safetensors.open(f);
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(src, "")) {
            try (Scope s = new Scope()) {
                assertSame(w.get("w"), w.get("w"));
            }
            assertEquals(DataType.FLOAT32, held(w).get(0).getDataType());
            assertEquals(1, held(w).size());
        }
    }

    @Test
    void float16ComputeHoldsFloat16FilesAsTheyAre(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, DType.F16);
        try (NDManager m = NDManager.newBaseManager(); Safetensors src = Safetensors.open(f);
             Weights w = new Weights(m, DataType.FLOAT16).mapAll(src, "")) {
            assertSame(w.get("w"), w.get("w"));
            assertEquals(DataType.FLOAT16, w.get("w").getDataType());
        }
    }
}
