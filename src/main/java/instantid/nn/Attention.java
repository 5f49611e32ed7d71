package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Interpolate;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

/**
 * diffusers' {@code Attention} ({@code to_q}, {@code to_k}, {@code to_v}, {@code to_out.0}) for
 * self- and cross-attention, with InstantID's decoupled IP path when this module has
 * {@code to_k_ip} / {@code to_v_ip} weights and the call brings an {@link IpContext}:
 *
 * <pre>out = to_out( attn(q, k_text, v_text) + Σ_k s_k · b(module) · mask_k ⊙ attn(q, to_k_ip(ip_k), to_v_ip(ip_k))
 *                                    + Σ_a s_a · b_a(module) · attn(q, to_k_ip_a(img_a), to_v_ip_a(img_a)) )</pre>
 *
 * where the second sum runs over image-prompt adapters ({@link IpImageTokens}: a style or
 * reference image), each with its own projections found under this module's full name in the
 * adapter's weights. An identity or adapter whose effective scale is 0 is skipped, so the result is then exactly the plain
 * attention. Score memory stays bounded through {@link Ops#attention}.
 */
public final class Attention {

    private final Weights w;
    private final int heads;
    private final String module;

    /**
     * @param w      this attention's weights ({@code ...attn2.})
     * @param heads  number of heads
     * @param module the enclosing transformer's module name, the key of {@link BlockScales}
     */
    public Attention(Weights w, int heads, String module) {
        this.w = w;
        this.heads = heads;
        this.module = module;
    }

    /** Has a decoupled IP key/value path (weights mapped from ip-adapter.bin). */
    public boolean hasIp() {
        return w.has("to_k_ip.weight");
    }

    /**
     * @param x       [B, N, C] queries' source
     * @param context [B, M, Cc] keys' source, or null for self-attention
     * @param ip      IP identities (null or ignored when this module has no IP weights)
     * @param h       height of this layer's latent grid (N = h*w), for region masks
     * @param wd      width of this layer's latent grid
     */
    public NDArray forward(NDArray x, NDArray context, IpContext ip, long h, long wd) {
        return instantid.tensor.Scope.run(() -> forwardIn(x, context, ip, h, wd));
    }

    private NDArray forwardIn(NDArray x, NDArray context, IpContext ip, long h, long wd) {
        NDArray ctx = context == null ? x : context;
        NDArray q = Ops.linear(x, w, "to_q");
        NDArray out = Ops.attention(q, Ops.linear(ctx, w, "to_k"), Ops.linear(ctx, w, "to_v"), heads, null);
        NDArray text = out;
        if (ip != null && context != null && hasIp()) {
            float block = ip.blockScales().scale(module);
            NDArray ipSum = null;
            for (IpIdentity id : ip.identities()) {
                float s = id.scale() * block;
                if (s == 0f) continue;
                NDArray tokens = id.tokens().toType(q.getDataType(), false);
                NDArray a = Ops.attention(q, Ops.linear(tokens, w, "to_k_ip"), Ops.linear(tokens, w, "to_v_ip"), heads, null);
                if (id.regionMask() != null) {
                    a = a.mul(regionAt(id.regionMask(), h, wd, id.nearestMask()).toType(a.getDataType(), false));
                }
                NDArray part = a.mul(s);
                if (ip.recorder() != null) ipSum = ipSum == null ? part : ipSum.add(part);
                out = out.add(part); // added one by one, as before: the recorder changes no number
            }
            if (ip.recorder() != null) ip.recorder().record(module, text, ipSum, h, wd);
        }
        if (ip != null && context != null) {
            for (IpImageTokens img : ip.images()) {
                float s = img.scale() * img.blockScales().scale(module);
                Weights lw = img.layers().sub(w.prefix());
                if (s == 0f || !lw.has("to_k_ip.weight")) continue;
                NDArray tokens = img.tokens().toType(q.getDataType(), false);
                out = out.add(Ops.attention(q, Ops.linear(tokens, lw, "to_k_ip"), Ops.linear(tokens, lw, "to_v_ip"), heads, null).mul(s));
            }
        }
        return Ops.linear(out, w, "to_out.0");
    }

    /**
     * A [b, 1, H, W] mask resized to the layer's {@code h x w} as [b, h*w, 1]: by area averaging
     * (exact block means when the sizes divide, so a constant mask stays exactly constant), or with
     * {@code nearest} by torch's nearest sampling (cell (i, j) takes pixel (floor(i H/h), floor(j W/w))).
     */
    static NDArray regionAt(NDArray mask4, long h, long w, boolean nearest) {
        Shape s = mask4.getShape();
        NDArray m = s.get(2) == h && s.get(3) == w ? mask4
                : (nearest ? Interpolate.NEAREST : Interpolate.AREA).apply(mask4, new long[] {h, w});
        return m.reshape(s.get(0), h * w, 1);
    }
}
