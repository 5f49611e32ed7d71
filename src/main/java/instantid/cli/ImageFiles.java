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

    /** Images smaller than this on a side cannot hold a face (the detector's smallest anchor is 16 pixels). */
    static final int MIN_SIDE = 32;
    /** Images larger than this on a side are refused before decoding (memory); InstantID works at about 1024. */
    static final int MAX_SIDE = 8192;

    /** Reads the dimensions from the file's header, without decoding it, and refuses what cannot be used. */
    static void checkSize(Path p) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("image " + p + " is not a format this program reads (use PNG or JPEG)");
            }
            javax.imageio.ImageReader r = readers.next();
            try {
                r.setInput(in);
                int w = r.getWidth(0), h = r.getHeight(0);
                if (Math.min(w, h) < MIN_SIDE) {
                    throw new IllegalArgumentException("image " + p + " is " + w + "x" + h + " pixels, too small to hold a face"
                            + " or a pose: give a photo at least " + MIN_SIDE + " pixels (better 512 or more) on its shorter side");
                }
                if (Math.max(w, h) > MAX_SIDE) {
                    throw new IllegalArgumentException("image " + p + " is " + w + "x" + h + " pixels; images over " + MAX_SIDE
                            + " pixels on a side are not read (memory): scale it down first (InstantID works at about 1024)");
                }
            } catch (javax.imageio.IIOException e) {
                throw new IllegalArgumentException("image " + p + " cannot be read (" + e.getMessage() + "): a damaged or unsupported file");
            } finally {
                r.dispose();
            }
        }
    }

    static RgbImage read(Path p) throws IOException {
        if (Files.isDirectory(p)) throw new IllegalArgumentException("image " + p + " is a folder: give an image file (PNG or JPEG)");
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("image " + p + " does not exist");
        checkSize(p);
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
