package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

import java.util.List;

/**
 * The IP-adapter input of one UNet call: the identities whose ID tokens enter every
 * cross-attention through {@code to_k_ip} / {@code to_v_ip}, and the per-block multiplier. In a
 * layer whose module is {@code m}, identity k adds
 * {@code scale_k * blockScales(m) * mask_k ⊙ attention(q, to_k_ip(tokens_k), to_v_ip(tokens_k))}
 * to the text attention (before {@code to_out}), as InstantID's {@code IPAttnProcessor}. Image-prompt
 * adapters ({@link IpImageTokens}: a style or reference image) add their own term with their own
 * projections, scale and block scales, so InstantID and a style act in one call.
 */
public record IpContext(List<IpIdentity> identities, BlockScales blockScales, List<IpImageTokens> images,
                        IpRecorder recorder) {

    public IpContext {
        identities = List.copyOf(identities);
        if (blockScales == null) blockScales = BlockScales.UNIFORM;
        images = images == null ? List.of() : List.copyOf(images);
    }

    public IpContext(List<IpIdentity> identities, BlockScales blockScales, List<IpImageTokens> images) {
        this(identities, blockScales, images, null);
    }

    public IpContext(List<IpIdentity> identities, BlockScales blockScales) {
        this(identities, blockScales, List.of());
    }

    /** The same context, with every IP layer reporting its text and identity parts to {@code r} (null: none). */
    public IpContext withRecorder(IpRecorder r) {
        return new IpContext(identities, blockScales, images, r);
    }

    public IpContext(List<IpIdentity> identities) {
        this(identities, BlockScales.UNIFORM);
    }

    /** The same identities with image-prompt adapters' tokens (style, reference) beside them. */
    public IpContext withImages(List<IpImageTokens> imageTokens) {
        return new IpContext(identities, blockScales, imageTokens, recorder);
    }

    /** One identity everywhere at {@code scale} (the InstantID pipeline). */
    public static IpContext single(NDArray tokens, float scale) {
        return new IpContext(List.of(new IpIdentity(tokens, scale)));
    }

    public IpContext withBlockScales(BlockScales s) {
        return new IpContext(identities, s, images, recorder);
    }

    /**
     * The reference pipeline's layout: {@code encoderHiddenStates} = [text tokens ; last
     * {@code numTokens} ID tokens]. Returns the text part; {@code ip} receives one identity with
     * the ID part at {@code scale}.
     */
    public static Split split(NDArray encoderHiddenStates, int numTokens, float scale) {
        long n = encoderHiddenStates.getShape().get(1);
        if (numTokens <= 0 || numTokens >= n) {
            throw new IllegalArgumentException("cannot take " + numTokens + " IP tokens from a context of " + n + " tokens");
        }
        NDArray text = encoderHiddenStates.get(new NDIndex(":, :{}, :", n - numTokens));
        NDArray ip = encoderHiddenStates.get(new NDIndex(":, {}:, :", n - numTokens));
        return new Split(text, single(ip, scale));
    }

    /**
     * The same context with every region mask as a float32 [b, 1, H, W] image: [H, W], [b, H, W] and
     * [b, 1, H, W] keep their own resolution; [b, h*w] is read at the UNet input's latent size
     * {@code latentH x latentW}.
     */
    IpContext masksAsImages(long latentH, long latentW) {
        java.util.List<IpIdentity> out = new java.util.ArrayList<>();
        for (IpIdentity id : identities) {
            NDArray m = id.regionMask();
            if (m == null) {
                out.add(id);
                continue;
            }
            long[] s = m.getShape().getShape();
            NDArray img;
            if (s.length == 2 && s[1] == latentH * latentW && !(s[0] == latentH && s[1] == latentW)) {
                img = m.reshape(s[0], 1, latentH, latentW);
            } else if (s.length == 2) {
                img = m.reshape(1, 1, s[0], s[1]);
            } else if (s.length == 3) {
                img = m.expandDims(1);
            } else if (s.length == 4 && s[1] == 1) {
                img = m;
            } else {
                throw new IllegalArgumentException("region mask must be [H, W], [B, H, W], [B, 1, H, W] or [B, "
                        + latentH * latentW + "], got " + m.getShape());
            }
            long b = img.getShape().get(0), tb = id.tokens().getShape().get(0);
            if (b != 1 && b != tb) {
                throw new IllegalArgumentException("region mask batch " + b + " matches neither 1 nor the tokens' batch " + tb);
            }
            out.add(id.withMask(img.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)));
        }
        return new IpContext(out, blockScales, images, recorder);
    }

    /** Text context and IP context taken apart from one concatenated context. */
    public record Split(NDArray text, IpContext ip) {
    }
}
