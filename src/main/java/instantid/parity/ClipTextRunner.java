package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.ClipTextConfig;
import instantid.nn.ClipTextEncoder;
import instantid.tensor.Weights;

/**
 * Kind {@code clip_text}: a CLIP text encoder from the case's weights and config, on the case's
 * {@code input_ids}; compares last_hidden_state, penultimate and pooled / text_embeds (whichever
 * the case holds).
 */
public final class ClipTextRunner implements CaseRunner {

    @Override
    public String kind() {
        return "clip_text";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        try (TensorSource src = TensorSources.openEntry(c.root(), c.weights().get(0));
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(src, "")) {
            ClipTextEncoder enc = new ClipTextEncoder(ClipTextConfig.fromJson(c.config, w), w);
            NDArray ids = c.array(m, "input_ids");
            Report r = new Report(c);
            try (ClipTextEncoder.Output o = enc.encode(ids)) {
                r.check("last_hidden_state", o.lastHidden());
                r.check("penultimate", o.penultimate());
                if (c.has("pooled")) r.check("pooled", o.pooled());
                if (c.has("text_embeds")) {
                    if (o.textEmbeds() == null) return Outcome.fail("case has text_embeds but the encoder has no projection");
                    r.check("text_embeds", o.textEmbeds());
                }
            }
            return r.outcome();
        }
    }
}
