package instantid.parity;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.ClipVisionConfig;
import instantid.nn.ClipVisionEncoder;
import instantid.tensor.Weights;

/**
 * Kind {@code clip_vision}: {@code CLIPVisionModelWithProjection} from the case's weights and
 * config on its {@code pixel_values}; compares the embeddings after pre_layrnorm, the penultimate
 * and last hidden states, the pooled class token and the image embeds.
 */
public final class ClipVisionRunner implements CaseRunner {

    @Override
    public String kind() {
        return "clip_vision";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        try (TensorSource src = TensorSources.openEntry(c.root(), c.weights().get(0));
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(src, "")) {
            ClipVisionEncoder enc = new ClipVisionEncoder(ClipVisionConfig.fromJson(c.config), w);
            try (ClipVisionEncoder.Output o = enc.encode(c.array(m, "pixel_values"))) {
                return new Report(c).check("hidden_states_0", o.hidden0()).check("penultimate", o.penultimate())
                        .check("last_hidden_state", o.lastHidden()).check("pooled", o.pooled())
                        .check("image_embeds", o.imageEmbeds()).outcome();
            }
        }
    }
}
