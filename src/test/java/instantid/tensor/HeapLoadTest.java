package instantid.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights load from the memory-mapped file straight into native memory: a 384 MB fp16 file loads
 * (as fp32, 768 MB native) in a JVM whose whole heap is 48 MB. The same path is what lets a
 * 6.9 GB fp32 UNet load with a 2 GB heap; the size here keeps the test fast.
 */
class HeapLoadTest {

    static final int TENSORS = 12;
    static final long ELEMENTS = 16L << 20; // 16 M fp16 values = 32 MB per tensor

    @Test
    void aFileMuchLargerThanTheHeapLoads(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("big.safetensors");
        writeZeros(file);
        for (String dt : new String[] {"fp32", "fp16"}) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx48m", "-cp", System.getProperty("java.class.path"), HeapLoadCheck.class.getName(), file.toString(), dt));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putIfAbsent("DJL_OFFLINE", "true");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
            assertEquals(0, p.exitValue(), out);
            long expected = TENSORS * ELEMENTS * (dt.equals("fp16") ? 2 : 4);
            assertTrue(out.contains("loaded " + expected), out);
        }
    }

    /** A valid safetensors file of zero-filled fp16 tensors, written without holding it in memory. */
    static void writeZeros(Path file) throws IOException {
        StringBuilder h = new StringBuilder("{");
        long off = 0;
        for (int i = 0; i < TENSORS; i++) {
            long end = off + ELEMENTS * 2;
            h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F16\",\"shape\":[")
                    .append(ELEMENTS / 1024).append(",1024],\"data_offsets\":[").append(off).append(',').append(end).append("]}");
            off = end;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            f.write(len.array());
            f.write(header);
            f.setLength(8 + header.length + off); // sparse zeros
        }
    }
}
