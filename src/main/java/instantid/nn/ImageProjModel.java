package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Ops;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

/**
 * IP-Adapter's plain {@code ImageProjModel} (ip-adapter_sdxl, ip-adapter_sd15): the CLIP
 * {@code image_embeds} through one Linear ({@code proj}) to {@code tokens x cross_attention_dim},
 * reshaped to tokens and LayerNormed ({@code norm}). The number of tokens is read from the shapes
 * (proj's output width / norm's width: 4 in the published files). Names without the
 * {@code image_proj.} prefix.
 */
public final class ImageProjModel {

    private static final float EPS = 1e-5f;

    private final Weights w;
    private final int clipDim;
    private final int crossDim;
    private final int tokens;

    public ImageProjModel(Weights w) {
        if (!w.has("proj.weight") || !w.has("norm.weight")) {
            throw new IllegalArgumentException("not an IP-Adapter ImageProjModel: no 'proj.weight' / 'norm.weight'"
                    + " (IP-Adapter Plus files hold a Resampler instead)");
        }
        this.w = w;
        long[] proj = w.shape("proj.weight").getShape();
        this.crossDim = (int) w.shape("norm.weight").get(0);
        this.clipDim = (int) proj[1];
        if (proj[0] % crossDim != 0) {
            throw new IllegalArgumentException("ImageProjModel: proj's width " + proj[0] + " is not a multiple of norm's " + crossDim);
        }
        this.tokens = (int) (proj[0] / crossDim);
    }

    /** Width of the image embeddings it takes (the image encoder's projection_dim). */
    public int clipEmbeddingsDim() {
        return clipDim;
    }

    public int crossAttentionDim() {
        return crossDim;
    }

    public int tokens() {
        return tokens;
    }

    /** [B, clip_dim] image embeds → [B, tokens, cross_attention_dim] IP tokens, on the input's manager. */
    public NDArray forward(NDArray imageEmbeds) {
        Shape s = imageEmbeds.getShape();
        if (s.dimension() != 2 || s.get(1) != clipDim) {
            throw new IllegalArgumentException("ImageProjModel input must be [batch, " + clipDim + "], got " + s);
        }
        return Scope.run(() -> {
            NDArray p = Ops.linear(imageEmbeds.toType(w.dtype(), false), w, "proj").reshape(s.get(0), tokens, crossDim);
            return Ops.layerNorm(p, w, "norm", EPS);
        });
    }
}
