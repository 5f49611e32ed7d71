package instantid.photo;

import instantid.face.RgbImage;
import instantid.image.DisplayRange;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A decoded image's stored samples → 8-bit RGB as Pillow's {@code convert("RGB")} computes it, never
 * through Java2D's colour management (which brightens grey and applies ICC profiles, neither of
 * which Pillow does): RGB as stored; alpha dropped without compositing; grey replicated; palette
 * looked up; 1/2/4-bit grey stretched to 0..255 as Pillow unpacks it; CMYK by Pillow's
 * {@code cmyk2rgb}; 16-bit, 32-bit and float samples scaled by their display range (ImageJ's rule,
 * min and max over all colour samples) where Pillow would clip.
 */
final class Rasters {

    private Rasters() {
    }

    /** The image and a note on any scaling (null when none). */
    record Converted(RgbImage image, String conversion) {
    }

    static Converted toRgb(BufferedImage b, boolean storedCmyk, String name) {
        int w = b.getWidth(), h = b.getHeight();
        ColorModel cm = b.getColorModel();
        Raster r = b.getRaster();
        byte[] out = new byte[w * h * 3];
        if (cm instanceof IndexColorModel icm) {
            for (int y = 0, o = 0; y < h; y++) {
                for (int x = 0; x < w; x++, o += 3) {
                    int i = r.getSample(x, y, 0);
                    out[o] = (byte) icm.getRed(i);
                    out[o + 1] = (byte) icm.getGreen(i);
                    out[o + 2] = (byte) icm.getBlue(i);
                }
            }
            return new Converted(new RgbImage(w, h, out), null);
        }
        int nc = cm.getNumColorComponents();
        boolean cmyk = cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK && nc == 4;
        if (nc != 1 && nc != 3 && !cmyk) {
            throw new IllegalArgumentException("image " + name + ": " + nc + " colour channels (" + cm.getColorSpace().getType()
                    + "); give an RGB, grey or CMYK image");
        }
        int bits = cm.getComponentSize(0);
        int type = r.getTransferType();
        boolean wide = type == DataBuffer.TYPE_USHORT || type == DataBuffer.TYPE_INT || type == DataBuffer.TYPE_FLOAT
                || type == DataBuffer.TYPE_DOUBLE || type == DataBuffer.TYPE_SHORT || bits > 8;
        if (cmyk) {
            if (wide) throw new IllegalArgumentException("image " + name + ": 16-bit CMYK is not supported; save it as 8-bit");
            cmykToRgb(r, w, h, storedCmyk, out);
            return new Converted(new RgbImage(w, h, out), null);
        }
        int[] bands = nc == 1 ? new int[] {0, 0, 0} : new int[] {0, 1, 2};
        if (!wide) {
            int max = (1 << bits) - 1;
            for (int y = 0, o = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++, o++) {
                        int v = r.getSample(x, y, bands[c]);
                        out[o] = (byte) (bits == 8 ? v : v * 255 / max);
                    }
                }
            }
            return new Converted(new RgbImage(w, h, out), null);
        }
        boolean floats = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < nc; c++) {
                    double v = r.getSampleDouble(x, y, c);
                    if (Double.isNaN(v) || Double.isInfinite(v)) continue;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) min = max = 0;
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++, o++) {
                    double v = r.getSampleDouble(x, y, bands[c]);
                    out[o] = (byte) (floats ? DisplayRange.float8(v, min, max)
                            : DisplayRange.short8((int) v, (int) min, (int) max));
                }
            }
        }
        String what = floats ? "32-bit float" : bits + "-bit";
        return new Converted(new RgbImage(w, h, out), DisplayRange.describe(floats ? 32 : bits, min, max)
                .replaceFirst("^\\d+-bit", what));
    }

    /**
     * Pillow's {@code cmyk2rgb}: {@code nk = 255 - k; c' = clip(nk - c * nk / 255)} (rounded as
     * MULDIV255), on Pillow's CMYK: the stored samples inverted ("CMYK;I", Adobe's convention)
     * when {@code stored}, else the samples as they are.
     */
    private static void cmykToRgb(Raster r, int w, int h, boolean stored, byte[] out) {
        int inv = stored ? 255 : 0;
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++, o += 3) {
                int nk = 255 - Math.abs(inv - r.getSample(x, y, 3));
                for (int c = 0; c < 3; c++) {
                    int tmp = Math.abs(inv - r.getSample(x, y, c)) * nk + 128;
                    int v = nk - (((tmp >> 8) + tmp) >> 8);
                    out[o + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
    }
}
