package instantid.nn;

import ai.djl.ndarray.NDArray;

/**
 * One identity's IP-adapter input to the UNet's cross-attention: its ID tokens
 * ({@code [B, n, cross_attention_dim]}, the Resampler's output; with classifier-free guidance the
 * unconditional rows are the Resampler's output for a zero embedding), its scale, and an optional
 * region where it acts.
 *
 * @param tokens     [B, n, C] ID tokens
 * @param scale      IP scale; 0 switches the identity off exactly (its attention is not computed)
 * @param regionMask null (everywhere), or a soft mask in 0..1 shaped [H, W], [B, H, W], [B, 1, H, W]
 *                   at any resolution, or [B, h*w] flattened at the UNet input's latent resolution;
 *                   resized (area average) to each attention layer's resolution and multiplied
 *                   into this identity's IP attention output. Overlaps are the caller's rule
 *                   (e.g. masks normalised to sum to at most 1 per pixel).
 * @param nearestMask the mask is sampled, not averaged, at each layer's resolution: the value at
 *                   the top-left pixel of each cell, as torch's {@code F.interpolate(mode='nearest')}
 *                   in InstantID's region control ("enhance non-face region")
 */
public record IpIdentity(NDArray tokens, float scale, NDArray regionMask, boolean nearestMask) {

    public IpIdentity {
        if (tokens == null || tokens.getShape().dimension() != 3) {
            throw new IllegalArgumentException("IP tokens must be [batch, tokens, channels], got "
                    + (tokens == null ? "null" : tokens.getShape()));
        }
        if (!Float.isFinite(scale)) throw new IllegalArgumentException("IP scale must be finite, got " + scale);
    }

    public IpIdentity(NDArray tokens, float scale, NDArray regionMask) {
        this(tokens, scale, regionMask, false);
    }

    public IpIdentity(NDArray tokens, float scale) {
        this(tokens, scale, null);
    }

    public IpIdentity withMask(NDArray mask) {
        return new IpIdentity(tokens, scale, mask, nearestMask);
    }
}
