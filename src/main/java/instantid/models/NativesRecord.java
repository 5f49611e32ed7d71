package instantid.models;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link GpuNatives} installed, written as {@value #FILE} into the natives folder: for each
 * library the URL it came from, the SHA-256 of the gzip file fetched and of the library extracted
 * from it, and its size. publish.djl.ai publishes no checksums, so these are trust-on-first-use
 * hashes: they cannot prove the download was genuine (only the gzip CRC-32 and HTTPS vouch for the
 * transfer), but they prove at every start that nothing changed the installed files since.
 */
public record NativesRecord(String version, String flavor, String classifier, String source, String installed,
                            String note, List<Entry> files) {

    public static final String FILE = "instantid-natives.json";

    /** One installed library. */
    public record Entry(String name, String url, String gzSha256, String sha256, long size) {
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public static NativesRecord read(Path folder) throws IOException {
        Path p = folder.resolve(FILE);
        if (!Files.isRegularFile(p)) return null;
        try {
            NativesRecord r = GSON.fromJson(Files.readString(p), NativesRecord.class);
            if (r == null || r.files() == null || r.files().isEmpty()) throw new IOException(p + ": lists no files");
            return r;
        } catch (JsonParseException e) {
            throw new IOException(p + " is damaged (" + e.getMessage() + "): reinstall with models --install-gpu", e);
        }
    }

    void write(Path folder) throws IOException {
        Path tmp = folder.resolve(FILE + ".tmp");
        Files.writeString(tmp, GSON.toJson(this));
        Files.move(tmp, folder.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Checks every listed library against its recorded size and SHA-256; null when all match, else
     * what differs (the first mismatch).
     */
    public String verify(Path folder) throws IOException {
        for (Entry e : files) {
            Path f = folder.resolve(e.name());
            if (!Files.isRegularFile(f)) return e.name() + " is missing from " + folder;
            long size = Files.size(f);
            if (size != e.size()) return e.name() + " has " + size + " bytes, " + e.size() + " were installed";
            String actual = Sha256.of(f);
            if (!actual.equalsIgnoreCase(e.sha256())) {
                return e.name() + " changed since it was installed: SHA-256 " + actual + ", recorded " + e.sha256();
            }
        }
        return null;
    }

    public long totalBytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }
}
