package instantid.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a Fiji update site folder from the Maven build ({@code target/instantid.jar} +
 * {@code target/lib/*.jar}), laid out as Fiji's updater downloads it:
 * <pre>
 *   db.xml.gz                                       the index (imagej-updater's pluginRecords format)
 *   plugins/InstantID_Fiji-VERSION.jar-TIMESTAMP    our plugin jar
 *   jars/NAME-VERSION.jar-TIMESTAMP                 runtime dependencies Fiji does not ship
 *   jars/linux64/NAME-VERSION-CLASSIFIER.jar-TIMESTAMP   jars of natives, one folder per platform
 * </pre>
 * The updater fetches {@code <site URL><filename>-<timestamp>} and installs it as
 * {@code <Fiji>/<filename>}; see {@link UpdaterChecksum} for the checksum it verifies.
 *
 * <p>{@code java -cp target/instantid.jar instantid.dist.UpdateSiteBuilder [--jar J] [--lib D] [--out O]}
 */
public final class UpdateSiteBuilder {

    /** One file of the site as db.xml.gz lists it. */
    public record SiteFile(String filename, String checksum, long timestamp, long filesize, String platform,
                           Path source, List<String> dependencies, String description) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private UpdateSiteBuilder() {
    }

    public static void main(String[] argv) throws IOException {
        Path jar = Path.of("target/instantid.jar");
        Path lib = Path.of("target/lib");
        Path out = Path.of("target/update-site");
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--jar" -> jar = Path.of(argv[i + 1]);
                case "--lib" -> lib = Path.of(argv[i + 1]);
                case "--out" -> out = Path.of(argv[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + argv[i] + " (use --jar, --lib, --out)");
            }
        }
        List<Path> libs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path p : ds) libs.add(p);
        }
        List<SiteFile> files = build(jar, libs, out);
        System.out.println("update site written to " + out.toAbsolutePath() + " (" + files.size() + " files + db.xml.gz):");
        for (SiteFile f : files) {
            System.out.println("  " + f.filename() + (f.platform() != null ? "  [" + f.platform() + "]" : "") + "  " + f.filesize() + " bytes");
        }
        for (Path p : libs) {
            String a = coordinates(p)[1];
            if (FijiProvided.provides(a)) System.out.println("  (not shipped, Fiji has it) " + p.getFileName() + ": " + FijiProvided.ARTIFACTS.get(a));
        }
    }

    /** Builds the site into {@code out} (emptied first) and returns what db.xml.gz lists. */
    public static List<SiteFile> build(Path pluginJar, List<Path> libs, Path out) throws IOException {
        if (!Files.isRegularFile(pluginJar)) {
            throw new IOException(pluginJar + " not found: run 'mvn package' first (update-site/build.sh does)");
        }
        deleteTree(out);
        Files.createDirectories(out);
        List<SiteFile> deps = new ArrayList<>();
        for (Path p : libs) {
            String[] gav = coordinates(p);
            if (FijiProvided.provides(gav[1])) continue;
            String classifier = gav[3];
            String platform = classifier == null ? null : fijiPlatform(classifier);
            if (classifier != null && platform == null) {
                throw new IOException(p + ": native classifier '" + classifier + "' has no Fiji platform folder");
            }
            String name = siteName(gav) + "-" + gav[2] + (classifier != null ? "-" + classifier : "") + ".jar";
            String filename = "jars/" + (platform != null ? platform + "/" : "") + name;
            deps.add(add(out, filename, p, platform, List.of(), null));
        }
        String version = pluginVersion(pluginJar);
        List<String> depNames = new ArrayList<>();
        for (SiteFile d : deps) depNames.add(d.filename());
        List<SiteFile> all = new ArrayList<>();
        all.add(add(out, "plugins/InstantID_Fiji-" + version + ".jar", pluginJar, null, depNames,
                "InstantID for Fiji: identity-preserving image generation (InstantID on SDXL) in Java."));
        all.addAll(deps);
        writeDb(out.resolve("db.xml.gz"), all);
        return all;
    }

    private static SiteFile add(Path out, String filename, Path source, String platform, List<String> deps,
                                String description) throws IOException {
        long ts = timestamp(source);
        Path dest = out.resolve(filename + "-" + ts);
        Files.createDirectories(dest.getParent());
        Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        return new SiteFile(filename, UpdaterChecksum.of(filename, source), ts, Files.size(source), platform, source,
                deps, description);
    }

    /** The file's modification time as the updater writes timestamps (yyyyMMddHHmmss, local time). */
    public static long timestamp(Path p) throws IOException {
        Instant t = Files.getLastModifiedTime(p).toInstant();
        return Long.parseLong(STAMP.format(t.atZone(ZoneId.systemDefault())));
    }

    /** Maven/DJL native classifier → the platform folder Fiji's launcher puts on the class path. */
    public static String fijiPlatform(String classifier) {
        return switch (classifier) {
            case "linux-x86_64" -> "linux64";
            case "linux-aarch64" -> "linux-arm64";
            case "osx-x86_64" -> "macos64";
            case "osx-aarch64" -> "macos-arm64";
            case "win-x86_64" -> "win64";
            default -> null;
        };
    }

    /** The current machine's platform name as the updater computes it ({@code Platforms.current()}). */
    public static String currentPlatform() {
        String os = System.getProperty("os.name").toLowerCase().replaceAll("[^a-z0-9_-]", "");
        String arch = System.getProperty("os.arch");
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos" : os.startsWith("win") ? "win" : os;
        String a = switch (arch) {
            case "amd64", "x64", "x86-64", "x86_64" -> "64";
            case "aarch64" -> "-arm64";
            case "i386", "i486", "i586", "i686", "x86", "x86-32", "x86_32" -> "32";
            default -> "-" + arch;
        };
        return o + a;
    }

    /** A name that stays unambiguous in Fiji's jars/ once the updater strips the version ("api" → "djl-api"). */
    static String siteName(String[] gav) {
        if (gav[1].equals("api") && gav[0] != null) return gav[0].substring(gav[0].lastIndexOf('.') + 1) + "-api";
        return gav[1];
    }

    /**
     * {groupId, artifactId, version, classifier} of a dependency jar: from its
     * {@code META-INF/maven/.../pom.properties} when present, the classifier (and the rest when
     * absent) from the file name {@code artifactId-version[-classifier].jar} that Maven gives it.
     */
    public static String[] coordinates(Path jar) throws IOException {
        String file = jar.getFileName().toString().replaceAll("\\.jar$", "");
        String g = null;
        String a = null;
        String v = null;
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(jf.entries())) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = jf.getInputStream(e)) {
                        p.load(in);
                    }
                    String aa = p.getProperty("artifactId");
                    if (aa != null && file.startsWith(aa + "-")) {
                        g = p.getProperty("groupId");
                        a = aa;
                        v = p.getProperty("version");
                        break;
                    }
                }
            }
        }
        if (a == null) {
            // artifactId-version[-classifier]: the version starts at the first "-<digit>"
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.+?)-(\\d[^-]*(?:-\\d[^-]*)*)(?:-(.+))?$").matcher(file);
            if (!m.matches()) throw new IOException(jar + ": cannot tell artifact and version from the file name");
            return new String[]{packageGroup(jar), m.group(1), m.group(2), m.group(3)};
        }
        String rest = file.substring(a.length() + 1);
        String classifier = rest.equals(v) ? null : rest.startsWith(v + "-") ? rest.substring(v.length() + 1) : null;
        return new String[]{g, a, v, classifier};
    }

    /** Without pom.properties (Gradle-built jars such as DJL's): the first two package segments of its classes. */
    private static String packageGroup(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(jf.entries())) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/") && n.indexOf('/') > 0) {
                    String[] seg = n.split("/");
                    return seg.length > 2 ? seg[0] + "." + seg[1] : seg[0];
                }
            }
        }
        return null;
    }

    /** The plugin's version, from its pom.properties (or manifest). */
    public static String pluginVersion(Path pluginJar) throws IOException {
        try (JarFile jf = new JarFile(pluginJar.toFile())) {
            JarEntry e = jf.getJarEntry("META-INF/maven/io.github.instantid-fiji/instantid-fiji/pom.properties");
            if (e != null) {
                Properties p = new Properties();
                try (InputStream in = jf.getInputStream(e)) {
                    p.load(in);
                }
                return p.getProperty("version");
            }
            String v = jf.getManifest() == null ? null : jf.getManifest().getMainAttributes().getValue("Implementation-Version");
            if (v != null) return v;
        }
        throw new IOException(pluginJar + ": no version (META-INF/maven/.../pom.properties): build it with Maven");
    }

    /** The DTD imagej-updater's XMLFileWriter puts in every db.xml.gz, verbatim. */
    static final String DTD = "<!DOCTYPE pluginRecords [\n"
            + "<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n"
            + "<!ELEMENT update-site EMPTY>\n"
            + "<!ELEMENT disabled-update-site EMPTY>\n"
            + "<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n"
            + "<!ELEMENT version (description?, dependency*, link*, author*)>\n"
            + "<!ELEMENT previous-version EMPTY>\n"
            + "<!ELEMENT description (#PCDATA)>\n" + "<!ELEMENT dependency EMPTY>\n"
            + "<!ELEMENT link (#PCDATA)>\n" + "<!ELEMENT author (#PCDATA)>\n"
            + "<!ELEMENT platform (#PCDATA)>\n" + "<!ELEMENT category (#PCDATA)>\n"
            + "<!ATTLIST update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site keep-url CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site official CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site keep-url CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site official CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin update-site CDATA #IMPLIED>\n"
            + "<!ATTLIST plugin filename CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin executable CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency filename CDATA #REQUIRED>\n"
            + "<!ATTLIST dependency timestamp CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency overrides CDATA #IMPLIED>\n"
            + "<!ATTLIST version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST version checksum CDATA #REQUIRED>\n"
            + "<!ATTLIST version filesize CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version filename CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n";

    /** Writes the index as the updater's XMLFileWriter does for a remote site (no update-site records). */
    static void writeDb(Path db, List<SiteFile> files) throws IOException {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        x.append(DTD).append("<pluginRecords>\n");
        for (SiteFile f : files) {
            x.append("    <plugin filename=\"").append(esc(f.filename())).append("\">\n");
            if (f.platform() != null) x.append("        <platform>").append(esc(f.platform())).append("</platform>\n");
            x.append("        <version checksum=\"").append(f.checksum()).append("\" filesize=\"").append(f.filesize())
                    .append("\" timestamp=\"").append(f.timestamp()).append("\">\n");
            if (f.description() != null) x.append("            <description>").append(esc(f.description())).append("</description>\n");
            for (String d : f.dependencies()) {
                long ts = files.stream().filter(o -> o.filename().equals(d)).findFirst().orElseThrow().timestamp();
                x.append("            <dependency filename=\"").append(esc(d)).append("\" timestamp=\"").append(ts).append("\"/>\n");
            }
            x.append("        </version>\n    </plugin>\n");
        }
        x.append("</pluginRecords>\n");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(x.toString().getBytes(StandardCharsets.UTF_8));
        }
        Files.write(db, buf.toByteArray());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
