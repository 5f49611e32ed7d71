package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Weights;

/**
 * One image-prompt adapter's input to the UNet's cross-attention, beside InstantID's identities
 * (IP-Adapter SDXL / Plus: a style or reference image's tokens). It has its own key/value
 * projections ({@code layers}: the adapter's {@code to_k_ip}/{@code to_v_ip} under the UNet's
 * internal names, {@code down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k_ip.weight}),
 * its own scale and its own per-block scales. In module {@code m} it adds
 * {@code scale * blockScales(m) * attention(q, to_k_ip(tokens), to_v_ip(tokens))} to the text
 * attention before {@code to_out}.
 *
 * @param tokens      [B, n, C] image tokens (with guidance: [unconditional ; conditional])
 * @param scale       0 switches the adapter off exactly (its attention is not computed)
 * @param blockScales per-module multipliers (null: every block at 1)
 * @param layers      the adapter's IP key/value weights by internal name
 */
public record IpImageTokens(NDArray tokens, float scale, BlockScales blockScales, Weights layers) {

    public IpImageTokens {
        if (tokens == null || tokens.getShape().dimension() != 3) {
            throw new IllegalArgumentException("image tokens must be [batch, tokens, channels], got "
                    + (tokens == null ? "null" : tokens.getShape()));
        }
        if (!Float.isFinite(scale)) throw new IllegalArgumentException("image prompt scale must be finite, got " + scale);
        if (layers == null) throw new IllegalArgumentException("image tokens need the adapter's to_k_ip/to_v_ip weights");
        if (blockScales == null) blockScales = BlockScales.UNIFORM;
    }
}
