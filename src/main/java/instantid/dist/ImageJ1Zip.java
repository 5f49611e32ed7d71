package instantid.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The drop-in for plain ImageJ 1 (docs/imagej.md): one zip to unpack into the ImageJ folder (the one
 * holding {@code plugins/}):
 * <pre>
 *   plugins/InstantID_Fiji-VERSION.jar   the plugin (its plugins.config makes the Plugins › InstantID menu;
 *                                        ImageJ 1 reads plugins.config only from jars with "_" in the name)
 *   jars/*.jar                           every runtime dependency, including what Fiji ships but ImageJ 1
 *                                        lacks (scijava-common, parsington, gson, JNA, commons-*, slf4j) —
 *                                        ImageJ's PluginClassLoader puts &lt;ImageJ&gt;/jars/*.jar on the class path
 *   InstantID-README.txt                 how to install
 * </pre>
 * Jars are stored, not deflated (they are compressed already).
 *
 * <p>{@code java -cp target/instantid.jar instantid.dist.ImageJ1Zip --jar J --lib DIR --extra CLASSPATH --out Z}
 */
public final class ImageJ1Zip {

    static final String README = """
            InstantID for ImageJ 1 (1.53t or later)

            Install: unzip this file into your ImageJ folder - the folder that holds plugins/
            (Debian/Ubuntu 'imagej' package: ~/.imagej; the ImageJ zip distribution: ImageJ/).
            It adds plugins/InstantID_Fiji-*.jar and jars/ with the libraries it needs.
            Restart ImageJ: the commands are under Plugins > InstantID.
            Then Plugins > InstantID > Settings / Models... to point at (or download) the models.

            Fiji users: use the InstantID update site instead (Help > Update... > Manage update sites).
            """;

    private ImageJ1Zip() {
    }

    public static void main(String[] argv) throws IOException {
        Path jar = Path.of("target/instantid.jar"), lib = Path.of("target/lib"), out = null;
        String extra = "";
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--jar" -> jar = Path.of(argv[i + 1]);
                case "--lib" -> lib = Path.of(argv[i + 1]);
                case "--extra" -> extra = argv[i + 1];
                case "--out" -> out = Path.of(argv[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + argv[i] + " (use --jar, --lib, --extra, --out)");
            }
        }
        List<Path> libs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path p : ds) libs.add(p);
        }
        for (String s : extra.split(java.io.File.pathSeparator)) if (!s.isBlank()) libs.add(Path.of(s));
        String version = UpdateSiteBuilder.pluginVersion(jar);
        if (out == null) out = Path.of("target/InstantID-ImageJ1-" + version + ".zip");
        List<String> names = build(jar, libs, out);
        System.out.println("ImageJ 1 zip written to " + out.toAbsolutePath() + ":");
        for (String n : names) System.out.println("  " + n);
    }

    /**
     * Writes the zip and returns its entry names. {@code libs} are all the jars the plugin needs at
     * run time; ImageJ itself ({@code ij-*.jar}) is left out, everything else goes to {@code jars/}.
     */
    public static List<String> build(Path pluginJar, List<Path> libs, Path out) throws IOException {
        if (!Files.isRegularFile(pluginJar)) throw new IOException(pluginJar + " not found: run 'mvn package' first");
        String version = UpdateSiteBuilder.pluginVersion(pluginJar);
        TreeMap<String, Path> entries = new TreeMap<>();
        for (Path p : libs) {
            String a = UpdateSiteBuilder.coordinates(p)[1];
            if (a.equals("ij")) continue; // ImageJ itself
            entries.put("jars/" + p.getFileName(), p);
        }
        List<String> names = new ArrayList<>();
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(tmp))) {
            put(z, "plugins/InstantID_Fiji-" + version + ".jar", pluginJar, names);
            for (var e : entries.entrySet()) put(z, e.getKey(), e.getValue(), names);
            ZipEntry r = new ZipEntry("InstantID-README.txt");
            z.putNextEntry(r);
            z.write(README.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            names.add(r.getName());
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return names;
    }

    private static void put(ZipOutputStream z, String name, Path file, List<String> names) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        e.setCrc(crc.getValue());
        e.setTime(Files.getLastModifiedTime(file).toMillis());
        z.putNextEntry(e);
        z.write(bytes);
        z.closeEntry();
        names.add(name);
    }

    /** Unpacks {@code zip} into {@code folder} (what a user does with it; used by the tests). */
    public static void unpack(Path zip, Path folder) throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path to = folder.resolve(e.getName()).normalize();
                if (!to.startsWith(folder)) throw new IOException("zip entry outside the folder: " + e.getName());
                Files.createDirectories(to.getParent());
                try (OutputStream o = Files.newOutputStream(to)) {
                    in.transferTo(o);
                }
            }
        }
    }
}
