package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import instantid.nn.IpRecorder;

/**
 * Records the ID-attention map of one generation. What is measured: in every UNet
 * cross-attention layer that has an IP path, for every image token (query position) of the
 * conditional branch, the share of the attention output that the ID tokens contribute,
 *
 * <pre>share = |ip| / (|text| + |ip|)</pre>
 *
 * where {@code text} is the attention over the prompt tokens and {@code ip} the identities'
 * combined IP term ({@code Σ s_k · block · mask_k ⊙ attn(q, to_k_ip(ID_k), to_v_ip(ID_k))}), both
 * before {@code to_out}, and |·| the L2 norm over channels. Decoupled cross-attention has a
 * separate softmax for the ID tokens (its mass is always 1), so the output norms, not a softmax
 * mass, say how much each token's attention result comes from the identity. With an IP scale of 0
 * the IP term is not computed and the share is exactly 0. Each layer's map (its own h x w) is
 * taken to the latent grid by nearest neighbour, all layers of all denoising steps are averaged
 * with equal weight, and the result is resized bilinearly to the output size. IdentityNet's
 * attention is not counted: it has no text path to compare with.
 */
public final class IdAttentionRecorder implements IpRecorder {

    private final int gridW, gridH;
    private final double[] sum;
    private int layers;

    /** For a latent grid of {@code gridW x gridH} (output size / 8). */
    public IdAttentionRecorder(int gridW, int gridH) {
        this.gridW = gridW;
        this.gridH = gridH;
        this.sum = new double[gridW * gridH];
    }

    @Override
    public void record(String module, NDArray text, NDArray ip, long h, long w) {
        long b = text.getShape().get(0);
        float[] tn = rowNorms(text, b);
        float[] in = ip == null ? new float[tn.length] : rowNorms(ip, b);
        int lh = (int) h, lw = (int) w;
        for (int gy = 0; gy < gridH; gy++) {
            int y = Math.min(lh - 1, (int) ((long) gy * lh / gridH));
            for (int gx = 0; gx < gridW; gx++) {
                int x = Math.min(lw - 1, (int) ((long) gx * lw / gridW));
                int i = y * lw + x;
                double d = tn[i] + in[i];
                sum[gy * gridW + gx] += d > 0 ? in[i] / d : 0;
            }
        }
        layers++;
    }

    /** L2 norm over channels of the last batch row (the conditional branch), per token. */
    private static float[] rowNorms(NDArray a, long batch) {
        NDArray row = a.get(new NDIndex("{}", batch - 1)).toType(DataType.FLOAT32, false);
        return row.square().sum(new int[] {-1}).sqrt().toFloatArray();
    }

    /** Layer calls recorded so far (layers x steps). */
    public int calls() {
        return layers;
    }

    /** The mean share over every recorded layer and step, resized to {@code width x height}. */
    public IdMap map(int width, int height, int steps) {
        float[] grid = new float[sum.length];
        for (int i = 0; i < sum.length; i++) grid[i] = layers == 0 ? 0f : (float) (sum[i] / layers);
        return new IdMap(width, height, bilinear(grid, gridW, gridH, width, height), steps, steps == 0 ? 0 : layers / steps);
    }

    /** Bilinear resize with pixel centres aligned (align_corners=False), edges clamped. */
    static float[] bilinear(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sh / dh - 0.5));
            int y0 = (int) fy, y1 = Math.min(sh - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sw / dw - 0.5));
                int x0 = (int) fx, x1 = Math.min(sw - 1, x0 + 1);
                double tx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - tx) + src[y0 * sw + x1] * tx;
                double bot = src[y1 * sw + x0] * (1 - tx) + src[y1 * sw + x1] * tx;
                out[y * dw + x] = (float) (top * (1 - ty) + bot * ty);
            }
        }
        return out;
    }
}
