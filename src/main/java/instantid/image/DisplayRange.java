package instantid.image;

/**
 * ImageJ's 8-bit conversion of 16-bit and 32-bit values by a display range (Image › Type › 8-bit
 * with "scale when converting", what ImageJ shows): for 16-bit
 * {@code (int)((v - min) * 256 / (max - min + 1) + 0.5)}, for float
 * {@code (int)((v - min) * 255 / (max - min) + 0.5)}, both clamped to 0..255 (NaN → 0). PIL would
 * clip such values at 255 instead; we scale, and the image's {@code conversion} note says so.
 */
public final class DisplayRange {

    private DisplayRange() {
    }

    /** ImageJ's {@code TypeConverter.convertShortToByte} for one value (min, max as ImageJ's ints). */
    public static int short8(int v, int min, int max) {
        double scale = 256.0 / (max - min + 1);
        int value = v - min;
        if (value < 0) value = 0;
        value = (int) (value * scale + 0.5);
        return Math.min(value, 255);
    }

    /** ImageJ's float-to-byte scaling for one value. */
    public static int float8(double v, double min, double max) {
        if (Double.isNaN(v)) return 0;
        double value = v - min;
        if (value < 0) value = 0;
        if (!(max > min)) return value > 0 ? 255 : 0;
        int iv = (int) (value * (255.0 / (max - min)) + 0.5);
        return Math.min(iv, 255);
    }

    /** A short phrase for settings: "16-bit scaled by display range 0-4095". */
    public static String describe(int bits, double min, double max) {
        return bits + "-bit, scaled to 8-bit by the display range " + fmt(min) + "-" + fmt(max) + " (ImageJ's rule)";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
