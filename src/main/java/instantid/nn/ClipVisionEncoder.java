package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Ops;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

/**
 * transformers' {@code CLIPVisionModelWithProjection}: patch embedding (a conv of stride = kernel =
 * patch size, no bias), class token, position embeddings, {@code pre_layrnorm} (sic), the encoder
 * layers ({@link ClipEncoderLayer}, shared with the text tower, no mask), {@code post_layernorm} on
 * the class token and {@code visual_projection} (no bias). Parameter names are transformers'
 * ({@code vision_model.encoder.layers.N...}, {@code visual_projection.weight}); the int64
 * {@code vision_model.embeddings.position_ids} buffer older files carry is not a parameter and is
 * never read. Weights are held in their file's precision (see {@link Weights}).
 */
public final class ClipVisionEncoder {

    /**
     * One forward's results; arrays belong to the manager of the pixel values.
     *
     * @param hidden0     [B, T, C] the embeddings after pre_layrnorm ({@code hidden_states[0]})
     * @param penultimate [B, T, C] output of the next-to-last layer ({@code hidden_states[-2]}, IP-Adapter Plus' input)
     * @param lastHidden  [B, T, C] output of the last layer, no post_layernorm ({@code last_hidden_state})
     * @param pooled      [B, C] post_layernorm of the class token ({@code pooler_output})
     * @param imageEmbeds [B, P] {@code visual_projection(pooled)} (the plain IP-Adapter's input)
     */
    public record Output(NDArray hidden0, NDArray penultimate, NDArray lastHidden, NDArray pooled, NDArray imageEmbeds)
            implements AutoCloseable {
        @Override
        public void close() {
            hidden0.close();
            penultimate.close();
            lastHidden.close();
            pooled.close();
            imageEmbeds.close();
        }
    }

    private final ClipVisionConfig cfg;
    private final Weights w;
    private final Weights vm;

    public ClipVisionEncoder(ClipVisionConfig cfg, Weights w) {
        this.cfg = cfg;
        this.w = w;
        this.vm = w.sub("vision_model.");
        check("embeddings.patch_embedding.weight", cfg.hiddenSize(), cfg.channels(), cfg.patchSize(), cfg.patchSize());
        check("embeddings.position_embedding.weight", cfg.positions(), cfg.hiddenSize());
        check("embeddings.class_embedding", cfg.hiddenSize());
        if (!vm.has("encoder.layers." + (cfg.layers() - 1) + ".self_attn.q_proj.weight")) {
            throw new IllegalArgumentException("CLIP vision encoder: config says " + cfg.layers()
                    + " layers but the weights have no vision_model.encoder.layers." + (cfg.layers() - 1));
        }
        if (!w.has("visual_projection.weight") || w.shape("visual_projection.weight").get(0) != cfg.projectionDim()) {
            throw new IllegalArgumentException("CLIP vision encoder: visual_projection.weight is missing or not "
                    + cfg.projectionDim() + " wide (a CLIPVisionModelWithProjection is needed)");
        }
    }

    private void check(String name, long... shape) {
        if (!vm.has(name)) throw new IllegalArgumentException("CLIP vision encoder: weight 'vision_model." + name + "' is missing");
        Shape s = vm.shape(name);
        if (!s.equals(new Shape(shape))) {
            throw new IllegalArgumentException("CLIP vision encoder: vision_model." + name + " is " + s + ", the config says "
                    + new Shape(shape));
        }
    }

    public ClipVisionConfig config() {
        return cfg;
    }

    public Weights weights() {
        return w;
    }

    /** Encodes pixel values [B, 3, S, S] (CLIPImageProcessor's output, S = image_size). */
    public Output encode(NDArray pixelValues) {
        Shape s = pixelValues.getShape();
        if (s.dimension() != 4 || s.get(1) != cfg.channels() || s.get(2) != cfg.imageSize() || s.get(3) != cfg.imageSize()) {
            throw new IllegalArgumentException("CLIP vision encoder: pixel values must be [batch, " + cfg.channels() + ", "
                    + cfg.imageSize() + ", " + cfg.imageSize() + "], got " + s);
        }
        long b = s.get(0);
        int c = cfg.hiddenSize();
        float eps = cfg.layerNormEps();
        try (Scope scope = new Scope()) {
            NDArray px = pixelValues.toType(w.dtype(), false);
            NDArray patches = Ops.conv2d(px, vm.get("embeddings.patch_embedding.weight"), null, cfg.patchSize(), 0);
            patches = patches.reshape(b, c, -1).transpose(0, 2, 1);
            NDArray cls = vm.get("embeddings.class_embedding").reshape(1, 1, c).broadcast(b, 1, c);
            NDArray h = cls.concat(patches, 1).add(vm.get("embeddings.position_embedding.weight").expandDims(0));
            NDArray h0 = Ops.layerNorm(h, vm, "pre_layrnorm", eps);
            h = h0;
            NDArray penultimate = null;
            for (int i = 0; i < cfg.layers(); i++) {
                h = ClipEncoderLayer.forward(h, vm.sub("encoder.layers." + i + "."), cfg.heads(), cfg.hiddenAct(), eps, null);
                if (i == cfg.layers() - 2) penultimate = h;
            }
            NDArray pooled = Ops.layerNorm(h.get(new NDIndex(":, 0, :")), vm, "post_layernorm", eps);
            NDArray embeds = Ops.linear(pooled, w, "visual_projection");
            return new Output(scope.keep(h0), scope.keep(penultimate), scope.keep(h), scope.keep(pooled), scope.keep(embeds));
        }
    }
}
