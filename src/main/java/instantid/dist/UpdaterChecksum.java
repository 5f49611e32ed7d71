package instantid.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum Fiji's updater (imagej-updater, {@code UpdaterUtil.getDigest}) computes for a file,
 * reproduced byte for byte so that the updater accepts what our site lists:
 * <ul>
 * <li>not a {@code .jar}: SHA-1 of the path relative to the Fiji folder (ASCII) followed by the
 * file's bytes;</li>
 * <li>a {@code .jar} ({@code getJarDigest(file, true, true, true)}): SHA-1 over the entries sorted by
 * name, each contributing its name (ASCII) then its content, where {@code .properties} entries
 * skip lines starting with '#' (the updater's {@code SkipHashedLines}, quirks included) and
 * {@code META-INF/MANIFEST.MF} keeps only lines that upper-cased start with "Main-Class:" — which
 * none can (the comparison is with mixed case), so the manifest contributes no bytes.</li>
 * </ul>
 */
public final class UpdaterChecksum {

    private UpdaterChecksum() {
    }

    /** The checksum of {@code file}, known to the updater as {@code path} (e.g. {@code jars/x-1.0.jar}). */
    public static String of(String path, Path file) throws IOException {
        if (path.endsWith(".jar")) return jar(file);
        MessageDigest d = sha1();
        d.update(path.getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(file)) {
            update(d, in);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    public static String jar(Path file) throws IOException {
        MessageDigest d = sha1();
        try (JarFile jar = new JarFile(file.toFile())) {
            List<JarEntry> list = new ArrayList<>(Collections.list(jar.entries()));
            list.sort((a, b) -> a.getName().compareTo(b.getName()));
            for (JarEntry e : list) {
                d.update(e.getName().getBytes(StandardCharsets.US_ASCII));
                try (InputStream in = jar.getInputStream(e)) {
                    if (e.getName().endsWith(".properties")) {
                        d.update(skipHashedLines(in.readAllBytes()));
                    } else if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        d.update(filterManifestKeepingOnlyMainClass(in.readAllBytes()));
                    } else {
                        update(d, in);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * The updater's {@code FilterManifest(in, true)}: keeps lines whose upper-cased text starts
     * with the mixed-case "Main-Class:", i.e. none.
     */
    static byte[] filterManifestKeepingOnlyMainClass(byte[] manifest) {
        StringBuilder out = new StringBuilder();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
            if (line.toUpperCase().startsWith("Main-Class:")) out.append(line).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The updater's {@code SkipHashedLines} state machine, as written (a '#' at the start of a line
     * drops the line but not its '\n'; a line that starts with '\n' leaves "line start" off).
     */
    static byte[] skipHashedLines(byte[] in) {
        SkipHashed s = new SkipHashed(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int ch; (ch = s.read()) >= 0; ) out.write(ch);
        return out.toByteArray();
    }

    private static final class SkipHashed {
        private final byte[] b;
        private int pos;
        private boolean atLineStart = true;

        SkipHashed(byte[] b) {
            this.b = b;
        }

        private int raw() {
            return pos < b.length ? b[pos++] & 0xff : -1;
        }

        int read() {
            int ch = raw();
            if (atLineStart) {
                if (ch == '#') {
                    while ((ch = read()) != '\n' && ch != -1) {
                        // skip the comment
                    }
                } else {
                    atLineStart = false;
                }
            } else if (ch == '\n') {
                atLineStart = true;
            }
            return ch;
        }
    }

    private static void update(MessageDigest d, InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) >= 0; ) d.update(buf, 0, n);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
