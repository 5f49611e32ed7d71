package instantid.fiji;

/**
 * The output size: width and height as given (multiples of 8), or — when either is 0 — the
 * official InstantID app's rule applied to the reference image (the pose image if any, else the
 * face image): the size {@code resize_img} gives it with its defaults, which app.py uses
 * ({@link instantid.pipeline.SizeRule#DEFAULT}: long side 1280, min_side 1024, multiples of 64).
 */
final class OutputSize {

    private OutputSize() {
    }

    static int[] of(int width, int height, int[] reference) {
        if (width < 0 || height < 0) throw new IllegalArgumentException("width/height must be >= 0 (0 = automatic)");
        if (width > 0 && height > 0) {
            if (width % 8 != 0 || height % 8 != 0) {
                throw new IllegalArgumentException("size " + width + "x" + height
                        + " is not allowed: width and height must be multiples of 8 (e.g. 1024x1024, 896x1152)");
            }
            return new int[] {width, height};
        }
        instantid.pipeline.SizeRule.Size sz = instantid.pipeline.SizeRule.DEFAULT.apply(reference[0], reference[1]);
        return new int[] {sz.width(), sz.height()};
    }
}
