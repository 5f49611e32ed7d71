package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

/**
 * diffusers' {@code BasicTransformerBlock} as SDXL uses it: LayerNorm → self-attention
 * ({@code attn1}), LayerNorm → cross-attention ({@code attn2}, the only place text and ID tokens
 * enter), LayerNorm → GEGLU feed-forward ({@code ff.net.0.proj}, {@code ff.net.2}); each with a
 * residual.
 */
final class TransformerBlock {

    private static final float LN_EPS = 1e-5f;

    private final Weights w;
    private final Attention attn1;
    private final Attention attn2;

    TransformerBlock(Weights w, int heads, String module) {
        this.w = w;
        this.attn1 = new Attention(w.sub("attn1."), heads, module);
        this.attn2 = new Attention(w.sub("attn2."), heads, module);
    }

    NDArray forward(NDArray x, NDArray context, IpContext ip, long h, long wd) {
        return instantid.tensor.Scope.run(() -> forwardIn(x, context, ip, h, wd));
    }

    private NDArray forwardIn(NDArray x, NDArray context, IpContext ip, long h, long wd) {
        x = x.add(attn1.forward(Ops.layerNorm(x, w, "norm1", LN_EPS), null, null, h, wd));
        x = x.add(attn2.forward(Ops.layerNorm(x, w, "norm2", LN_EPS), context, ip, h, wd));
        NDArray f = Ops.geglu(Ops.linear(Ops.layerNorm(x, w, "norm3", LN_EPS), w, "ff.net.0.proj"));
        return x.add(Ops.linear(f, w, "ff.net.2"));
    }
}
