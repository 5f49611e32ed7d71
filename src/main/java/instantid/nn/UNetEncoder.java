package instantid.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import instantid.tensor.Ops;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder half shared by {@link UNet} and {@link ControlNet} (IdentityNet): time and added
 * embeddings, {@code conv_in}, the down blocks and the mid block, under diffusers' names. Both
 * networks' weight files use the same names for these parts, so one class serves both.
 */
public final class UNetEncoder {

    private final Weights w;
    private final UNetConfig config;
    private final TimeEmbedding time;
    private final List<DownBlock> down = new ArrayList<>();
    private final MidBlock mid;

    public UNetEncoder(Weights w, UNetConfig config) {
        this.w = w;
        this.config = config;
        this.time = new TimeEmbedding(w, config);
        for (int i = 0; i < config.numBlocks(); i++) {
            down.add(new DownBlock(w.sub("down_blocks." + i + "."), "down_blocks." + i, config, i));
        }
        this.mid = config.midCrossAttn() ? new MidBlock(w.sub("mid_block."), config) : null;
    }

    public UNetConfig config() {
        return config;
    }

    /** The conditioning vector [B, 4*C0] (see {@link TimeEmbedding#forward}). */
    public NDArray embedding(NDArray timestep, long batch, NDArray textEmbeds, NDArray timeIds) {
        return time.forward(timestep, batch, textEmbeds, timeIds, w.dtype());
    }

    /** {@code conv_in} on the latent, converted to the compute dtype first. */
    public NDArray convIn(NDArray sample) {
        if (sample.getShape().dimension() != 4 || sample.getShape().get(1) != config.inChannels()) {
            throw new IllegalArgumentException("sample must be [B, " + config.inChannels() + ", H, W], got " + sample.getShape());
        }
        return Ops.conv2d(sample.toType(w.dtype(), false), w, "conv_in", 1);
    }

    /**
     * The down blocks on {@code h} (conv_in's output): returns every skip state, the first being
     * {@code h} itself and the last the input of the mid block (diffusers' down_block_res_samples).
     */
    public List<NDArray> down(NDArray h, NDArray emb, NDArray context, IpContext ip) {
        List<NDArray> skips = new ArrayList<>();
        skips.add(h);
        for (DownBlock b : down) h = b.forward(h, emb, context, ip, skips);
        return skips;
    }

    /** The mid block (identity when the config has none). */
    public NDArray mid(NDArray h, NDArray emb, NDArray context, IpContext ip) {
        return mid == null ? h : mid.forward(h, emb, context, ip);
    }

    /** Context tokens in the compute dtype. */
    NDArray context(NDArray encoderHiddenStates) {
        DataType dt = w.dtype();
        return encoderHiddenStates == null ? null : encoderHiddenStates.toType(dt, false);
    }
}
