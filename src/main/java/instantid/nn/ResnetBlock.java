package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Ops;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

/**
 * diffusers' {@code ResnetBlock2D}, shared by the UNet, IdentityNet and the VAE: GroupNorm → SiLU →
 * 3x3 conv, plus the time embedding (projected) when the block has one, GroupNorm → SiLU → 3x3
 * conv, and a 1x1 {@code conv_shortcut} when channels change. Channels come from the weights.
 */
public final class ResnetBlock {

    private final Weights w;
    private final int groups;
    private final float eps;

    public ResnetBlock(Weights w, int groups, float eps) {
        this.w = w;
        this.groups = groups;
        this.eps = eps;
    }

    public long outChannels() {
        return w.shape("conv1.weight").get(0);
    }

    /** {@code temb} is the (un-activated) time embedding [B, T] or null (VAE). */
    public NDArray forward(NDArray x, NDArray temb) {
        return Scope.run(() -> forwardIn(x, temb));
    }

    private NDArray forwardIn(NDArray x, NDArray temb) {
        NDArray h = Ops.silu(Ops.groupNorm(x, w, "norm1", groups, eps));
        h = Ops.conv2d(h, w, "conv1", 1);
        if (temb != null && w.has("time_emb_proj.weight")) {
            NDArray t = Ops.linear(Ops.silu(temb), w, "time_emb_proj");
            h = h.add(t.expandDims(2).expandDims(3));
        }
        h = Ops.silu(Ops.groupNorm(h, w, "norm2", groups, eps));
        h = Ops.conv2d(h, w, "conv2", 1);
        NDArray shortcut = w.has("conv_shortcut.weight") ? Ops.conv2d(x, w, "conv_shortcut", 1) : x;
        return shortcut.add(h);
    }
}
