package instantid.nn;

import com.google.gson.JsonObject;
import instantid.tensor.Weights;

/**
 * The shape of InstantID's image-projection {@code Resampler} (IP-Adapter's perceiver resampler):
 * {@code numQueries} learned queries of width {@code dim}, {@code depth} blocks of perceiver
 * attention ({@code heads} x {@code dimHead}) and feed-forward ({@code ffMult} x dim), an input
 * projection from {@code embeddingDim} and an output projection to {@code outputDim}.
 * The published one: dim 1280, depth 4, 20 heads of 64, 16 queries, 512 → 2048, ff_mult 4.
 */
public record ResamplerConfig(int dim, int depth, int dimHead, int heads, int numQueries, int embeddingDim,
                              int outputDim, int ffMult) {

    public ResamplerConfig {
        if (dim <= 0 || depth <= 0 || dimHead <= 0 || heads <= 0 || numQueries <= 0 || embeddingDim <= 0 || outputDim <= 0) {
            throw new IllegalArgumentException("Resampler config has a non-positive size: " + dim + "/" + depth + "/"
                    + dimHead + "/" + heads + "/" + numQueries + "/" + embeddingDim + "/" + outputDim);
        }
    }

    /** From a config object with the constructor's argument names (dim, depth, dim_head, heads, ...). */
    public static ResamplerConfig fromJson(JsonObject c, Weights w) {
        ResamplerConfig d = w != null ? fromWeights(w) : new ResamplerConfig(1280, 4, 64, 20, 16, 512, 2048, 4);
        return new ResamplerConfig(ClipTextConfig.integer(c, "dim", d.dim), ClipTextConfig.integer(c, "depth", d.depth),
                ClipTextConfig.integer(c, "dim_head", d.dimHead), ClipTextConfig.integer(c, "heads", d.heads),
                ClipTextConfig.integer(c, "num_queries", d.numQueries), ClipTextConfig.integer(c, "embedding_dim", d.embeddingDim),
                ClipTextConfig.integer(c, "output_dim", d.outputDim), ClipTextConfig.integer(c, "ff_mult", d.ffMult));
    }

    /**
     * Derived from the shapes of {@code ip-adapter.bin}'s {@code image_proj} part. The split of the
     * attention width into heads is not in the shapes: heads of 64, as InstantID's (the one
     * value the published model and IP-Adapter's resamplers use), unless the width is smaller.
     */
    public static ResamplerConfig fromWeights(Weights w) {
        if (!w.has("latents") || !w.has("proj_in.weight")) {
            throw new IllegalArgumentException("not Resampler weights (ip-adapter.bin#image_proj): no 'latents' / 'proj_in.weight'");
        }
        long[] lat = w.shape("latents").getShape();
        long[] in = w.shape("proj_in.weight").getShape();
        long[] out = w.shape("proj_out.weight").getShape();
        int depth = 0;
        while (w.has("layers." + depth + ".0.to_q.weight")) depth++;
        int inner = depth > 0 ? (int) w.shape("layers.0.0.to_q.weight").get(0) : (int) lat[2];
        int dimHead = Math.min(64, inner);
        int ff = depth > 0 ? (int) (w.shape("layers.0.1.1.weight").get(0) / lat[2]) : 4;
        return new ResamplerConfig((int) lat[2], Math.max(depth, 1), dimHead, Math.max(1, inner / dimHead), (int) lat[1],
                (int) in[1], (int) out[0], ff);
    }
}
