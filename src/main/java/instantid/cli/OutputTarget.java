package instantid.cli;

import instantid.pipeline.IdMap;
import instantid.pipeline.Image;
import instantid.pipeline.Png;
import instantid.pipeline.Result;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a generating verb writes, checked before anything loads: the format follows the extension
 * (.png with the settings in an iTXt chunk; .tif / .jpg through ImageIO), every image gets a
 * {@code .json} with its settings (its own seed, its identity score when scored) beside it, and, when
 * ID-attention maps are asked for, a grey {@code NAME-idmap.png}; the folder must exist or be creatable and be writable,
 * and existing files are refused unless {@code --overwrite}. Files are written atomically (a temp
 * file in the same folder, then a rename) with the umask's permissions, so a failure or Ctrl-C
 * never leaves a half-written file under a final name.
 */
public final class OutputTarget {

    private static final List<String> EXTENSIONS = List.of(".png", ".tif", ".tiff", ".jpg", ".jpeg");

    private final Path out;
    private final String stem, ext;
    private final int count;
    private final boolean overwrite, idMaps;

    private OutputTarget(Path out, int count, boolean overwrite, boolean idMaps) {
        this.out = out.toAbsolutePath().normalize();
        String name = this.out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.stem = name.substring(0, dot);
        this.ext = name.substring(dot).toLowerCase(Locale.ROOT);
        this.count = count;
        this.overwrite = overwrite;
        this.idMaps = idMaps;
    }

    /** The --out check of the parser: a supported extension (never {@code x.jpg.png}). */
    static void checkExtension(String file) {
        String n = Path.of(file).getFileName() == null ? "" : Path.of(file).getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        if (dot <= 0 || !EXTENSIONS.contains(n.substring(dot))) {
            throw new IllegalArgumentException("the format follows the extension: end the name with .png, .tif or .jpg");
        }
    }

    /** Checks the place for {@code count} images now, before any model loads. */
    public static OutputTarget check(Path out, int count, boolean overwrite) {
        return check(out, count, overwrite, false);
    }

    /** As {@link #check(Path, int, boolean)}; with {@code idMaps} each image's {@code -idmap.png} is checked too. */
    public static OutputTarget check(Path out, int count, boolean overwrite, boolean idMaps) {
        try {
            checkExtension(out.toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--out " + out + ": " + e.getMessage());
        }
        OutputTarget t = new OutputTarget(out, count, overwrite, idMaps);
        t.checkFolder();
        for (Path p : t.files()) {
            if (Files.isDirectory(p)) throw new UsageException("--out: " + p + " is a folder; give a file name in it, e.g. " + p.resolve("image.png"));
            if (Files.exists(p) && !overwrite) {
                throw new UsageException("--out: " + p + " already exists; add --overwrite to replace it, or choose another name");
            }
        }
        return t;
    }

    private void checkFolder() {
        Path dir = out.getParent();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UsageException("--out: cannot make the folder " + dir + ": " + existing + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new UsageException("--out: the folder " + existing + " is not writable; choose another place");
        }
        if (existing.equals(dir)) {
            // permission bits can lie (read-only mounts, ACLs): try a real file
            Path probe = dir.resolve("." + stem + ".probe-" + ProcessHandle.current().pid());
            try {
                Files.deleteIfExists(Files.createFile(probe));
            } catch (IOException e) {
                throw new UsageException("--out: cannot write in " + dir + " (" + e.getMessage() + "); choose another place");
            }
        }
    }

    /** Every file the result will take: images, then their .json files, then their ID maps (when asked for). */
    public List<Path> files() {
        List<Path> p = new ArrayList<>();
        for (int i = 0; i < count; i++) p.add(image(i));
        for (int i = 0; i < count; i++) p.add(sidecar(i));
        if (idMaps) for (int i = 0; i < count; i++) p.add(idMap(i));
        return p;
    }

    Path idMap(int i) {
        return out.resolveSibling(name(i) + "-idmap.png");
    }

    Path image(int i) {
        return out.resolveSibling(name(i) + ext);
    }

    Path sidecar(int i) {
        return out.resolveSibling(name(i) + ".json");
    }

    private String name(int i) {
        return count == 1 ? stem : stem + "-" + (i + 1);
    }

    /** Writes every image with its settings (and ID map); the paths of the images. */
    public List<Path> write(Result r) throws IOException {
        List<Path> written = new ArrayList<>();
        int n = r.images().size();
        OutputTarget t = n == count ? this : new OutputTarget(out, n, overwrite, idMaps);
        for (int i = 0; i < n; i++) written.add(t.write(r, i, i));
        return written;
    }

    /** Image {@code i} of {@code r} under this (single-image) target's name: a sweep's seed file, a batch row's file. */
    public Path writeOne(Result r, int i) throws IOException {
        return write(r, i, 0);
    }

    private Path write(Result r, int i, int slot) throws IOException {
        Files.createDirectories(out.getParent());
        String json = r.settingsJson(i);
        Png.writeAtomically(image(slot), encode(r.images().get(i), r.pngText(i)));
        Png.writeAtomically(sidecar(slot), json.getBytes(StandardCharsets.UTF_8));
        IdMap m = r.idMap(i);
        if (m != null) {
            byte[] g = m.grey8();
            byte[] rgb = new byte[g.length * 3];
            for (int p = 0; p < g.length; p++) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = g[p];
            Png.writeAtomically(idMap(slot), Png.encode(m.width(), m.height(), rgb, Map.of("Software", "InstantID for Fiji",
                    "instantid-idmap", "ID-attention share |ip|/(|text|+|ip|), 0..1 as 0..255; mean over " + m.steps()
                            + " steps and " + m.layers() + " layers")));
        }
        return image(slot);
    }

    /** The line printed for one written image: file, settings file, identity score when scored. */
    static String line(Path file, Result r, int i) {
        String json = file.getFileName().toString().replaceAll("\\.[^.]+$", ".json");
        String score = r.scored() ? ", identity score " + r.scores(i).text() : "";
        return "wrote " + file + " (settings in " + json + score + ")";
    }

    private byte[] encode(Image img, Map<String, String> pngText) throws IOException {
        if (ext.equals(".png")) return Png.encode(img.width(), img.height(), img.rgb(), pngText);
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = img.rgb();
        for (int y = 0, o = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++, o += 3) {
                b.setRGB(x, y, (rgb[o] & 255) << 16 | (rgb[o + 1] & 255) << 8 | rgb[o + 2] & 255);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String format = ext.startsWith(".tif") ? "tiff" : "jpeg";
        if (!ImageIO.write(b, format, bytes)) throw new IOException("this Java has no " + format + " writer; use --out FILE.png");
        return bytes.toByteArray();
    }
}
