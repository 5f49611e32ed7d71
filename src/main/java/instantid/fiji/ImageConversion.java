package instantid.fiji;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import instantid.face.DetectOptions;
import instantid.face.RgbImage;
import instantid.image.DisplayRange;
import instantid.image.LoadedImage;
import instantid.image.PreparedPhoto;
import instantid.image.ResizeImg;

import java.awt.Rectangle;

/**
 * ImageJ images → the 8-bit RGB the face models see. The rule:
 * <ul>
 * <li>Only the current plane is used: the current slice of a stack, the current channel / slice /
 *     frame of a hyperstack (a multi-channel composite is not merged: pick the channel first, or
 *     make an RGB with Image › Color › Stack to RGB).</li>
 * <li>RGB (ColorProcessor): the pixel values as they are.</li>
 * <li>8-bit grey: the stored values replicated to R = G = B. The LUT (including an inverting LUT)
 *     and the display range are ignored, exactly as a Python reader of the same file would see it.</li>
 * <li>16-bit and 32-bit grey: scaled by the display range (Image › Adjust › Brightness/Contrast)
 *     as ImageJ's own 8-bit conversion does ({@link DisplayRange}), NaN → 0; replicated to RGB;
 *     {@link #load} says so in its {@code conversion} note, which settings record.</li>
 * <li>Faces are then found as InstantID's app finds them: on the image after {@code resize_img}
 *     ({@link #prepare}), and reported back in this image's pixels.</li>
 * <li>Calibration is ignored: all coordinates are pixels, never microns.</li>
 * </ul>
 */
public final class ImageConversion {

    private ImageConversion() {
    }

    /** The current plane of {@code imp} as 8-bit RGB, by the rule above. */
    public static RgbImage toRgb(ImagePlus imp) {
        if (imp == null) throw new IllegalArgumentException("no image given");
        ImageProcessor ip = imp.getProcessor();
        if (ip == null) throw new IllegalArgumentException("image '" + imp.getTitle() + "' has no pixels");
        return toRgb(ip, imp.getTitle());
    }

    /** One processor as 8-bit RGB ({@code title} names it in errors). */
    public static RgbImage toRgb(ImageProcessor ip, String title) {
        int w = ip.getWidth(), h = ip.getHeight(), n = w * h;
        byte[] out = new byte[n * 3];
        if (ip instanceof ColorProcessor cp) {
            int[] px = (int[]) cp.getPixels();
            for (int i = 0; i < n; i++) {
                out[i * 3] = (byte) (px[i] >> 16);
                out[i * 3 + 1] = (byte) (px[i] >> 8);
                out[i * 3 + 2] = (byte) px[i];
            }
            return new RgbImage(w, h, out);
        }
        int bits = ip.getBitDepth();
        if (bits == 8) {
            byte[] px = (byte[]) ip.getPixels();
            for (int i = 0; i < n; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = px[i];
            return new RgbImage(w, h, out);
        }
        if (bits != 16 && bits != 32) {
            throw new IllegalArgumentException("image '" + title + "': unsupported pixel type (" + bits + "-bit)");
        }
        double min = ip.getMin(), max = ip.getMax();
        for (int i = 0; i < n; i++) {
            byte v = (byte) scale(ip.getf(i), bits, min, max);
            out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = v;
        }
        return new RgbImage(w, h, out);
    }

    /** The current plane as {@link #toRgb(ImagePlus)}, with a note when a display range scaled it. */
    public static LoadedImage load(ImagePlus imp) {
        RgbImage rgb = toRgb(imp);
        int bits = imp.getProcessor().getBitDepth();
        String note = bits == 16 || bits == 32
                ? DisplayRange.describe(bits, imp.getProcessor().getMin(), imp.getProcessor().getMax()) : null;
        return new LoadedImage(rgb, 1, note);
    }

    /** The current plane prepared as the app prepares a photo: {@code resize_img} with its defaults. */
    public static PreparedPhoto prepare(ImagePlus imp) {
        return PreparedPhoto.prepare(load(imp), ResizeImg.DEFAULTS);
    }

    /** The display-range rule for one value of a {@code bits}-deep image: 0..255. */
    public static int scale(double v, int bits, double min, double max) {
        if (bits == 16 && !Double.isNaN(v)) return DisplayRange.short8((int) v, (int) min, (int) max);
        return DisplayRange.float8(v, min, max);
    }

    /**
     * The search rectangle for an ROI of any shape (its bounds, in pixels), clipped to the image;
     * null when there is no ROI or it has no area (a point or a straight line).
     */
    public static DetectOptions.Rect roiRect(ImagePlus imp) {
        Roi roi = imp == null ? null : imp.getRoi();
        if (roi == null) return null;
        Rectangle b = roi.getBounds().intersection(new Rectangle(0, 0, imp.getWidth(), imp.getHeight()));
        if (b.width <= 1 || b.height <= 1 || !roi.isArea()) return null;
        return new DetectOptions.Rect(b.x, b.y, b.width, b.height);
    }
}
