package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.nn.ImageProjModel;
import instantid.nn.IpAdapterKeys;
import instantid.nn.UNetConfig;
import instantid.tensor.Weights;

/**
 * Kind {@code ip_adapter_image_proj}: IP-Adapter SDXL's ImageProjModel read from the published
 * layout ({@code image_proj.*} of the adapter file) on {@code image_embeds} → {@code ip_tokens};
 * the file's {@code ip_adapter.N} layers are mapped onto the case's UNet config (indices and
 * shapes checked) and the case's stated sizes checked against the file.
 */
public final class ImageProjRunner implements CaseRunner {

    @Override
    public String kind() {
        return "ip_adapter_image_proj";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        try (TensorSource src = TensorSources.openEntry(c.root(), c.weights().get(0));
             TensorSource proj = TensorSources.open(src.path(), "image_proj");
             TensorSource ip = TensorSources.open(src.path(), "ip_adapter");
             Weights w = new Weights(m, DataType.FLOAT32).mapAll(proj, "");
             Weights layers = new Weights(m, DataType.FLOAT32)) {
            Report r = new Report(c);
            ImageProjModel model = check(c, r, w, layers, ip);
            NDArray tokens = model.forward(c.array(m, "image_embeds"));
            return r.check("ip_tokens", tokens).outcome();
        }
    }

    /** The model, after checking the case's config against the file and mapping its IP layers. */
    static ImageProjModel check(Case c, Report r, Weights w, Weights layers, TensorSource ip) {
        ImageProjModel model = new ImageProjModel(w);
        int[] want = {(int) c.number("clip_embeddings_dim", -1), (int) c.number("cross_attention_dim", -1),
                (int) c.number("clip_extra_context_tokens", -1)};
        int[] got = {model.clipEmbeddingsDim(), model.crossAttentionDim(), model.tokens()};
        if (!java.util.Arrays.equals(want, got)) {
            r.fail("config (clip_embeddings_dim, cross_attention_dim, tokens) " + java.util.Arrays.toString(want)
                    + " but the file gives " + java.util.Arrays.toString(got));
        }
        String unet = c.string("unet", null);
        if (unet != null) {
            UNetConfig uc = UNetConfig.fromJson(json(c.file(unet)));
            int n = IpAdapterKeys.map(layers, layers, ip, uc);
            long cross = uc.attentionProcessorOrder().stream().filter(p -> p.contains(".attn2.")).count();
            if (n != 2 * cross) r.fail("the adapter has " + n + " IP layers, the UNet " + cross + " cross-attentions (2 each expected)");
        }
        return model;
    }

    static com.google.gson.JsonObject json(java.nio.file.Path p) {
        try {
            return com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(p)).getAsJsonObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }
}
