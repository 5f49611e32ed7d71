package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.ClipTextConfig;
import instantid.nn.ClipTextEncoder;
import instantid.nn.ImageProjModel;
import instantid.nn.InstantStyle;
import instantid.tensor.Weights;
import instantid.text.ClipTokenizer;

import java.nio.file.Path;

/**
 * Kind {@code instantstyle_content_subtraction}: the content prompt through tokenizer_2 and
 * text_encoder_2 of the tiny SDXL model beside the case's UNet (ids and pooled text embeds
 * compared), {@code image_embeds − scale × content_text_embeds}, then the ImageProjModel; the
 * unconditional tokens from zeros.
 */
public final class ContentSubtractionRunner implements CaseRunner {

    @Override
    public String kind() {
        return "instantstyle_content_subtraction";
    }

    @Override
    public Outcome run(Case c, NDManager m) throws Exception {
        Path model = c.file(c.string("unet", "pipeline_sdxl_tiny/unet/config.json")).getParent().getParent();
        try (TensorSource src = TensorSources.openEntry(c.root(), c.weights().get(0));
             TensorSource proj = TensorSources.open(src.path(), "image_proj");
             TensorSource ip = TensorSources.open(src.path(), "ip_adapter");
             TensorSource te = TensorSources.open(model.resolve("text_encoder_2/model.safetensors"));
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(proj, "");
             Weights layers = new Weights(m, DataType.FLOAT32);
             Weights tw = new Weights(m, DataType.FLOAT32).mapAll(te, "")) {
            Report r = new Report(c);
            ImageProjModel pm = ImageProjRunner.check(c, r, w, layers, ip);

            ClipTokenizer tok = ClipTokenizer.load(model.resolve("tokenizer_2"));
            long[] ids = tok.encode(c.string("content_prompt", "")).ids();
            long[] want = c.longs("content_input_ids");
            if (!java.util.Arrays.equals(ids, want)) r.fail("content_input_ids: tokenizer_2 gives different ids");
            ClipTextEncoder enc = new ClipTextEncoder(ClipTextConfig.fromJson(
                    ImageProjRunner.json(model.resolve("text_encoder_2/config.json")), tw), tw);
            NDArray text;
            try (ClipTextEncoder.Output o = enc.encode(c.array(m, "content_input_ids"))) {
                text = o.textEmbeds().duplicate();
            }
            r.check("content_text_embeds", text);

            float scale = c.floats("neg_content_scale")[0];
            if (scale != (float) c.number("neg_content_scale", scale)) r.fail("neg_content_scale tensor and config differ");
            NDArray image = c.array(m, "image_embeds");
            NDArray sub = InstantStyle.subtractContent(image, text, scale);
            r.check("subtracted_embeds", sub);
            r.check("ip_tokens", pm.forward(sub));
            r.check("uncond_tokens", pm.forward(image.zerosLike()));
            return r.outcome();
        }
    }
}
