package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Soft region masks of multi-identity composition. A region's mask on any grid is computed from
 * its rectangle in canvas pixels (not resampled from another grid): 1 inside, 0 outside, a linear
 * ramp {@code feather} pixels wide centred on the edge. Overlaps follow one rule: where the masks
 * of several identities sum to more than 1, each is divided by that sum (normalised weights), so
 * no pixel receives more than one identity's full IP attention; where regions do not overlap
 * nothing changes, and outside every region the masks are 0 (only the text acts).
 */
public final class Regions {

    private Regions() {
    }

    /**
     * Whether this request needs masks at all: one identity on the whole canvas (given as
     * {@link Region#WHOLE} or as a sharp rectangle covering the canvas) takes exactly the
     * single-identity path.
     */
    static boolean masked(List<Identity> ids, int canvasW, int canvasH) {
        if (ids.size() != 1) return true;
        Region r = ids.get(0).region();
        if (r.isWhole()) return false;
        Region c = r.clip(canvasW, canvasH);
        return !(r.feather() <= 0 && c.x() == 0 && c.y() == 0 && c.width() == canvasW && c.height() == canvasH);
    }

    /** Row-major [gridH * gridW] soft mask of one region on a grid covering the canvas. */
    public static float[] mask(Region r, int canvasW, int canvasH, int gridW, int gridH, double grow) {
        Region c = r.clip(canvasW, canvasH);
        double sx = (double) canvasW / gridW, sy = (double) canvasH / gridH;
        double x0 = c.x() - grow, y0 = c.y() - grow, x1 = c.x() + c.width() + grow, y1 = c.y() + c.height() + grow;
        double f = Math.max(c.feather(), 0);
        float[] m = new float[gridW * gridH];
        for (int gy = 0; gy < gridH; gy++) {
            double py = (gy + 0.5) * sy;
            for (int gx = 0; gx < gridW; gx++) {
                double px = (gx + 0.5) * sx;
                double d = Math.min(Math.min(px - x0, x1 - px), Math.min(py - y0, y1 - py));
                double v = f > 0 ? 0.5 + d / f : (d > 0 ? 1 : 0);
                m[gy * gridW + gx] = (float) Math.max(0, Math.min(1, v));
            }
        }
        return m;
    }

    /** Masks of every identity on one grid, normalised where they overlap. */
    public static List<float[]> normalised(List<Identity> ids, int canvasW, int canvasH, int gridW, int gridH, double grow) {
        List<float[]> masks = new ArrayList<>();
        for (Identity id : ids) masks.add(mask(id.region(), canvasW, canvasH, gridW, gridH, grow));
        for (int p = 0; p < gridW * gridH; p++) {
            float sum = 0;
            for (float[] m : masks) sum += m[p];
            if (sum > 1f) for (float[] m : masks) m[p] /= sum;
        }
        return masks;
    }

    /** The masks as [1, 1, gridH, gridW] arrays. */
    static List<NDArray> arrays(NDManager nd, List<float[]> masks, int gridW, int gridH) {
        List<NDArray> out = new ArrayList<>();
        for (float[] m : masks) out.add(nd.create(m, new Shape(1, 1, gridH, gridW)));
        return out;
    }

    /**
     * How far IdentityNet's residuals reach beyond a region (dilation): an eighth of the region's
     * shorter side plus its feather, so the face's outline is conditioned, not cut at the edge.
     */
    static double controlGrow(Region r, int canvasW, int canvasH) {
        Region c = r.clip(canvasW, canvasH);
        return Math.min(c.width(), c.height()) / 8.0 + c.feather();
    }
}
