package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code DownBlock2D} / {@code CrossAttnDownBlock2D}: resnets, each followed by a
 * {@link Transformer2D} in the cross-attention variant, then a stride-2 conv downsampler except in
 * the last block. Every resnet(+attention) output and the downsampler's output is a skip state.
 */
final class DownBlock {

    private final List<ResnetBlock> resnets = new ArrayList<>();
    private final List<Transformer2D> attentions = new ArrayList<>();
    private final Weights down;

    DownBlock(Weights w, String module, UNetConfig c, int i) {
        boolean attn = c.downHasAttention(i);
        for (int j = 0; j < c.downLayers().get(i); j++) {
            resnets.add(new ResnetBlock(w.sub("resnets." + j + "."), c.normGroups(), c.normEps()));
            if (attn) {
                attentions.add(new Transformer2D(w.sub("attentions." + j + "."), module + ".attentions." + j,
                        c.downHeads().get(i), c.downTransformers().get(i), c.normGroups(), c.useLinearProjection()));
            }
        }
        down = w.has("downsamplers.0.conv.weight") ? w.sub("downsamplers.0.") : null;
    }

    /** Runs the block on {@code x}, appending its skip states to {@code skips}; returns the output. */
    NDArray forward(NDArray x, NDArray temb, NDArray context, IpContext ip, List<NDArray> skips) {
        for (int j = 0; j < resnets.size(); j++) {
            x = resnets.get(j).forward(x, temb);
            if (!attentions.isEmpty()) x = attentions.get(j).forward(x, context, ip);
            skips.add(x);
        }
        if (down != null) {
            x = Resample.down(x, down, false);
            skips.add(x);
        }
        return x;
    }
}
