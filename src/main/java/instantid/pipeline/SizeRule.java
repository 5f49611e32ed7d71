package instantid.pipeline;

/**
 * The output-size rule of InstantID's {@code resize_img} (official repository, infer.py and
 * gradio_demo/app.py), used by default for the control image and the generated image:
 *
 * <pre>
 * ratio = min_side / min(h, w);  w, h = round(ratio * w), round(ratio * h)
 * ratio = max_side / max(h, w)   # always applied: the long side becomes max_side
 * w, h = (round(ratio * w) // 64) * 64, (round(ratio * h) // 64) * 64
 * </pre>
 *
 * round is Python's (half to even). The function's defaults are max_side 1280, min_side 1024
 * ({@link #DEFAULT}); the Gradio app calls it with max_side 1024 ({@link #GRADIO_APP}). A side that
 * would round down to 0 (aspect ratios beyond 1:20) is kept at one block of 64 instead.
 */
public record SizeRule(int maxSide, int minSide, int multiple) {

    /** resize_img's own defaults: max_side 1280, min_side 1024, multiples of 64. */
    public static final SizeRule DEFAULT = new SizeRule(1280, 1024, 64);
    /** What the official Gradio demo uses for face and pose images: max_side 1024. */
    public static final SizeRule GRADIO_APP = new SizeRule(1024, 1024, 64);

    public SizeRule {
        if (maxSide <= 0 || minSide <= 0 || multiple <= 0) {
            throw new IllegalArgumentException("size rule values must be positive: max " + maxSide + ", min " + minSide + ", multiple " + multiple);
        }
    }

    /** An output size. */
    public record Size(int width, int height) {
    }

    /** The output size for a {@code width} x {@code height} pose (or face) image. */
    public Size apply(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        double ratio = (double) minSide / Math.min(height, width);
        long w = (long) Math.rint(ratio * width), h = (long) Math.rint(ratio * height);
        ratio = (double) maxSide / Math.max(h, w);
        long w2 = Math.floorDiv((long) Math.rint(ratio * w), multiple) * multiple;
        long h2 = Math.floorDiv((long) Math.rint(ratio * h), multiple) * multiple;
        return new Size((int) Math.max(multiple, w2), (int) Math.max(multiple, h2));
    }

    /**
     * Keypoints found on a {@code srcW} x {@code srcH} image, in the pixels of the same image resized
     * to {@code dstW} x {@code dstH} (independent x and y scale, as a resize stretches; insightface's
     * convention: coordinates scale, no half-pixel shift).
     */
    public static float[][] mapKeypoints(float[][] kps, int srcW, int srcH, int dstW, int dstH) {
        if (srcW <= 0 || srcH <= 0 || dstW <= 0 || dstH <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH);
        }
        float sx = (float) dstW / srcW, sy = (float) dstH / srcH;
        float[][] out = new float[kps.length][];
        for (int i = 0; i < kps.length; i++) out[i] = new float[] {kps[i][0] * sx, kps[i][1] * sy};
        return out;
    }
}
