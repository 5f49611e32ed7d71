package instantid.nn;

import ai.djl.ndarray.NDArray;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UNetMidBlock2DCrossAttn}: resnets.0, then per attention i
 * {@code attentions.i} → {@code resnets.(i+1)}.
 */
final class MidBlock {

    private final List<ResnetBlock> resnets = new ArrayList<>();
    private final List<Transformer2D> attentions = new ArrayList<>();

    MidBlock(Weights w, UNetConfig c) {
        int n = 0;
        while (w.has("resnets." + n + ".conv1.weight")) {
            resnets.add(new ResnetBlock(w.sub("resnets." + n + "."), c.normGroups(), c.normEps()));
            n++;
        }
        if (n == 0) throw new IllegalArgumentException("mid block has no resnets (missing mid_block.resnets.0.*)");
        for (int i = 0; i + 1 < n; i++) {
            attentions.add(new Transformer2D(w.sub("attentions." + i + "."), "mid_block.attentions." + i,
                    c.midHeads(), c.midTransformers(), c.normGroups(), c.useLinearProjection()));
        }
    }

    NDArray forward(NDArray x, NDArray temb, NDArray context, IpContext ip) {
        x = resnets.get(0).forward(x, temb);
        for (int i = 0; i < attentions.size(); i++) {
            x = attentions.get(i).forward(x, context, ip);
            x = resnets.get(i + 1).forward(x, temb);
        }
        return x;
    }
}
