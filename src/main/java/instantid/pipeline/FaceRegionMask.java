package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import instantid.nn.ControlNet;

import java.util.ArrayList;
import java.util.List;

/**
 * "Enhance non-face region" of InstantID's app: a mask that is 1 on the face box (the box of the
 * face whose keypoints IdentityNet draws, in output pixels, corners truncated to integers as the
 * app's {@code int()}, rows y1..y2-1 and columns x1..x2-1) and 0 elsewhere, drawn at the output
 * size; then, as {@code pipeline_stable_diffusion_xl_instantid_full.py}:
 * <ul>
 * <li>every IdentityNet residual is multiplied by the mask resized <em>bilinearly</em>
 *     ({@code F.interpolate(mode='bilinear')}, half-pixel centres, no antialiasing) to its own size
 *     (/8, /16, /32; the mid residual takes the smallest, as the app's last mask);</li>
 * <li>the IP attention output of every cross-attention is multiplied by the mask sampled
 *     <em>nearest</em> at that layer's resolution ({@code region_control} of
 *     {@code ip_adapter/attention_processor.py}: the pixel at the top-left of each cell).</li>
 * </ul>
 * Outside the face the text alone shapes the image, so the rest of the picture follows the prompt
 * and style rather than the photo. A box reaching past the image is clipped to it (the app's
 * slicing would wrap a negative corner around).
 */
final class FaceRegionMask {

    private FaceRegionMask() {
    }

    /** The box as integer pixel bounds {x1, y1, x2, y2}, truncated and clipped to the canvas. */
    static int[] bounds(float[] box, int w, int h) {
        return new int[] {clip((int) box[0], w), clip((int) box[1], h), clip((int) box[2], w), clip((int) box[3], h)};
    }

    private static int clip(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** [gh * gw] row-major: the box mask sampled nearest on a gw x gh grid covering a w x h canvas. */
    static float[] nearest(float[] box, int w, int h, int gw, int gh) {
        int[] b = bounds(box, w, h);
        float[] m = new float[gw * gh];
        double sx = (double) w / gw, sy = (double) h / gh;
        for (int i = 0; i < gh; i++) {
            int y = Math.min((int) Math.floor(i * sy), h - 1);
            if (y < b[1] || y >= b[3]) continue;
            for (int j = 0; j < gw; j++) {
                int x = Math.min((int) Math.floor(j * sx), w - 1);
                if (x >= b[0] && x < b[2]) m[i * gw + j] = 1f;
            }
        }
        return m;
    }

    /** [gh * gw] row-major: the box mask resized bilinearly (align_corners=False) to gw x gh. */
    static float[] bilinear(float[] box, int w, int h, int gw, int gh) {
        int[] b = bounds(box, w, h);
        double[] col = axis(b[0], b[2], w, gw);
        double[] row = axis(b[1], b[3], h, gh);
        float[] m = new float[gw * gh];
        for (int i = 0; i < gh; i++) {
            for (int j = 0; j < gw; j++) m[i * gw + j] = (float) (row[i] * col[j]);
        }
        return m;
    }

    /** torch's linear interpolation of the indicator of [lo, hi) on n pixels to out samples. */
    private static double[] axis(int lo, int hi, int n, int out) {
        double scale = (double) n / out;
        double[] v = new double[out];
        for (int d = 0; d < out; d++) {
            double src = Math.max(0, (d + 0.5) * scale - 0.5);
            int i0 = (int) src;
            int i1 = i0 < n - 1 ? i0 + 1 : i0;
            double l1 = src - i0;
            v[d] = (1 - l1) * inside(i0, lo, hi) + l1 * inside(i1, lo, hi);
        }
        return v;
    }

    private static double inside(int p, int lo, int hi) {
        return p >= lo && p < hi ? 1 : 0;
    }

    /** The IP region mask: [1, 1, h/8, w/8] sampled nearest, resampled nearest by every attention layer. */
    static NDArray ipMask(NDManager nd, float[] box, int w, int h) {
        int gw = w / 8, gh = h / 8;
        return nd.create(nearest(box, w, h, gw, gh), new Shape(1, 1, gh, gw));
    }

    /** IdentityNet's residuals, each times the bilinear box mask at its own size. */
    static ControlNet.Residuals apply(ControlNet.Residuals r, float[] box, int w, int h) {
        List<NDArray> down = new ArrayList<>();
        for (NDArray a : r.down()) down.add(a.mul(maskLike(a, box, w, h)));
        return new ControlNet.Residuals(down, r.mid().mul(maskLike(r.mid(), box, w, h)));
    }

    private static NDArray maskLike(NDArray residual, float[] box, int w, int h) {
        int gh = (int) residual.getShape().get(2), gw = (int) residual.getShape().get(3);
        return residual.getManager().create(bilinear(box, w, h, gw, gh), new Shape(1, 1, gh, gw))
                .toType(residual.getDataType(), false);
    }
}
