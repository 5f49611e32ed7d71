package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSources;
import instantid.io.TensorSource;
import instantid.nn.ControlNet;
import instantid.nn.UNetConfig;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/** Kind {@code controlnet}: IdentityNet forward, residuals scaled by {@code conditioning_scale}. */
public final class ControlNetRunner implements CaseRunner {

    @Override
    public String kind() {
        return "controlnet";
    }

    @Override
    public Outcome run(Case c, NDManager m) throws Exception {
        List<TensorSource> open = new ArrayList<>();
        try (Weights w = new Weights(m, DataType.FLOAT32)) {
            for (String entry : c.weights()) {
                TensorSource s = TensorSources.openEntry(c.root(), entry);
                open.add(s);
                w.mapAll(s, "");
            }
            ControlNet net = new ControlNet(w, UNetConfig.fromJson(c.config));
            float scale = c.has("conditioning_scale") ? c.floats("conditioning_scale")[0] : 1f;
            ControlNet.Residuals r = net.forward(c.array(m, "sample"), c.array(m, "timestep"),
                    c.array(m, "encoder_hidden_states"), c.array(m, "controlnet_cond"), scale,
                    c.array(m, "text_embeds"), c.array(m, "time_ids"));
            Report rep = new Report(c);
            int expected = 0;
            while (c.has("down_residual_" + expected)) expected++;
            if (expected != r.down().size()) {
                rep.fail(r.down().size() + " down residuals, expected " + expected);
            }
            for (int i = 0; i < Math.min(expected, r.down().size()); i++) rep.check("down_residual_" + i, r.down().get(i));
            return rep.check("mid_residual", r.mid()).outcome();
        } finally {
            for (TensorSource s : open) s.close();
        }
    }
}
