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

    /** Each intermediate is closed as soon as the next exists: at 1024 px one is up to 1 GiB. */
    private NDArray forwardIn(NDArray x, NDArray temb) {
        NDArray a = normAct(x, "norm1");
        NDArray h = Ops.conv2d(a, w, "conv1", 1);
        a.close();
        if (temb != null && w.has("time_emb_proj.weight")) {
            NDArray t = Ops.linear(Ops.silu(temb), w, "time_emb_proj");
            h.addi(t.expandDims(2).expandDims(3));
        }
        a = normAct(h, "norm2");
        h.close();
        h = Ops.conv2d(a, w, "conv2", 1);
        a.close();
        if (!w.has("conv_shortcut.weight")) return h.addi(x);
        NDArray shortcut = Ops.conv2d(x, w, "conv_shortcut", 1);
        h.addi(shortcut);
        shortcut.close();
        return h;
    }

    /** SiLU(GroupNorm(x)), freeing the normalised copy before returning. */
    private NDArray normAct(NDArray x, String norm) {
        NDArray n = Ops.groupNorm(x, w, norm, groups, eps);
        NDArray a = Ops.silu(n);
        n.close();
        return a;
    }
}
