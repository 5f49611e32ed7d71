package instantid.fiji;

/**
 * The output size: width and height as given (multiples of 8), or — when either is 0 — the
 * official InstantID app's rule applied to the reference image (the pose image if any, else the
 * face image). That rule lives in {@code instantid.pipeline.SizeRule} (another branch); until it
 * is merged, 0 asks the user for an explicit size.
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
        // HOOK(size rule): replace by instantid.pipeline.SizeRule once merged (the app's resize_img rule).
        throw new IllegalArgumentException("automatic size (width=0 / height=0) is not available in this build yet:"
                + " give width and height (multiples of 8, e.g. width=1024 height=1024); reference image "
                + reference[0] + "x" + reference[1]);
    }
}
