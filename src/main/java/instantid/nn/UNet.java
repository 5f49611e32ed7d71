package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * SDXL's {@code UNet2DConditionModel} with diffusers' parameter names: the shared
 * {@link UNetEncoder} (embeddings, conv_in, down blocks, mid block), the up blocks with skip
 * concatenation, {@code conv_norm_out} → SiLU → {@code conv_out}. ControlNet residuals and the
 * IP-adapter come in through {@link UNetExtras}.
 *
 * <pre>
 * UNet unet = new UNet(weights, UNetConfig.fromJson(configJson));
 * NDArray eps = unet.forward(latent, t, textContext, pooled, timeIds,
 *         UNetExtras.ip(IpContext.single(idTokens, 0.8f)).withControl(identityNetResiduals));
 * </pre>
 */
public final class UNet {

    private final Weights w;
    private final UNetConfig config;
    private final UNetEncoder encoder;
    private final List<UpBlock> up = new ArrayList<>();

    public UNet(Weights w, UNetConfig config) {
        if (config.upBlockTypes().isEmpty()) {
            throw new IllegalArgumentException("UNet config has no up_block_types (is this a ControlNet config?)");
        }
        this.w = w;
        this.config = config;
        this.encoder = new UNetEncoder(w, config);
        for (int i = 0; i < config.upBlockTypes().size(); i++) {
            up.add(new UpBlock(w.sub("up_blocks." + i + "."), "up_blocks." + i, config, i));
        }
    }

    public UNetConfig config() {
        return config;
    }

    public Weights weights() {
        return w;
    }

    /**
     * Predicts the noise. Arrays are created in {@code sample}'s manager; run it inside a
     * {@link instantid.tensor.Scope} and keep the result.
     *
     * @param sample              [B, in, H, W] latent (any float dtype; computed in the weights' dtype)
     * @param timestep            scalar, [1] or [B]
     * @param encoderHiddenStates [B, 77, cross_attention_dim] text context (without ID tokens)
     * @param textEmbeds          [B, D] pooled text embedding
     * @param timeIds             [B, 6]
     * @param extras              residuals and IP context, or null / {@link UNetExtras#NONE}
     * @return [B, out, H, W] in {@code sample}'s dtype
     */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray encoderHiddenStates,
                           NDArray textEmbeds, NDArray timeIds, UNetExtras extras) {
        UNetExtras x = extras == null ? UNetExtras.NONE : extras;
        long b = sample.getShape().get(0);
        IpContext ip = x.ip() == null ? null : x.ip().masksAsImages(sample.getShape().get(2), sample.getShape().get(3));
        NDArray ctx = encoder.context(encoderHiddenStates);
        NDArray emb = encoder.embedding(timestep, b, textEmbeds, timeIds);
        NDArray h = encoder.convIn(sample);
        List<NDArray> skips = encoder.down(h, emb, ctx, ip);
        h = skips.get(skips.size() - 1);
        if (x.downResiduals() != null) skips = addResiduals(skips, x.downResiduals());
        h = encoder.mid(h, emb, ctx, ip);
        if (x.midResidual() != null) h = h.add(x.midResidual().toType(h.getDataType(), false));
        skips = new ArrayList<>(skips);
        for (UpBlock blk : up) h = blk.forward(h, emb, ctx, ip, skips);
        h = Ops.silu(Ops.groupNorm(h, w, "conv_norm_out", config.normGroups(), config.normEps()));
        h = Ops.conv2d(h, w, "conv_out", 1);
        return h.toType(sample.getDataType(), false);
    }

    private static List<NDArray> addResiduals(List<NDArray> skips, List<NDArray> res) {
        if (res.size() != skips.size()) {
            throw new IllegalArgumentException("ControlNet gave " + res.size() + " down residuals, the UNet has "
                    + skips.size() + " skip states (do the ControlNet and UNet configs match?)");
        }
        List<NDArray> out = new ArrayList<>(skips.size());
        for (int i = 0; i < skips.size(); i++) {
            NDArray s = skips.get(i), r = res.get(i);
            if (!s.getShape().equals(r.getShape())) {
                throw new IllegalArgumentException("down residual " + i + " is " + r.getShape() + ", skip state is " + s.getShape());
            }
            out.add(s.add(r.toType(s.getDataType(), false)));
        }
        return out;
    }
}
