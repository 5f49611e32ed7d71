package instantid.pipeline;

import instantid.image.ResizeImg;

/**
 * The default output size: the size InstantID's {@code resize_img} gives the pose image (else the
 * face image) — the app (gradio_demo/app.py) and infer.py both call it with its defaults,
 * max_side 1280, min_side 1024 ({@link #DEFAULT}): 4032x3024 → 1280x960, 1080x1920 → 704x1280,
 * 1000x1000 → 1280x1280. The app generates at the size of the resized pose image, so this is
 * also the size faces are detected at ({@link instantid.image.ResizeImg}, which computes it).
 */
public record SizeRule(int maxSide, int minSide, int multiple) {

    /** resize_img's own defaults, which app.py and infer.py use: max_side 1280, min_side 1024, multiples of 64. */
    public static final SizeRule DEFAULT = new SizeRule(1280, 1024, 64);

    public SizeRule {
        if (maxSide <= 0 || minSide <= 0 || multiple <= 0) {
            throw new IllegalArgumentException("size rule values must be positive: max " + maxSide + ", min " + minSide + ", multiple " + multiple);
        }
    }

    /** An output size. */
    public record Size(int width, int height) {
    }

    /** The same rule as the image resize it describes. */
    public ResizeImg resize() {
        return new ResizeImg(maxSide, minSide, multiple);
    }

    /** The output size for a {@code width} x {@code height} pose (or face) image. */
    public Size apply(int width, int height) {
        int[] s = resize().finalSize(width, height);
        return new Size(s[0], s[1]);
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
