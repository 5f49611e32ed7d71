package instantid.cli;

import instantid.pipeline.Image;
import instantid.pipeline.Png;
import instantid.pipeline.Result;
import instantid.pipeline.SettingsJson;

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

/**
 * Where a generating verb writes, checked before anything loads: the format follows the extension
 * (.png with the settings in an iTXt chunk; .tif / .jpg through ImageIO), every image gets a
 * {@code .json} with its settings beside it, the folder must exist or be creatable and be writable,
 * and existing files are refused unless {@code --overwrite}. Files are written atomically (a temp
 * file in the same folder, then a rename) with the umask's permissions, so a failure or Ctrl-C
 * never leaves a half-written file under a final name.
 */
public final class OutputTarget {

    private static final List<String> EXTENSIONS = List.of(".png", ".tif", ".tiff", ".jpg", ".jpeg");

    private final Path out;
    private final String stem, ext;
    private final int count;
    private final boolean overwrite;

    private OutputTarget(Path out, int count, boolean overwrite) {
        this.out = out.toAbsolutePath().normalize();
        String name = this.out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.stem = name.substring(0, dot);
        this.ext = name.substring(dot).toLowerCase(Locale.ROOT);
        this.count = count;
        this.overwrite = overwrite;
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
        try {
            checkExtension(out.toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--out " + out + ": " + e.getMessage());
        }
        OutputTarget t = new OutputTarget(out, count, overwrite);
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

    /** Every file the result will take: images, then their .json files. */
    public List<Path> files() {
        List<Path> p = new ArrayList<>();
        for (int i = 0; i < count; i++) p.add(image(i));
        for (int i = 0; i < count; i++) p.add(sidecar(i));
        return p;
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

    /** Writes every image and its settings; the paths of the images. */
    public List<Path> write(Result r) throws IOException {
        List<Image> images = r.images();
        List<Path> written = new ArrayList<>();
        Files.createDirectories(out.getParent());
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            OutputTarget t = images.size() == count ? this : new OutputTarget(out, images.size(), overwrite);
            String json = withSeed(r.settingsJson(), img.seed());
            Png.writeAtomically(t.image(i), encode(img, json));
            Png.writeAtomically(t.sidecar(i), json.getBytes(StandardCharsets.UTF_8));
            written.add(t.image(i));
        }
        return written;
    }

    private byte[] encode(Image img, String json) throws IOException {
        if (ext.equals(".png")) return Png.encode(img.width(), img.height(), img.rgb(), SettingsJson.pngText(json));
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

    /** The settings with this image's own seed (several images use consecutive seeds). */
    static String withSeed(String json, long seed) {
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        o.addProperty("seed", seed);
        return SettingsJson.toJson(o);
    }
}
