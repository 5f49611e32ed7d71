package instantid.cli;

import instantid.face.RgbImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads photos for the CLI (PNG, JPEG, BMP, GIF: what the JDK's ImageIO decodes) as 8-bit RGB.
 * Only the CLI reads image files this way; the core takes {@link RgbImage}s.
 */
final class ImageFiles {

    private ImageFiles() {
    }

    /** Before any model loads: the photo is a file (its content is read later). */
    static void requireFile(Path p, String option) {
        if (Files.isDirectory(p)) throw new UsageException(option + " " + p + " is a folder; give an image file");
        if (!Files.isRegularFile(p)) throw new UsageException(option + " " + p + " does not exist");
    }

    static RgbImage read(Path p) throws IOException {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("image " + p + " does not exist");
        BufferedImage b = ImageIO.read(p.toFile());
        if (b == null) {
            throw new IllegalArgumentException("image " + p + " is not a format this program reads (use PNG or JPEG)");
        }
        int w = b.getWidth(), h = b.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            b.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int v = row[x], o = (y * w + x) * 3;
                rgb[o] = (byte) (v >> 16);
                rgb[o + 1] = (byte) (v >> 8);
                rgb[o + 2] = (byte) v;
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
