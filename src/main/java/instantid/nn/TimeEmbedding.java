package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

/**
 * The UNet's conditioning vector: the sinusoidal timestep embedding through
 * {@code time_embedding.linear_1/linear_2}, plus (SDXL {@code text_time}) the sinusoids of the six
 * time ids concatenated after the pooled text embedding through {@code add_embedding}.
 */
final class TimeEmbedding {

    private final Weights w;
    private final UNetConfig c;

    TimeEmbedding(Weights w, UNetConfig c) {
        this.w = w;
        this.c = c;
    }

    /**
     * diffusers' {@code get_timestep_embedding}: {@code exp(-ln(10000) * i / (half - shift))} for
     * i < half, t times that, [sin, cos] ([cos, sin] when flipped); float32. {@code t} is [N].
     */
    static NDArray sinusoid(NDArray t, int dim, boolean flipSinToCos, int shift) {
        NDManager m = t.getManager();
        int half = dim / 2;
        NDArray freqs = m.arange(0f, (float) half, 1f, DataType.FLOAT32)
                .mul((float) -Math.log(10000)).div((float) (half - shift)).exp();
        NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs.reshape(1, half));
        NDArray sin = args.sin(), cos = args.cos();
        NDArray emb = flipSinToCos ? cos.concat(sin, 1) : sin.concat(cos, 1);
        if (dim % 2 == 1) emb = emb.concat(m.zeros(new ai.djl.ndarray.types.Shape(emb.getShape().get(0), 1)), 1);
        return emb;
    }

    /**
     * @param timestep   scalar, [1] or [B]
     * @param batch      B
     * @param textEmbeds [B, D] pooled text embedding (null when the model has no add_embedding)
     * @param timeIds    [B, 6] (original size, crop top-left, target size)
     * @param dtype      compute dtype of the result
     */
    NDArray forward(NDArray timestep, long batch, NDArray textEmbeds, NDArray timeIds, DataType dtype) {
        NDArray t = timestep.reshape(-1);
        if (t.getShape().get(0) == 1 && batch > 1) t = t.broadcast(batch);
        else if (t.getShape().get(0) != batch) {
            throw new IllegalArgumentException("timestep has " + t.getShape().get(0) + " values for a batch of " + batch);
        }
        NDArray emb = sinusoid(t, c.timeProjDim(), c.flipSinToCos(), c.freqShift()).toType(dtype, false);
        emb = Ops.linear(Ops.silu(Ops.linear(emb, w, "time_embedding.linear_1")), w, "time_embedding.linear_2");
        if (w.has("add_embedding.linear_1.weight")) {
            if (textEmbeds == null || timeIds == null) {
                throw new IllegalArgumentException("this SDXL UNet needs text_embeds (pooled) and time_ids");
            }
            NDArray ids = sinusoid(timeIds.reshape(-1), c.additionTimeEmbedDim(), c.flipSinToCos(), c.freqShift())
                    .reshape(batch, -1);
            NDArray add = textEmbeds.toType(DataType.FLOAT32, false).concat(ids, 1);
            long expect = w.shape("add_embedding.linear_1.weight").get(1);
            if (add.getShape().get(1) != expect) {
                throw new IllegalArgumentException("text_embeds " + textEmbeds.getShape() + " + time_ids "
                        + timeIds.getShape() + " give " + add.getShape().get(1) + " values; add_embedding expects "
                        + expect + " (check addition_time_embed_dim)");
            }
            add = add.toType(dtype, false);
            emb = emb.add(Ops.linear(Ops.silu(Ops.linear(add, w, "add_embedding.linear_1")), w, "add_embedding.linear_2"));
        }
        return emb;
    }

}
