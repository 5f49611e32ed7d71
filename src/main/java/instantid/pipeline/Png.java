package instantid.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A minimal PNG writer (8-bit RGB, text chunks) with no AWT: the core writes images headless.
 * Files are written to a temporary sibling and moved into place, so a failed or cancelled write
 * never leaves a half-written PNG under the final name.
 */
public final class Png {

    private Png() {
    }

    public static byte[] encode(int width, int height, byte[] rgb, Map<String, String> text) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(width);
            d.writeInt(height);
            d.writeByte(8); // bit depth
            d.writeByte(2); // RGB
            d.writeByte(0);
            d.writeByte(0);
            d.writeByte(0);
            chunk(out, "IHDR", ihdr.toByteArray());
            for (Map.Entry<String, String> e : text.entrySet()) {
                // iTXt: keyword, null, compression flag 0, method 0, language "", null, translated "", null, text
                ByteArrayOutputStream t = new ByteArrayOutputStream();
                t.write(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
                t.write(new byte[] {0, 0, 0, 0, 0});
                t.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                chunk(out, "iTXt", t.toByteArray());
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(6))) {
                int stride = width * 3;
                for (int y = 0; y < height; y++) {
                    z.write(0); // filter: none
                    z.write(rgb, y * stride, stride);
                }
            }
            chunk(out, "IDAT", raw.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes atomically: temp file in the same folder, then a move onto {@code file}. */
    public static void write(Path file, Image img, Map<String, String> text) throws IOException {
        writeAtomically(file, encode(img.width(), img.height(), img.rgb(), text));
    }

    private static final java.security.SecureRandom TMP = new java.security.SecureRandom();

    /** {@code bytes} into {@code file} atomically, with the umask's permissions (never a half-written file). */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        // not Files.createTempFile: it makes the file 0600 whatever the umask; CREATE_NEW with a
        // random name gets the permissions any new file of the user gets
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(System.nanoTime() ^ TMP.nextLong()) + ".part");
        try {
            Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
