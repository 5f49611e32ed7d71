package instantid.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes a {@code .safetensors} file tensor by tensor through a small buffer, so a 10 GB model is
 * written with a few MB of heap; values come from a {@link TensorWriter.Values} source. Written to
 * a temporary sibling and moved into place: never a half-written file under the final name.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {
    }

    /** Writes {@code shapes} (in order) as F32 or F16, each tensor's values from {@code values}. */
    public static void write(Path file, Map<String, long[]> shapes, DType dtype, TensorWriter.Values values) throws IOException {
        if (dtype != DType.F32 && dtype != DType.F16) throw new IllegalArgumentException("write F32 or F16, not " + dtype);
        StringBuilder h = new StringBuilder("{");
        long off = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = TensorWriter.elements(e.getValue());
            long end = off + n * dtype.bytes;
            h.append(h.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"").append(dtype)
                    .append("\",\"shape\":").append(java.util.Arrays.toString(e.getValue()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(off).append(',').append(end).append("]}");
            off = end;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - header.length % 8) % 8; // keep the data 8-byte aligned, as the format recommends
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer head = ByteBuffer.allocate(8 + header.length + pad).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(header.length + pad).put(header);
                for (int i = 0; i < pad; i++) head.put((byte) ' ');
                head.flip();
                while (head.hasRemaining()) ch.write(head);
                for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                    TensorWriter.stream(ch, e.getKey(), e.getValue(), dtype, values);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
