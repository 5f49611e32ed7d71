package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UpBlock2D} / {@code CrossAttnUpBlock2D}: per resnet, the last remaining skip
 * state is concatenated on channels, then resnet (+ {@link Transformer2D}); then a nearest 2x
 * upsampler + conv except in the last block, sized to the next skip state so odd sizes work.
 */
final class UpBlock {

    private final List<ResnetBlock> resnets = new ArrayList<>();
    private final List<Transformer2D> attentions = new ArrayList<>();
    private final Weights up;

    UpBlock(Weights w, String module, UNetConfig c, int i) {
        boolean attn = c.upHasAttention(i);
        for (int j = 0; j < c.upLayers(i); j++) {
            resnets.add(new ResnetBlock(w.sub("resnets." + j + "."), c.normGroups(), c.normEps()));
            if (attn) {
                attentions.add(new Transformer2D(w.sub("attentions." + j + "."), module + ".attentions." + j,
                        c.upHeads(i), c.upTransformers().get(i), c.normGroups(), c.useLinearProjection()));
            }
        }
        up = w.has("upsamplers.0.conv.weight") ? w.sub("upsamplers.0.") : null;
    }

    /** Consumes its skip states from the end of {@code skips}. */
    NDArray forward(NDArray x, NDArray temb, NDArray context, IpContext ip, List<NDArray> skips) {
        for (int j = 0; j < resnets.size(); j++) {
            NDArray skip = skips.remove(skips.size() - 1);
            x = resnets.get(j).forward(x.concat(skip, 1), temb);
            if (!attentions.isEmpty()) x = attentions.get(j).forward(x, context, ip);
        }
        if (up != null) {
            long[] size = null;
            if (!skips.isEmpty()) {
                NDArray next = skips.get(skips.size() - 1);
                size = new long[] {next.getShape().get(2), next.getShape().get(3)};
            }
            x = Resample.up(x, up, size);
        }
        return x;
    }
}
