package instantid.image;

import instantid.face.RgbImage;

/**
 * InstantID's {@code resize_img} (gradio_demo/app.py and infer.py, identical there), without
 * {@code size} and {@code pad_to_max_side}:
 *
 * <pre>
 * ratio = min_side / min(h, w);  w, h = round(ratio * w), round(ratio * h)
 * ratio = max_side / max(h, w)
 * image = image.resize([round(ratio * w), round(ratio * h)], BILINEAR)       # from the original
 * w2, h2 = (round(ratio * w) // base) * base, (round(ratio * h) // base) * base
 * image = image.resize([w2, h2], BILINEAR)                                   # a copy when equal
 * </pre>
 *
 * round is Python's (half to even). The long side always becomes max_side; min_side only moves the
 * rounding. Both resizes are Pillow's ({@link PilResize}). A side that would round down to 0
 * (aspect ratios beyond 1:20, where Pillow would fail) is kept at one block of {@code base}.
 */
public record ResizeImg(int maxSide, int minSide, int basePixelNumber) {

    /** resize_img's defaults, which app.py and infer.py use: 1280, 1024, 64. */
    public static final ResizeImg DEFAULTS = new ResizeImg(1280, 1024, 64);

    public ResizeImg {
        if (maxSide <= 0 || minSide <= 0 || basePixelNumber <= 0) {
            throw new IllegalArgumentException("resize_img values must be positive: max_side " + maxSide + ", min_side "
                    + minSide + ", base_pixel_number " + basePixelNumber);
        }
    }

    /** The size of the first resize (long side max_side), {w, h}. */
    public int[] firstSize(int width, int height) {
        check(width, height);
        double ratio = (double) minSide / Math.min(height, width);
        long w = (long) Math.rint(ratio * width), h = (long) Math.rint(ratio * height);
        ratio = (double) maxSide / Math.max(h, w);
        return new int[] {(int) Math.max(1, Math.rint(ratio * w)), (int) Math.max(1, Math.rint(ratio * h))};
    }

    /** The final size, multiples of base_pixel_number, {w, h}. */
    public int[] finalSize(int width, int height) {
        int[] f = firstSize(width, height);
        int b = basePixelNumber;
        return new int[] {Math.max(b, f[0] / b * b), Math.max(b, f[1] / b * b)};
    }

    /** {@code resize_img(image, max_side, min_side, base_pixel_number=...)}. */
    public RgbImage apply(RgbImage image) {
        int[] f = firstSize(image.width(), image.height());
        int[] s = finalSize(image.width(), image.height());
        RgbImage first = PilResize.resize(image, f[0], f[1], PilResize.Filter.BILINEAR);
        return PilResize.resize(first, s[0], s[1], PilResize.Filter.BILINEAR);
    }

    private static void check(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }
}
