package instantid.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Trust on first use for manifest files without a published SHA-256: the hash of the first verified
 * download (or of the file found there the first time it is used) is recorded in
 * {@value #FILE} inside the models folder, and every later load checks the file against it, so a
 * file that changes afterwards is noticed. It pins the first copy; it cannot tell whether that first
 * copy was the right one — which is why every file that has a published hash is pinned in the manifest.
 */
final class FirstUse {

    static final String FILE = "instantid-first-use.properties";

    private final Path folder;
    private final Properties recorded = new Properties();

    FirstUse(Path folder) throws IOException {
        this.folder = folder;
        Path f = folder.resolve(FILE);
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                recorded.load(in);
            }
        }
    }

    /** The SHA-256 recorded for a target (relative to the models folder), or null. */
    String sha256(String target) {
        String v = recorded.getProperty(target);
        return v == null ? null : v.split(" ")[0];
    }

    void record(String target, String sha256, long size) throws IOException {
        recorded.setProperty(target, sha256 + " " + size);
        Files.createDirectories(folder);
        Path tmp = folder.resolve(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            recorded.store(out, "InstantID: SHA-256 of files without a published checksum, recorded at their first"
                    + " verified download (trust on first use); checked on every later load");
        }
        Files.move(tmp, folder.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    }
}
