package instantid.parity;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A case passes only when it ran and every tensor case.json lists was read; only kinds without a runner skip. */
class ParityStrictnessTest {

    @TempDir
    Path tmp;

    /** A case of kind {@code strict_test} listing tensors a (input) and b (expected), both [2] float32. */
    private Path writeCase(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("case.json"), "{\"kind\":\"strict_test\",\"config\":{},\"weights\":null,"
                + "\"tensors\":{\"a\":[\"float32\",[2]],\"b\":[\"float32\",[2]]}}");
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1).putFloat(2).putFloat(2).putFloat(4);
        Files.write(dir.resolve("io.safetensors"), b.array());
        return dir;
    }

    private static CaseRunner runner(BiFunction<Case, NDManager, Outcome> body) {
        return new CaseRunner() {
            @Override
            public String kind() {
                return "strict_test";
            }

            @Override
            public Outcome run(Case c, NDManager m) {
                return body.apply(c, m);
            }
        };
    }

    @Test
    void aRunnerThatComparesEverythingPasses() throws Exception {
        Path dir = writeCase("full");
        Outcome o = Parity.runOne(dir, Map.of("strict_test", runner((c, m) -> {
            float[] a = c.floats("a");
            return new Report(c).check("b", new float[] {a[0] * 2, a[1] * 2}).outcome();
        })));
        assertEquals(Outcome.Status.PASS, o.status(), o.detail());
    }

    @Test
    void anExpectedTensorLeftUncomparedFails() throws Exception {
        Path dir = writeCase("lazy");
        // reads the input, never looks at b: a pass here would hide a missing comparison
        Outcome o = Parity.runOne(dir, Map.of("strict_test", runner((c, m) -> {
            c.floats("a");
            return Outcome.pass(0);
        })));
        assertEquals(Outcome.Status.FAIL, o.status());
        assertTrue(o.detail().contains("[b]") && o.detail().contains("neither read nor compared"), o.detail());
    }

    @Test
    void aRunnerThatSkipsFailsAndAKindWithoutRunnerSkips() throws Exception {
        Path dir = writeCase("skipper");
        Outcome o = Parity.runOne(dir, Map.of("strict_test", runner((c, m) -> Outcome.skip("needs a tokenizer folder"))));
        assertEquals(Outcome.Status.FAIL, o.status());
        assertTrue(o.detail().contains("may not skip") && o.detail().contains("tokenizer"), o.detail());

        Outcome none = Parity.runOne(dir, Map.of());
        assertEquals(Outcome.Status.SKIP, none.status());
        assertTrue(none.detail().contains(Parity.NO_RUNNER) && none.detail().contains("strict_test"), none.detail());
    }

    @Test
    void aMissingIoFileFails() throws Exception {
        Path dir = writeCase("noio");
        Files.delete(dir.resolve("io.safetensors"));
        Outcome o = Parity.runOne(dir, Map.of("strict_test", runner((c, m) -> {
            c.floats("a");
            return Outcome.pass(0);
        })));
        assertEquals(Outcome.Status.FAIL, o.status());
        assertTrue(o.detail().contains("io.safetensors"), o.detail());
    }
}
