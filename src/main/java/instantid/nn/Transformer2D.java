package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code Transformer2DModel} on a [B, C, H, W] map: GroupNorm (eps 1e-6) →
 * {@code proj_in} (Linear, or 1x1 conv for configs without linear projection) on the H*W tokens →
 * {@link TransformerBlock}s → {@code proj_out} → back to [B, C, H, W] plus the input.
 */
final class Transformer2D {

    private static final float GN_EPS = 1e-6f;

    private final Weights w;
    private final int groups;
    private final boolean linear;
    private final List<TransformerBlock> blocks = new ArrayList<>();

    /** {@code module} is this transformer's module name ("down_blocks.1.attentions.0"). */
    Transformer2D(Weights w, String module, int heads, int layers, int groups, boolean linearProjection) {
        this.w = w;
        this.groups = groups;
        this.linear = linearProjection;
        for (int i = 0; i < layers; i++) {
            blocks.add(new TransformerBlock(w.sub("transformer_blocks." + i + "."), heads, module));
        }
    }

    NDArray forward(NDArray x, NDArray context, IpContext ip) {
        return instantid.tensor.Scope.run(() -> forwardIn(x, context, ip));
    }

    private NDArray forwardIn(NDArray x, NDArray context, IpContext ip) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), h = s.get(2), wd = s.get(3);
        NDArray t = Ops.groupNorm(x, w, "norm", groups, GN_EPS);
        if (linear) {
            t = Ops.linear(t.transpose(0, 2, 3, 1).reshape(b, h * wd, c), w, "proj_in");
        } else {
            t = Ops.conv2d(t, w, "proj_in", 1);
            t = t.transpose(0, 2, 3, 1).reshape(b, h * wd, t.getShape().get(1));
        }
        for (TransformerBlock blk : blocks) t = blk.forward(t, context, ip, h, wd);
        if (linear) {
            t = Ops.linear(t, w, "proj_out");
            t = t.reshape(b, h, wd, c).transpose(0, 3, 1, 2);
        } else {
            t = t.reshape(b, h, wd, t.getShape().get(2)).transpose(0, 3, 1, 2);
            t = Ops.conv2d(t, w, "proj_out", 1);
        }
        return t.add(x);
    }
}
