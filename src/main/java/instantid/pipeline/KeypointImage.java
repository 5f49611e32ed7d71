package instantid.pipeline;

import java.util.Arrays;

/**
 * InstantID's keypoint image ({@code draw_kps} of the official pipeline), pixel-exact: on a black
 * image of the output size, the four limbs eye→nose, eye→nose, mouth→nose, mouth→nose are filled
 * ellipses (half-length along the limb, half-width {@code stickwidth}, drawn with the colour of the
 * limb's outer point), the whole drawing is dimmed to 60 % (truncated to 8 bits), then each of the
 * five keypoints is a filled circle of radius 10 in its own colour. Keypoint arithmetic is float32 as
 * in numpy (insightface's keypoints are float32). Output: interleaved RGB bytes, row-major, h*w*3.
 */
public final class KeypointImage {

    /** InstantID's default colours: red, green, blue, yellow, magenta for the five keypoints. */
    public static final int[][] DEFAULT_COLORS = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}, {255, 0, 255}};
    public static final int DEFAULT_STICKWIDTH = 4;
    public static final int CIRCLE_RADIUS = 10;
    private static final int[][] LIMBS = {{0, 2}, {1, 2}, {3, 2}, {4, 2}};

    private KeypointImage() {
    }

    /** draw_kps with InstantID's colours and stick width. */
    public static byte[] draw(int width, int height, float[][] kps) {
        return draw(width, height, kps, DEFAULT_COLORS, DEFAULT_STICKWIDTH);
    }

    /**
     * @param kps    five (x, y) keypoints in output pixels: left eye, right eye, nose, left and right mouth corner
     * @param colors one RGB colour (0..255) per keypoint
     */
    public static byte[] draw(int width, int height, float[][] kps, int[][] colors, int stickwidth) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("keypoint image size must be positive, got " + width + "x" + height);
        }
        if (kps == null || kps.length != 5) {
            throw new IllegalArgumentException("draw_kps needs the 5 face keypoints (eyes, nose, mouth corners), got "
                    + (kps == null ? "none" : kps.length));
        }
        for (float[] p : kps) {
            if (p == null || p.length != 2 || !Float.isFinite(p[0]) || !Float.isFinite(p[1])) {
                throw new IllegalArgumentException("keypoints must be finite (x, y) pairs, got " + Arrays.deepToString(kps));
            }
        }
        if (colors == null || colors.length < kps.length) {
            throw new IllegalArgumentException("need one colour per keypoint (" + kps.length + ")");
        }
        for (int[] c : colors) {
            if (c.length != 3 || Arrays.stream(c).anyMatch(v -> v < 0 || v > 255)) {
                throw new IllegalArgumentException("colours are RGB triples in 0..255, got " + Arrays.toString(c));
            }
        }
        CvRaster limbs = new CvRaster(width, height, 3);
        for (int[] limb : LIMBS) {
            float[] a = kps[limb[0]], b = kps[limb[1]];
            float dx = a[0] - b[0], dy = a[1] - b[1];
            float length = (float) Math.sqrt(dx * dx + dy * dy);
            double angle = Math.toDegrees(Math.atan2(dy, dx));
            int cx = (int) ((a[0] + b[0]) / 2f), cy = (int) ((a[1] + b[1]) / 2f);
            limbs.fillConvexPoly(CvRaster.ellipse2Poly(cx, cy, (int) (length / 2f), stickwidth, (int) angle, 0, 360, 1),
                    colors[limb[0]]);
        }
        CvRaster out = new CvRaster(width, height, 3);
        for (int i = 0; i < limbs.data.length; i++) out.data[i] = (int) (limbs.data[i] * 0.6);
        for (int k = 0; k < kps.length; k++) {
            out.fillCircle((int) kps[k][0], (int) kps[k][1], CIRCLE_RADIUS, colors[k]);
        }
        byte[] rgb = new byte[out.data.length];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) out.data[i];
        return rgb;
    }

    /** Keypoints from a flat (x0, y0, x1, y1, ...) array. */
    public static float[][] points(float[] flat) {
        if (flat.length % 2 != 0) throw new IllegalArgumentException("keypoints come in (x, y) pairs, got " + flat.length + " numbers");
        float[][] p = new float[flat.length / 2][];
        for (int i = 0; i < p.length; i++) p[i] = new float[] {flat[2 * i], flat[2 * i + 1]};
        return p;
    }
}
