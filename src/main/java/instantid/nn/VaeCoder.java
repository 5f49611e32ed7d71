package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Ops;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

/**
 * diffusers' VAE {@code Encoder} and {@code Decoder} as two functions over the weights under
 * {@code encoder.} / {@code decoder.}: conv_in, down (or up) blocks of ResNet blocks with a
 * resampler between them, a mid block (ResNet, single-head spatial self-attention, ResNet),
 * GroupNorm, SiLU, conv_out. Channels come from the weights; block counts from the config.
 */
final class VaeCoder {

    private VaeCoder() {
    }

    /** pixels [B, in, H, W] → moments before quant_conv [B, 2 * latent, H/f, W/f]. */
    static NDArray encode(NDArray x, Weights w, VaeConfig cfg) {
        int g = cfg.normGroups();
        NDArray h = Ops.conv2d(x, w, "conv_in", 1);
        int n = cfg.blockOutChannels().length;
        for (int i = 0; i < n; i++) {
            Weights b = w.sub("down_blocks." + i + ".");
            for (int j = 0; j < cfg.layersPerBlock(); j++) {
                h = next(h, new ResnetBlock(b.sub("resnets." + j + "."), g, VaeConfig.EPS).forward(h, null));
            }
            if (i < n - 1) h = next(h, Resample.down(h, b.sub("downsamplers.0."), true));
        }
        h = next(h, midBlock(h, w.sub("mid_block."), cfg));
        return next(h, out(h, w, g));
    }

    /** latents after post_quant_conv [B, latent, h, w] → image [B, out, h*f, w*f]. */
    static NDArray decode(NDArray z, Weights w, VaeConfig cfg) {
        int g = cfg.normGroups();
        NDArray h = Ops.conv2d(z, w, "conv_in", 1);
        h = next(h, midBlock(h, w.sub("mid_block."), cfg));
        int n = cfg.blockOutChannels().length;
        for (int i = 0; i < n; i++) {
            Weights b = w.sub("up_blocks." + i + ".");
            for (int j = 0; j <= cfg.layersPerBlock(); j++) {
                h = next(h, new ResnetBlock(b.sub("resnets." + j + "."), g, VaeConfig.EPS).forward(h, null));
            }
            if (i < n - 1) h = next(h, Resample.up(h, b.sub("upsamplers.0."), null));
        }
        return next(h, out(h, w, g));
    }

    /** conv_norm_out → SiLU → conv_out. */
    private static NDArray out(NDArray h, Weights w, int g) {
        return Scope.run(() -> Ops.conv2d(Ops.silu(Ops.groupNorm(h, w, "conv_norm_out", g, VaeConfig.EPS)), w, "conv_out", 1));
    }

    /**
     * Closes {@code prev} (an activation this coder made) once {@code next} exists, so that the
     * coder holds one activation between blocks instead of all of them: at 1024 px the decoder's
     * chain would otherwise keep about 8 GiB alive until the caller's scope ends.
     */
    private static NDArray next(NDArray prev, NDArray next) {
        prev.close();
        return next;
    }

    private static NDArray midBlock(NDArray x, Weights w, VaeConfig cfg) {
        NDArray h = new ResnetBlock(w.sub("resnets.0."), cfg.normGroups(), VaeConfig.EPS).forward(x, null);
        if (cfg.midBlockAttention()) h = next(h, spatialAttention(h, w.sub("attentions.0."), cfg.normGroups()));
        return next(h, new ResnetBlock(w.sub("resnets.1."), cfg.normGroups(), VaeConfig.EPS).forward(h, null));
    }

    /**
     * The mid block's attention: GroupNorm, then one head over all channels between every pair of
     * pixels ({@code to_q/to_k/to_v/to_out.0} Linear over [B, HW, C]), plus the residual. The score
     * matrix is chunked by {@link Ops#attention} (HW x HW is 1 GiB in float32 at 1024 px).
     */
    static NDArray spatialAttention(NDArray x, Weights w, int groups) {
        return Scope.run(() -> spatialAttentionIn(x, w, groups));
    }

    private static NDArray spatialAttentionIn(NDArray x, Weights w, int groups) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), hw = s.get(2) * s.get(3);
        NDArray h = Ops.groupNorm(x, w, "group_norm", groups, VaeConfig.EPS);
        h = h.reshape(b, c, hw).transpose(0, 2, 1);
        NDArray q = Ops.linear(h, w, "to_q");
        NDArray k = Ops.linear(h, w, "to_k");
        NDArray v = Ops.linear(h, w, "to_v");
        NDArray o = Ops.linear(Ops.attention(q, k, v, 1, null), w, "to_out.0");
        return o.transpose(0, 2, 1).reshape(s).add(x);
    }
}
