package instantid.request;

import instantid.face.Face;
import instantid.face.Keypoints;
import instantid.pipeline.Identity;
import instantid.pipeline.Region;

/**
 * Composition (several people in one picture): where each identity goes. A region drawn on a canvas
 * is scaled to the output's pixels; a face's keypoints are moved into its region — the face box
 * centred horizontally in the upper part of the region, scaled to half the region's shorter side —
 * so IdentityNet draws each person where their region is.
 */
public final class Placement {

    private Placement() {
    }

    /**
     * A rectangle {@code x, y, width, height} drawn on a canvas, in output pixels ({@code sx, sy}:
     * output size over canvas size; rounded to whole pixels), with a soft edge of {@code feather}.
     */
    public static Region region(int x, int y, int width, int height, double sx, double sy, double feather) {
        return new Region((int) Math.round(x * sx), (int) Math.round(y * sy),
                (int) Math.round(width * sx), (int) Math.round(height * sy), feather);
    }

    /** The keypoints of {@code f} (in its own image's pixels) moved into region {@code r}. */
    public static Keypoints place(Face f, Region r) {
        if (f.kps() == null) throw new IllegalArgumentException("face " + f + " has no keypoints to place");
        double side = Math.max(1e-6, Math.max(f.width(), f.height()));
        double scale = 0.5 * Math.min(r.width(), r.height()) / side;
        double cx = r.x() + r.width() / 2.0;
        double cy = r.y() + Math.min(r.height() / 2.0, r.height() * 0.35 + 0.25 * Math.min(r.width(), r.height()));
        Keypoints k = Keypoints.of(f.kps());
        float[] out = new float[2 * Keypoints.COUNT];
        for (int i = 0; i < Keypoints.COUNT; i++) {
            out[2 * i] = (float) (cx + (k.x(i) - f.centerX()) * scale);
            out[2 * i + 1] = (float) (cy + (k.y(i) - f.centerY()) * scale);
        }
        return Keypoints.of(out);
    }

    /** The identity of face {@code f} (with its embedding) acting in region {@code r}, posed there. */
    public static Identity identity(Face f, Region r, double ipScale, double identityNetScale) {
        if (f.embedding() == null) throw new IllegalArgumentException("face " + f + " has no embedding");
        return new Identity(f.embedding(), place(f, r).flat(), ipScale, identityNetScale, r, "");
    }
}
