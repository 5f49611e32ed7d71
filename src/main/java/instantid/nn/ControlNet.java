package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code ControlNetModel} (InstantID's IdentityNet): the condition image through
 * {@code controlnet_cond_embedding} (conv_in, blocks.N with stride 2 on odd N, conv_out; SiLU
 * between) added to {@code conv_in}'s output, the {@link UNetEncoder} shared with the UNet, and a
 * 1x1 zero conv per skip state ({@code controlnet_down_blocks.N}) and for the mid block
 * ({@code controlnet_mid_block}). The cross-attention context of IdentityNet is the ID tokens only.
 */
public final class ControlNet {

    /** Residuals for {@link UNetExtras}: one per UNet skip state, and the mid one. */
    public record Residuals(List<NDArray> down, NDArray mid) {

        public Residuals {
            down = List.copyOf(down);
        }

        /** Element-wise sum (several IdentityNet passes, one per identity). */
        public Residuals plus(Residuals o) {
            List<NDArray> d = new ArrayList<>(down.size());
            for (int i = 0; i < down.size(); i++) d.add(down.get(i).add(o.down.get(i)));
            return new Residuals(d, mid.add(o.mid));
        }
    }

    private final Weights w;
    private final UNetEncoder encoder;
    private final int condBlocks;

    public ControlNet(Weights w, UNetConfig config) {
        if (!w.has("controlnet_cond_embedding.conv_in.weight")) {
            throw new IllegalArgumentException("not a ControlNet: no 'controlnet_cond_embedding.conv_in.weight'");
        }
        this.w = w;
        this.encoder = new UNetEncoder(w, config);
        int n = 0;
        while (w.has("controlnet_cond_embedding.blocks." + n + ".weight")) n++;
        this.condBlocks = n;
    }

    public Weights weights() {
        return w;
    }

    public UNetConfig config() {
        return encoder.config();
    }

    /**
     * @param sample              [B, in, H, W] latent
     * @param timestep            scalar, [1] or [B]
     * @param encoderHiddenStates [B, n, C] context (IdentityNet: the ID tokens only)
     * @param cond                [B, 3, 8H, 8W] condition image in 0..1 (RGB)
     * @param conditioningScale   multiplies every residual
     * @param textEmbeds          [B, D] pooled text embedding
     * @param timeIds             [B, 6]
     * @return the residuals in the weights' dtype
     */
    public Residuals forward(NDArray sample, NDArray timestep, NDArray encoderHiddenStates, NDArray cond,
                             float conditioningScale, NDArray textEmbeds, NDArray timeIds) {
        long b = sample.getShape().get(0);
        NDArray ctx = encoder.context(encoderHiddenStates);
        NDArray emb = encoder.embedding(timestep, b, textEmbeds, timeIds);
        NDArray h = encoder.convIn(sample);
        NDArray c = condEmbedding(cond.toType(w.dtype(), false));
        if (!c.getShape().equals(h.getShape())) {
            throw new IllegalArgumentException("condition image " + cond.getShape() + " embeds to " + c.getShape()
                    + " but the latent gives " + h.getShape() + " (the image must be 8x the latent size)");
        }
        h = h.add(c);
        List<NDArray> skips = encoder.down(h, emb, ctx, null);
        NDArray mid = encoder.mid(skips.get(skips.size() - 1), emb, ctx, null);
        List<NDArray> down = new ArrayList<>(skips.size());
        for (int i = 0; i < skips.size(); i++) {
            down.add(Ops.conv2d(skips.get(i), w, "controlnet_down_blocks." + i, 1).mul(conditioningScale));
        }
        NDArray m = Ops.conv2d(mid, w, "controlnet_mid_block", 1).mul(conditioningScale);
        return new Residuals(down, m);
    }

    private NDArray condEmbedding(NDArray x) {
        Weights e = w.sub("controlnet_cond_embedding.");
        NDArray h = Ops.silu(Ops.conv2d(x, e, "conv_in", 1));
        for (int i = 0; i < condBlocks; i++) {
            h = Ops.silu(Ops.conv2d(h, e, "blocks." + i, i % 2 == 1 ? 2 : 1));
        }
        return Ops.conv2d(h, e, "conv_out", 1);
    }
}
