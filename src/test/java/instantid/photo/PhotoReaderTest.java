package instantid.photo;

import instantid.common.UserException;
import instantid.face.RgbImage;
import instantid.image.LoadedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader against what Pillow's open → exif_transpose → convert("RGB") gives, on files made here. */
class PhotoReaderTest {

    @TempDir
    Path tmp;

    static int[] px(RgbImage i, int x, int y) {
        return new int[] {i.get(x, y, 0), i.get(x, y, 1), i.get(x, y, 2)};
    }

    @Test
    void greyPngKeepsItsValuesReplicatedToRgb() throws IOException {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 64);
        g.getRaster().setSample(1, 0, 0, 128);
        LoadedImage l = PhotoReader.read(TestFiles.png(g, tmp.resolve("grey.png")));
        assertArrayEquals(new int[] {64, 64, 64}, px(l.image(), 0, 0), "not brightened to 137 by a gamma conversion");
        assertArrayEquals(new int[] {128, 128, 128}, px(l.image(), 1, 0));
        assertNull(l.conversion());
        assertEquals(1, l.exifOrientation());
    }

    @Test
    void rgbaDropsAlphaWithoutCompositing() throws IOException {
        BufferedImage b = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        b.setRGB(0, 0, (0 << 24) | (10 << 16) | (20 << 8) | 30); // fully transparent, colour kept
        b.setRGB(1, 0, (128 << 24) | (200 << 16) | (100 << 8) | 50);
        RgbImage i = PhotoReader.read(TestFiles.png(b, tmp.resolve("rgba.png"))).image();
        assertArrayEquals(new int[] {10, 20, 30}, px(i, 0, 0));
        assertArrayEquals(new int[] {200, 100, 50}, px(i, 1, 0));
    }

    @Test
    void paletteIsLookedUp() throws IOException {
        byte[] r = {0, (byte) 250, 7}, g = {0, 3, (byte) 180}, bl = {0, 9, 66};
        IndexColorModel cm = new IndexColorModel(8, 3, r, g, bl);
        BufferedImage b = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, cm);
        for (int x = 0; x < 3; x++) b.getRaster().setSample(x, 0, 0, x);
        RgbImage i = PhotoReader.read(TestFiles.png(b, tmp.resolve("p.png"))).image();
        assertArrayEquals(new int[] {250, 3, 9}, px(i, 1, 0));
        assertArrayEquals(new int[] {7, 180, 66}, px(i, 2, 0));
    }

    @Test
    void sixteenBitIsScaledByItsDisplayRangeAndSaysSo() throws IOException {
        BufferedImage b = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        b.getRaster().setSample(0, 0, 0, 1000);
        b.getRaster().setSample(1, 0, 0, 2000);
        b.getRaster().setSample(2, 0, 0, 3000);
        LoadedImage l = PhotoReader.read(TestFiles.png(b, tmp.resolve("g16.png")));
        // ImageJ: (v - min) * 256 / (max - min + 1) + 0.5, min 1000, max 3000 (the data's range)
        assertEquals(0, l.image().get(0, 0, 0));
        assertEquals(128, l.image().get(1, 0, 1));
        assertEquals(255, l.image().get(2, 0, 2));
        assertNotNull(l.conversion());
        assertTrue(l.conversion().contains("16-bit") && l.conversion().contains("1000-3000"), l.conversion());
    }

    @Test
    void cmykJpegOpensWithPillowsConversion() throws IOException {
        // stored as Adobe-inverted CMYK (what Pillow assumes): K = 255 means no black, so RGB = stored C, M, Y
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 32, 4, null);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) cmyk.setPixel(x, y, new int[] {200, 100, 50, 255});
        Path f = tmp.resolve("cmyk.jpg");
        Files.write(f, TestFiles.cmykJpeg(cmyk));
        RgbImage i = PhotoReader.read(f).image();
        assertEquals(32, i.width());
        int[] c = px(i, 16, 16);
        assertEquals(200, c[0], 3);
        assertEquals(100, c[1], 3);
        assertEquals(50, c[2], 3);
    }

    @Test
    void greyJpegIsNotBrightened() throws IOException {
        BufferedImage g = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) g.getRaster().setSample(x, y, 0, 64);
        Path f = tmp.resolve("grey.jpg");
        Files.write(f, TestFiles.jpeg(g, null));
        RgbImage i = PhotoReader.read(f).image();
        assertEquals(64, i.get(8, 8, 0), 1);
        assertEquals(i.get(8, 8, 0), i.get(8, 8, 2));
    }

    /** Quadrants red, green / blue, white; each orientation puts known quadrants at three corners. */
    @Test
    void everyExifOrientationIsApplied() throws IOException {
        int w = 64, h = 32;
        int red = 0xff0000, green = 0x00ff00, blue = 0x0000ff, white = 0xffffff;
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) b.setRGB(x, y, y < h / 2 ? (x < w / 2 ? red : green) : (x < w / 2 ? blue : white));
        }
        // orientation -> colours at the output's top-left, top-right, bottom-left (Pillow's exif_transpose)
        int[][] expect = {
            {red, green, blue}, {green, red, white}, {white, blue, green}, {blue, white, red},
            {red, blue, green}, {blue, red, white}, {white, green, blue}, {green, white, red}};
        for (int o = 1; o <= 8; o++) {
            LoadedImage l = PhotoReader.read(TestFiles.jpegWithOrientation(b, o, tmp.resolve("o" + o + ".jpg")));
            RgbImage i = l.image();
            assertEquals(o, l.exifOrientation());
            boolean swap = o >= 5;
            assertEquals(swap ? h : w, i.width(), "orientation " + o);
            assertEquals(swap ? w : h, i.height(), "orientation " + o);
            int[][] corners = {px(i, 2, 2), px(i, i.width() - 3, 2), px(i, 2, i.height() - 3)};
            for (int c = 0; c < 3; c++) {
                int e = expect[o - 1][c];
                int[] want = {e >> 16 & 0xff, e >> 8 & 0xff, e & 0xff};
                for (int k = 0; k < 3; k++) {
                    assertEquals(want[k], corners[c][k], 12, "orientation " + o + " corner " + c);
                }
            }
        }
    }

    @Test
    void badFilesAreNamedUserErrors() throws IOException {
        Path missing = tmp.resolve("missing.png");
        UserException e = assertThrows(UserException.class, () -> PhotoReader.read(missing));
        assertTrue(e.getMessage().contains("missing.png"), e.getMessage());
        Path text = Files.writeString(tmp.resolve("notes.png"), "not an image");
        e = assertThrows(UserException.class, () -> PhotoReader.read(text));
        assertTrue(e.getMessage().contains("notes.png"), e.getMessage());
        Path cut = tmp.resolve("cut.jpg");
        BufferedImage b = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        byte[] j = TestFiles.jpeg(b, null);
        Files.write(cut, java.util.Arrays.copyOf(j, 20));
        assertThrows(UserException.class, () -> PhotoReader.read(cut));
    }
}
