package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import instantid.tensor.Ops;
import instantid.tensor.Scope;
import instantid.tensor.Weights;

/**
 * InstantID's {@code Resampler} (ip_adapter/resampler.py): learned queries attend to the projected
 * face embedding (perceiver attention: keys and values over the embedding tokens and the queries
 * themselves), then a feed-forward, {@code depth} times, each with a residual; then proj_out and
 * norm_out. Names as {@code ip-adapter.bin#image_proj}: {@code latents}, {@code proj_in},
 * {@code layers.N.0.{norm1,norm2,to_q,to_kv,to_out}}, {@code layers.N.1.{0,1,3}}, {@code proj_out},
 * {@code norm_out}.
 */
public final class Resampler {

    private static final float EPS = 1e-5f;

    private final ResamplerConfig cfg;
    private final Weights w;

    public Resampler(ResamplerConfig cfg, Weights w) {
        this.cfg = cfg;
        this.w = w;
        long inner = w.shape("layers.0.0.to_q.weight").get(0);
        if (inner != (long) cfg.heads() * cfg.dimHead()) {
            throw new IllegalArgumentException("Resampler: heads " + cfg.heads() + " x dim_head " + cfg.dimHead()
                    + " does not match to_q's width " + inner);
        }
    }

    public static Resampler fromWeights(Weights w) {
        return new Resampler(ResamplerConfig.fromWeights(w), w);
    }

    public ResamplerConfig config() {
        return cfg;
    }

    /**
     * Face embeddings [B, N, embedding_dim] (InstantID: [B, 1, 512], the raw ArcFace embedding) →
     * ID tokens [B, num_queries, output_dim] in the weights' dtype, on the input's manager.
     */
    public NDArray forward(NDArray idEmbeds) {
        Shape s = idEmbeds.getShape();
        if (s.dimension() == 2) idEmbeds = idEmbeds.expandDims(1);
        s = idEmbeds.getShape();
        if (s.dimension() != 3 || s.get(2) != cfg.embeddingDim()) {
            throw new IllegalArgumentException("Resampler input must be [batch, tokens, " + cfg.embeddingDim() + "], got " + s);
        }
        NDManager owner = idEmbeds.getManager();
        try (Scope scope = new Scope()) {
            NDArray x = Ops.linear(idEmbeds.toType(w.dtype(), false), w, "proj_in");
            NDArray lat = w.get("latents").broadcast(s.get(0), cfg.numQueries(), cfg.dim()).duplicate();
            lat.attach(owner);
            for (int i = 0; i < cfg.depth(); i++) {
                Weights l = w.sub("layers." + i + ".");
                lat = perceiverAttention(x, lat, l.sub("0.")).add(lat);
                lat = feedForward(lat, l.sub("1.")).add(lat);
            }
            NDArray out = Ops.layerNorm(Ops.linear(lat, w, "proj_out"), w, "norm_out", EPS);
            out.attach(owner);
            return scope.keep(out);
        }
    }

    /**
     * Queries from the normed latents; keys / values from [normed x ; normed latents]. Both q and k
     * are scaled by dim_head^-1/4 before the product (as the reference, stable in fp16) and the
     * softmax runs in float32.
     */
    private NDArray perceiverAttention(NDArray x, NDArray latents, Weights a) {
        NDArray xn = Ops.layerNorm(x, a, "norm1", EPS);
        NDArray ln = Ops.layerNorm(latents, a, "norm2", EPS);
        long b = ln.getShape().get(0), l = ln.getShape().get(1);
        int h = cfg.heads(), d = cfg.dimHead();
        NDArray q = Ops.linear(ln, a, "to_q");
        NDArray kv = Ops.linear(xn.concat(ln, 1), a, "to_kv");
        long n = kv.getShape().get(1), inner = (long) h * d;
        NDArray k = kv.get(":, :, :{}", inner);
        NDArray v = kv.get(":, :, {}:", inner);
        float scale = (float) (1.0 / Math.sqrt(Math.sqrt(d)));
        NDArray qh = q.reshape(b, l, h, d).transpose(0, 2, 1, 3).mul(scale);
        NDArray kh = k.reshape(b, n, h, d).transpose(0, 2, 3, 1).mul(scale);
        NDArray vh = v.reshape(b, n, h, d).transpose(0, 2, 1, 3);
        NDArray weight = qh.matMul(kh);
        DataType dt = weight.getDataType();
        weight = dt == DataType.FLOAT32 ? weight.softmax(-1) : weight.toType(DataType.FLOAT32, false).softmax(-1).toType(dt, false);
        NDArray o = weight.matMul(vh).transpose(0, 2, 1, 3).reshape(b, l, inner);
        return Ops.linear(o, a, "to_out");
    }

    /** LayerNorm, Linear (no bias), GELU, Linear (no bias): Sequential indices 0, 1, 3. */
    private static NDArray feedForward(NDArray x, Weights f) {
        NDArray h = Ops.layerNorm(x, f, "0", EPS);
        h = Ops.gelu(Ops.linear(h, f, "1"));
        return Ops.linear(h, f, "3");
    }
}
