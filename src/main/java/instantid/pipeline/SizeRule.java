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
}
