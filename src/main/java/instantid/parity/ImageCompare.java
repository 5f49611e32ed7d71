package instantid.parity;

import instantid.face.RgbImage;

import java.util.Arrays;
import java.util.Locale;

/**
 * The image cases' rule: element-wise within the case's atol AND the mean absolute error within
 * its {@code mean_abs_max} (decoders and resamplers may differ by a level here and there, not on
 * average). Shapes are compared first.
 */
final class ImageCompare {

    private ImageCompare() {
    }

    /** Compares an HxWx3 uint8 image with the expected tensor {@code name}. */
    static void check(Report r, Case c, String name, RgbImage actual, double atol, double meanAbsMax) {
        long[] shape = c.shape(name);
        long[] got = {actual.height(), actual.width(), 3};
        if (!Arrays.equals(shape, got)) {
            r.fail(name + ": shape " + Arrays.toString(got) + " expected " + Arrays.toString(shape));
            return;
        }
        float[] a = new float[actual.rgb().length];
        for (int i = 0; i < a.length; i++) a[i] = actual.rgb()[i] & 0xff;
        check(r, c, name, a, atol, meanAbsMax);
    }

    /** Compares values with the expected tensor {@code name}: element-wise and on average. */
    static void check(Report r, Case c, String name, float[] a, double atol, double meanAbsMax) {
        r.check(name, a, atol, 0);
        float[] e = c.floats(name);
        if (e.length != a.length) return;
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += Math.abs((double) a[i] - e[i]);
        double mean = sum / Math.max(1, a.length);
        if (!(mean <= meanAbsMax)) {
            r.fail(String.format(Locale.ROOT, "%s: mean abs error %.4g > mean_abs_max %.4g", name, mean, meanAbsMax));
        }
    }

    /** The case's {@code mean_abs_max} (top level), or infinity when absent. */
    static double meanAbsMax(Case c) {
        return c.json.has("mean_abs_max") ? c.json.get("mean_abs_max").getAsDouble() : Double.POSITIVE_INFINITY;
    }
}
