package instantid.photo;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small image files made in code: PNG, JPEG (with an EXIF orientation), CMYK JPEG. */
public final class TestFiles {

    private TestFiles() {
    }

    /** An 8-bit RGB image as a BufferedImage (for the writers). */
    public static BufferedImage buffered(instantid.face.RgbImage img) {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] d = ((java.awt.image.DataBufferByte) b.getRaster().getDataBuffer()).getData();
        byte[] s = img.rgb();
        for (int i = 0; i < s.length; i += 3) {
            d[i] = s[i + 2];
            d[i + 1] = s[i + 1];
            d[i + 2] = s[i];
        }
        return b;
    }

    public static Path png(BufferedImage b, Path file) throws IOException {
        if (!ImageIO.write(b, "png", file.toFile())) throw new IOException("no PNG writer for " + b);
        return file;
    }

    /** JPEG bytes of an image (or a raster: 4 bands = CMYK), quality 0.98. */
    public static byte[] jpeg(BufferedImage image, Raster raster) throws IOException {
        ImageWriter w = null;
        for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter c = it.next();
            if (c.getClass().getName().startsWith("com.sun.")) w = c; // the JDK's: it writes rasters as stored
        }
        if (w == null) throw new IOException("no JDK JPEG writer");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.98f);
            w.write(null, image != null ? new IIOImage(image, null, null) : new IIOImage(raster, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A CMYK JPEG as Photoshop writes it: the 4-band raster's samples stored as they are, with an
     * Adobe APP14 segment (transform 0: no colour transform) right after SOI.
     */
    public static byte[] cmykJpeg(Raster cmyk) throws IOException {
        byte[] j = jpeg(null, cmyk);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[j.length + adobe.length];
        System.arraycopy(j, 0, out, 0, 2);
        System.arraycopy(adobe, 0, out, 2, adobe.length);
        System.arraycopy(j, 2, out, 2 + adobe.length, j.length - 2);
        return out;
    }

    /** A JPEG with an EXIF APP1 segment (IFD0 holding only the orientation tag) right after SOI. */
    public static Path jpegWithOrientation(BufferedImage image, int orientation, Path file) throws IOException {
        byte[] j = jpeg(image, null);
        ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8); // header, IFD0 at 8
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] exif = new byte[6 + tiff.capacity()];
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
        System.arraycopy(tiff.array(), 0, exif, 6, tiff.capacity());
        int len = exif.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(j, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len & 0xff);
        out.write(exif, 0, exif.length);
        out.write(j, 2, j.length - 2);
        Files.write(file, out.toByteArray());
        return file;
    }
}
