package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.common.CancelToken;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.Vae;
import instantid.nn.VaeConfig;
import instantid.tensor.Weights;

/** Kind {@code vae}: decode {@code latents} (already unscaled) and encode {@code pixels} to the posterior. */
public final class VaeRunner implements CaseRunner {

    @Override
    public String kind() {
        return "vae";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        try (TensorSource src = TensorSources.openEntry(c.root(), c.weights().get(0));
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(src, "");
             Vae vae = new Vae(VaeConfig.fromJson(c.config), w)) {
            Report r = new Report(c);
            if (c.has("latents") && c.has("decoded")) {
                NDArray latents = c.array(m, "latents");
                r.check("decoded", vae.decode(latents, null, CancelToken.NONE));
            }
            if (c.has("pixels")) {
                try (Vae.Posterior p = vae.encode(c.array(m, "pixels"), null, CancelToken.NONE)) {
                    if (c.has("posterior_mean")) r.check("posterior_mean", p.mean());
                    if (c.has("posterior_std")) r.check("posterior_std", p.std());
                }
            }
            return r.outcome();
        }
    }
}
