package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.Resampler;
import instantid.nn.ResamplerConfig;
import instantid.tensor.Weights;

/** Kind {@code resampler}: InstantID's Resampler from {@code ip-adapter.bin#image_proj} on {@code id_embeds}. */
public final class ResamplerRunner implements CaseRunner {

    @Override
    public String kind() {
        return "resampler";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        try (TensorSource src = TensorSources.openEntry(c.root(), c.weights().get(0));
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(src, "")) {
            Resampler r = new Resampler(ResamplerConfig.fromJson(c.config, w), w);
            NDArray tokens = r.forward(c.array(m, "id_embeds"));
            return new Report(c).check("tokens", tokens).outcome();
        }
    }
}
