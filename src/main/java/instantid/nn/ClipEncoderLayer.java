package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

/**
 * One transformers {@code CLIPEncoderLayer}, shared by the text and the vision tower: pre-LayerNorm
 * self-attention ({@code self_attn.q/k/v/out_proj}) and MLP ({@code mlp.fc1}, activation,
 * {@code mlp.fc2}), each with a residual. The text tower passes a causal mask, the vision tower none.
 */
final class ClipEncoderLayer {

    private ClipEncoderLayer() {
    }

    /**
     * @param x         [B, N, C]
     * @param lw        the layer's weights ({@code encoder.layers.N.})
     * @param heads     attention heads
     * @param hiddenAct "gelu" (exact erf) or "quick_gelu"
     * @param eps       LayerNorm epsilon
     * @param mask      additive attention bias, or null
     */
    static NDArray forward(NDArray x, Weights lw, int heads, String hiddenAct, float eps, NDArray mask) {
        NDArray h = Ops.layerNorm(x, lw, "layer_norm1", eps);
        NDArray q = Ops.linear(h, lw, "self_attn.q_proj");
        NDArray k = Ops.linear(h, lw, "self_attn.k_proj");
        NDArray v = Ops.linear(h, lw, "self_attn.v_proj");
        NDArray a = Ops.attention(q, k, v, heads, mask);
        x = x.add(Ops.linear(a, lw, "self_attn.out_proj"));
        h = Ops.layerNorm(x, lw, "layer_norm2", eps);
        h = Ops.linear(h, lw, "mlp.fc1");
        h = hiddenAct.equals("gelu") ? Ops.gelu(h) : Ops.quickGelu(h);
        return x.add(Ops.linear(h, lw, "mlp.fc2"));
    }
}
