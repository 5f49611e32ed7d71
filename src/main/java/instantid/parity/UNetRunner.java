package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSources;
import instantid.io.TensorSource;
import instantid.nn.IpAdapterKeys;
import instantid.nn.IpContext;
import instantid.nn.UNet;
import instantid.nn.UNetConfig;
import instantid.nn.UNetExtras;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.List;

/**
 * Kind {@code unet}: SDXL UNet forward from the diffusers weight file; with an
 * {@code ip-adapter.bin#ip_adapter} entry the last {@code ip_tokens} of the context are ID tokens
 * at {@code ip_scale}, and {@code down_residual_N} / {@code mid_residual} are added when present.
 */
public final class UNetRunner implements CaseRunner {

    @Override
    public String kind() {
        return "unet";
    }

    @Override
    public Outcome run(Case c, NDManager m) throws Exception {
        UNetConfig cfg = UNetConfig.fromJson(c.config);
        List<TensorSource> open = new ArrayList<>();
        try (Weights w = new Weights(m, DataType.FLOAT32)) {
            for (String entry : c.weights()) {
                String part = Case.weightPart(entry);
                TensorSource s = TensorSources.openEntry(c.root(), entry);
                open.add(s);
                if (part == null) {
                    w.mapAll(s, "");
                } else if (part.equals("ip_adapter")) {
                    IpAdapterKeys.map(w, s, cfg);
                } else {
                    return Outcome.fail("unexpected weights entry " + entry + " (a UNet case takes the UNet file and ip-adapter.bin#ip_adapter)");
                }
            }
            UNet unet = new UNet(w, cfg);
            NDArray ehs = c.array(m, "encoder_hidden_states");
            UNetExtras extras = UNetExtras.NONE;
            int ipTokens = (int) c.number("ip_tokens", 0);
            if (ipTokens > 0) {
                float scale = c.has("ip_scale") ? c.floats("ip_scale")[0] : 1f;
                IpContext.Split split = IpContext.split(ehs, ipTokens, scale);
                ehs = split.text();
                extras = extras.withIp(split.ip());
            }
            if (c.has("down_residual_0") || c.has("mid_residual")) {
                List<NDArray> down = new ArrayList<>();
                for (int i = 0; c.has("down_residual_" + i); i++) down.add(c.array(m, "down_residual_" + i));
                extras = new UNetExtras(down.isEmpty() ? null : down,
                        c.has("mid_residual") ? c.array(m, "mid_residual") : null, extras.ip());
            }
            NDArray out = unet.forward(c.array(m, "sample"), c.array(m, "timestep"), ehs,
                    c.array(m, "text_embeds"), c.array(m, "time_ids"), extras);
            return new Report(c).check("noise_pred", out).outcome();
        } finally {
            for (TensorSource s : open) s.close();
        }
    }
}
