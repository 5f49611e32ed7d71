package instantid.photo;

import instantid.common.UserException;
import instantid.face.RgbImage;
import instantid.image.LoadedImage;
import instantid.image.Orientation;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Reads an image file the way diffusers' {@code load_image} does (PIL open →
 * {@code ImageOps.exif_transpose} → {@code convert("RGB")}), for the CLI, Fiji and tests alike:
 * JPEG through TwelveMonkeys' reader (CMYK and Adobe YCCK included), PNG / BMP / GIF / TIFF
 * through the JDK's; always the decoded samples in the file's own colour space (no ICC or
 * grey-gamma conversion, as Pillow), converted by {@link Rasters}; then the EXIF orientation
 * ({@link ExifOrientation}) applied. Problems are {@link UserException}s naming the file.
 */
public final class PhotoReader {

    private PhotoReader() {
    }

    /** The file as upright 8-bit RGB, with the orientation applied and any scaling noted. */
    public static LoadedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("image " + file + " does not exist (or is not a file): give the path of a PNG or JPEG photo");
        }
        BufferedImage b;
        try {
            b = decode(file);
        } catch (IOException | RuntimeException e) {
            throw new UserException("image " + file + " could not be read (" + e.getMessage() + "): is it a complete PNG or JPEG file?", e);
        }
        if (b == null) {
            throw new UserException("image " + file + " is not a format this program reads: use PNG or JPEG (BMP, GIF and TIFF also work)");
        }
        Rasters.Converted c;
        try {
            c = Rasters.toRgb(b, file.toString());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        int orientation = ExifOrientation.of(file);
        RgbImage upright = Orientation.apply(c.image(), orientation);
        return new LoadedImage(upright, orientation, c.conversion());
    }

    private static BufferedImage decode(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) return null;
            ImageReader reader = isJpeg(file) ? JpegReaders.create() : firstReader(iis);
            if (reader == null) return null;
            try {
                reader.setInput(iis, true, true);
                ImageReadParam p = reader.getDefaultReadParam();
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                if (raw != null) p.setDestinationType(raw); // the samples as stored: no colour conversion
                return reader.read(0, p);
            } finally {
                reader.dispose();
            }
        }
    }

    private static ImageReader firstReader(ImageInputStream iis) {
        Iterator<ImageReader> it = ImageIO.getImageReaders(iis);
        return it.hasNext() ? it.next() : null;
    }

    private static boolean isJpeg(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(3);
            return h.length == 3 && (h[0] & 0xff) == 0xFF && (h[1] & 0xff) == 0xD8 && (h[2] & 0xff) == 0xFF;
        }
    }
}
