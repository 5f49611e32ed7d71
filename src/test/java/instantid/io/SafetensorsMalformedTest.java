package instantid.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static instantid.io.RawSafetensors.entry;
import static instantid.io.RawSafetensors.write;

/** Corrupt, truncated or lying safetensors files fail at open with the file (and tensor) named. */
class SafetensorsMalformedTest {

    @TempDir
    Path tmp;

    private WeightFileException fails(Path f, String... parts) {
        WeightFileException e = assertThrows(WeightFileException.class, () -> Safetensors.open(f).close());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        return e;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void validFileReads() throws Exception {
        Path f = write(tmp.resolve("ok.safetensors"), "{" + entry("a", "F32", "[2]", 0, 8) + ","
                + entry("b", "F32", "[1]", 8, 12) + ",\"__metadata__\":{\"format\":\"pt\"}}", floats(1, 2, 3));
        try (Safetensors s = Safetensors.open(f)) {
            assertEquals(2, s.names().size());
            assertEquals("pt", s.metadata().get("format"));
            assertEquals(3f, s.bytes("b").getFloat(0));
            assertArrayEquals(new long[] {2}, s.info("a").shape());
        }
    }

    @Test
    void truncatedFile() throws Exception {
        Path ok = write(tmp.resolve("full.safetensors"), "{" + entry("w", "F32", "[4]", 0, 16) + "}", floats(1, 2, 3, 4));
        byte[] all = Files.readAllBytes(ok);
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 5));
        fails(cut, "'w'", "truncated");
        Path stub = tmp.resolve("stub.safetensors");
        Files.write(stub, new byte[] {1, 2, 3});
        fails(stub, "too short");
    }

    @Test
    void corruptedHeaderJson() throws Exception {
        fails(write(tmp.resolve("json.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],", floats(1, 2)), "not valid JSON");
        fails(write(tmp.resolve("array.safetensors"), "[1,2,3]", new byte[0]), "not valid JSON");
        fails(write(tmp.resolve("entry.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":\"x\",\"data_offsets\":[0,4]}}",
                floats(1)), "'w'", "malformed");
        fails(write(tmp.resolve("nooffs.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", floats(1)), "'w'", "data_offsets");
    }

    @Test
    void offsetsOutOfRange() throws Exception {
        fails(write(tmp.resolve("past.safetensors"), "{" + entry("w", "F32", "[4]", 8, 24) + "}", floats(1, 2, 3, 4)),
                "'w'", "outside");
        fails(write(tmp.resolve("neg.safetensors"), "{" + entry("w", "F32", "[1]", -4, 0) + "}", floats(1)), "'w'", "outside");
        fails(write(tmp.resolve("backwards.safetensors"), "{" + entry("w", "F32", "[1]", 4, 0) + "}", floats(1, 2)), "'w'");
        fails(write(tmp.resolve("size.safetensors"), "{" + entry("w", "F32", "[3]", 0, 8) + "}", floats(1, 2, 3)),
                "'w'", "needs 12");
        fails(write(tmp.resolve("dim.safetensors"), "{" + entry("w", "F32", "[-1]", 0, 4) + "}", floats(1)), "'w'", "negative");
    }

    @Test
    void overlappingTensors() throws Exception {
        fails(write(tmp.resolve("overlap.safetensors"), "{" + entry("a", "F32", "[2]", 0, 8) + ","
                + entry("b", "F32", "[2]", 4, 12) + "}", floats(1, 2, 3)), "'b'", "overlap", "'a'");
    }

    @Test
    void unknownDtype() throws Exception {
        fails(write(tmp.resolve("dtype.safetensors"), "{" + entry("w", "F8_E4M3X", "[4]", 0, 4) + "}", new byte[4]),
                "'w'", "unknown dtype", "F8_E4M3X");
    }

    @Test
    void headerLengthLargerThanFile() throws Exception {
        Path f = tmp.resolve("len.safetensors");
        ByteBuffer b = ByteBuffer.allocate(8 + 20).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1_000_000).put("{\"a\":1}".getBytes());
        Files.write(f, b.array());
        fails(f, "header length 1000000", "truncated");
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(0);
        Path g = tmp.resolve("negative.safetensors");
        Files.write(g, huge.array());
        fails(g, "header length");
    }

    @Test
    void dispatcherReportsTheSameErrors() throws Exception {
        Path f = write(tmp.resolve("d.safetensors"), "{" + entry("w", "BOGUS", "[1]", 0, 4) + "}", new byte[4]);
        WeightFileException e = assertThrows(WeightFileException.class, () -> TensorSources.open(f));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("BOGUS"), e.getMessage());
    }
}
