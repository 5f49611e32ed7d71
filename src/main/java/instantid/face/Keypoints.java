package instantid.face;

import instantid.common.UserException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The five face keypoints of insightface's detectors, immutable: left eye, right eye, nose, left and
 * right mouth corner, each an (x, y) in some image's pixels. One type for what the detector finds,
 * what the user types and what IdentityNet draws; the flat {@code x0, y0, ..., x4, y4} form (the
 * detector's, the settings file's) and the {@code [5][2]} form (the drawing's) are views of it.
 */
public final class Keypoints {

    /** Five points. */
    public static final int COUNT = 5;

    private final float[] xy;

    private Keypoints(float[] xy) {
        this.xy = xy;
    }

    /** From ten numbers {@code x0, y0, ..., x4, y4} (copied). */
    public static Keypoints of(float... xy) {
        if (xy == null || xy.length != 2 * COUNT) {
            throw new IllegalArgumentException("five keypoints are 10 numbers x0 y0 ... x4 y4, got "
                    + (xy == null ? 0 : xy.length));
        }
        return new Keypoints(xy.clone());
    }

    /** From five {x, y} pairs. */
    public static Keypoints ofPoints(float[][] points) {
        if (points == null || points.length != COUNT) {
            throw new IllegalArgumentException("five keypoints, got " + (points == null ? 0 : points.length));
        }
        float[] xy = new float[2 * COUNT];
        for (int i = 0; i < COUNT; i++) {
            xy[2 * i] = points[i][0];
            xy[2 * i + 1] = points[i][1];
        }
        return new Keypoints(xy);
    }

    /**
     * Ten finite numbers as a user types them ("x0,y0,...,x4,y4"; commas, semicolons or spaces
     * between); the message says what is wrong, the caller names the parameter.
     */
    public static Keypoints parse(String text) {
        String[] p = text == null || text.isBlank() ? new String[0] : text.trim().split("[,;\\s]+");
        if (p.length != 2 * COUNT) {
            throw new IllegalArgumentException("expects 10 numbers (x,y of 5 keypoints: eyes, nose, mouth corners), got " + p.length);
        }
        float[] v = new float[2 * COUNT];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Float.parseFloat(p[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p[i] + "' is not a number");
            }
            if (!Float.isFinite(v[i])) throw new IllegalArgumentException("'" + p[i] + "' is not a finite number");
        }
        return new Keypoints(v);
    }

    public float x(int i) {
        return xy[2 * i];
    }

    public float y(int i) {
        return xy[2 * i + 1];
    }

    /** {@code x0, y0, ..., x4, y4} (a copy). */
    public float[] flat() {
        return xy.clone();
    }

    /** Five {x, y} pairs (a copy), as the keypoint drawing takes them. */
    public float[][] points() {
        float[][] out = new float[COUNT][];
        for (int i = 0; i < COUNT; i++) out[i] = new float[] {x(i), y(i)};
        return out;
    }

    /** Every x times {@code sx}, every y times {@code sy} (float arithmetic, as a resize of the image). */
    public Keypoints scaled(float sx, float sy) {
        float[] out = new float[2 * COUNT];
        for (int i = 0; i < COUNT; i++) {
            out[2 * i] = xy[2 * i] * sx;
            out[2 * i + 1] = xy[2 * i + 1] * sy;
        }
        return new Keypoints(out);
    }

    /**
     * The same points on the image resized from {@code srcW x srcH} to {@code dstW x dstH}
     * (independent x and y scale, as a resize stretches; insightface's convention: coordinates scale,
     * no half-pixel shift).
     */
    public Keypoints resized(int srcW, int srcH, int dstW, int dstH) {
        if (srcW <= 0 || srcH <= 0 || dstW <= 0 || dstH <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + srcW + "x" + srcH + " -> " + dstW + "x" + dstH);
        }
        return scaled((float) dstW / srcW, (float) dstH / srcH);
    }

    /**
     * Checks that every point lies on a {@code width x height} picture (edges included): a point
     * outside draws nothing for IdentityNet, so it is a typo. The message names {@code parameter}.
     */
    public Keypoints requireInside(int width, int height, String parameter) {
        for (int i = 0; i < COUNT; i++) {
            if (!(x(i) >= 0 && x(i) <= width && y(i) >= 0 && y(i) <= height)) {
                throw new UserException(String.format(Locale.ROOT, "%s: keypoint %d (%.1f, %.1f) is outside the %dx%d image;"
                        + " give output pixel coordinates", parameter, i + 1, x(i), y(i), width, height));
            }
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Keypoints k && Arrays.equals(xy, k.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (float v : xy) sb.append(sb.length() == 0 ? "" : ",").append(v);
        return sb.toString();
    }
}
