package instantid.image;

import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.face.RgbImage;

/**
 * A photo prepared as InstantID's app prepares it before any face analysis: read ({@link LoadedImage}:
 * upright 8-bit RGB), then {@link ResizeImg}. Faces are detected and embedded on {@link #resized()};
 * what is reported to the user (boxes, keypoints, overlays) is mapped back with {@link #toOriginal}
 * into the pixels of the image the user gave (upright), and a ROI the user drew is mapped with
 * {@link #toResized(DetectOptions.Rect)}. The scale is per axis (the resize stretches a little to
 * reach multiples of 64); coordinates scale without a half-pixel shift, insightface's convention.
 */
public record PreparedPhoto(int originalWidth, int originalHeight, RgbImage resized, String conversion) {

    public PreparedPhoto {
        if (originalWidth <= 0 || originalHeight <= 0) {
            throw new IllegalArgumentException("original size must be positive: " + originalWidth + "x" + originalHeight);
        }
        java.util.Objects.requireNonNull(resized, "resized");
    }

    /** Resizes a loaded image by {@code rule}. */
    public static PreparedPhoto prepare(LoadedImage loaded, ResizeImg rule) {
        RgbImage img = loaded.image();
        return new PreparedPhoto(img.width(), img.height(), rule.apply(img), loaded.conversion());
    }

    /** Resizes an 8-bit RGB image by {@code rule}. */
    public static PreparedPhoto prepare(RgbImage image, ResizeImg rule) {
        return prepare(LoadedImage.of(image), rule);
    }

    /** original x per resized x. */
    public double scaleX() {
        return (double) originalWidth / resized.width();
    }

    /** original y per resized y. */
    public double scaleY() {
        return (double) originalHeight / resized.height();
    }

    /** Keypoints {x0, y0, x1, y1, ...} found on the resized image, in original pixels. */
    public float[] toOriginal(float[] xy) {
        float[] out = new float[xy.length];
        for (int i = 0; i + 1 < xy.length; i += 2) {
            out[i] = (float) (xy[i] * scaleX());
            out[i + 1] = (float) (xy[i + 1] * scaleY());
        }
        return out;
    }

    /** A face found on the resized image (box and keypoints) in original pixels; score and embedding kept. */
    public Face toOriginal(Face f) {
        double sx = scaleX(), sy = scaleY();
        return new Face((float) (f.x1() * sx), (float) (f.y1() * sy), (float) (f.x2() * sx), (float) (f.y2() * sy),
                f.score(), f.kps() == null ? null : toOriginal(f.kps()), f.embedding());
    }

    /** A rectangle in original pixels (a ROI) in resized pixels, rounded outwards, at least 1x1. */
    public DetectOptions.Rect toResized(DetectOptions.Rect r) {
        if (r == null) return null;
        int x0 = (int) Math.floor(r.x() / scaleX()), y0 = (int) Math.floor(r.y() / scaleY());
        int x1 = (int) Math.ceil((r.x() + r.width()) / scaleX()), y1 = (int) Math.ceil((r.y() + r.height()) / scaleY());
        return new DetectOptions.Rect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }

    /** Detection options whose ROI (in original pixels) is mapped to the resized image. */
    public DetectOptions toResized(DetectOptions o) {
        return o.roi() == null ? o : o.withRoi(toResized(o.roi()));
    }
}
