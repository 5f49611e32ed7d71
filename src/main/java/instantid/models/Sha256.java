package instantid.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files (models, batch inputs), as the manifests and the hub write it: lower-case hex. */
public final class Sha256 {

    private static final int CHUNK = 1 << 16;

    private Sha256() {
    }

    /** A fresh SHA-256 digest (every JVM has one). */
    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of a whole file. */
    public static String of(Path file) throws IOException {
        MessageDigest d = digest();
        update(d, file, Files.size(file));
        return hex(d);
    }

    /** Feeds the first {@code length} bytes of {@code file} to {@code md} (e.g. the part a download resumes). */
    static void update(MessageDigest md, Path file, long length) throws IOException {
        long todo = length;
        byte[] buf = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            while (todo > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, todo));
                if (n < 0) break;
                md.update(buf, 0, n);
                todo -= n;
            }
        }
    }

    static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }
}
