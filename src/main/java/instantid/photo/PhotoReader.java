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
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;
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
        Decoded b;
        try {
            b = decode(file);
        } catch (UserException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserException("image " + file + " could not be read (" + e.getMessage() + "): is it a complete PNG or JPEG file?", e);
        }
        if (b == null) {
            throw new UserException("image " + file + " is not a format this program reads: use PNG or JPEG (BMP, GIF and TIFF also work)");
        }
        Rasters.Converted c;
        try {
            c = Rasters.toRgb(b.image(), b.storedCmyk(), file.toString());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        int orientation = ExifOrientation.of(file);
        RgbImage upright = Orientation.apply(c.image(), orientation);
        return new LoadedImage(upright, orientation, c.conversion());
    }

    /** Images smaller than this on a side cannot hold a face (the detector's smallest anchor is 16 pixels). */
    static final int MIN_SIDE = 32;
    /** Images larger than this on a side are refused before decoding (memory); InstantID works at about 1280. */
    static final int MAX_SIDE = 8192;

    /** A face or pose photo: one smaller than {@link #MIN_SIDE} on a side cannot hold a face. */
    public static void requireFaceSized(Path file, RgbImage image) {
        int w = image.width(), h = image.height();
        if (Math.min(w, h) < MIN_SIDE) {
            throw new UserException("image " + file + " is " + w + "x" + h + " pixels, too small to hold a face or a pose:"
                    + " give a photo at least " + MIN_SIDE + " pixels (better 512 or more) on its shorter side");
        }
    }

    private static void checkSize(Path file, int w, int h) {
        if (Math.max(w, h) > MAX_SIDE) {
            throw new UserException("image " + file + " is " + w + "x" + h + " pixels; images over " + MAX_SIDE
                    + " pixels on a side are not read (memory): scale it down first (InstantID works at about 1280)");
        }
    }

    /** The decoded image; {@code storedCmyk}: its CMYK samples are as stored (Adobe-inverted), not yet Pillow's. */
    private record Decoded(BufferedImage image, boolean storedCmyk) {
    }

    private static Decoded decode(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) return null;
            boolean jpeg = isJpeg(file);
            ImageReader reader = jpeg ? JpegReaders.create() : firstReader(iis);
            if (reader == null) return null;
            try {
                reader.setInput(iis, true, false);
                checkSize(file, reader.getWidth(0), reader.getHeight(0)); // from the header, before decoding
                ImageReadParam p = reader.getDefaultReadParam();
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                if (raw != null) p.setDestinationType(raw); // the samples as stored: no colour conversion
                BufferedImage b = reader.read(0, p);
                boolean cmyk = b.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK;
                return new Decoded(b, jpeg && cmyk && adobeTransform(reader) == 0);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * The Adobe APP14 segment's transform (0 plain CMYK, 2 YCCK), -1 without one. TwelveMonkeys
     * hands plain Adobe CMYK back as stored (inverted), YCCK and marker-less CMYK as true CMYK.
     */
    private static int adobeTransform(ImageReader reader) {
        try {
            IIOMetadata m = reader.getImageMetadata(0);
            Node n = find(m.getAsTree("javax_imageio_jpeg_image_1.0"), "app14Adobe");
            Node t = n == null ? null : n.getAttributes().getNamedItem("transform");
            return t == null ? -1 : Integer.parseInt(t.getNodeValue());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Node find(Node n, String name) {
        if (name.equals(n.getNodeName())) return n;
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node f = find(c, name);
            if (f != null) return f;
        }
        return null;
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
