package instantid.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: writes safetensors files with a header given as text (so tests can make it lie). */
public final class RawSafetensors {

    private RawSafetensors() {
    }

    /** Writes {@code 8-byte length + header + data}. */
    static Path write(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(file, b.array());
        return file;
    }

    /** A header entry. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    /** A valid file of F32 zeros with the given names and shapes (shape as JSON text). */
    public static Path zeros(Path file, String... nameShape) throws IOException {
        StringBuilder h = new StringBuilder("{");
        long off = 0;
        for (int i = 0; i < nameShape.length; i += 2) {
            long n = 1;
            for (String d : nameShape[i + 1].replaceAll("[\\[\\] ]", "").split(",")) if (!d.isEmpty()) n *= Long.parseLong(d);
            if (i > 0) h.append(',');
            h.append(entry(nameShape[i], "F32", nameShape[i + 1], off, off + 4 * n));
            off += 4 * n;
        }
        h.append('}');
        return write(file, h.toString(), new byte[(int) off]);
    }
}
