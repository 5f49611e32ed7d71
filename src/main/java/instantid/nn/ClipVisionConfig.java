package instantid.nn;

import com.google.gson.JsonObject;

import static instantid.nn.ClipTextConfig.integer;
import static instantid.nn.ClipTextConfig.number;
import static instantid.nn.ClipTextConfig.string;

/**
 * The shape of a transformers {@code CLIPVisionModelWithProjection} (IP-Adapter's image encoder),
 * from its {@code config.json}. Published: OpenCLIP ViT-H/14 (hidden 1280, 32 layers, 16 heads,
 * projection 1024: {@code models/image_encoder}) and ViT-bigG/14 (hidden 1664, 48 layers, 16 heads,
 * projection 1280: {@code sdxl_models/image_encoder}), both 224 px in patches of 14, gelu.
 */
public record ClipVisionConfig(int hiddenSize, int intermediateSize, int heads, int layers, int imageSize,
                               int patchSize, int channels, int projectionDim, String hiddenAct, float layerNormEps) {

    public ClipVisionConfig {
        if (heads <= 0 || hiddenSize % heads != 0) {
            throw new IllegalArgumentException("CLIP vision config: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + heads);
        }
        if (!hiddenAct.equals("gelu") && !hiddenAct.equals("quick_gelu")) {
            throw new IllegalArgumentException("CLIP vision config: hidden_act '" + hiddenAct + "' is not supported (gelu or quick_gelu)");
        }
        if (layers < 2) throw new IllegalArgumentException("CLIP vision config: " + layers + " layers; the penultimate state needs 2");
        if (patchSize <= 0 || imageSize % patchSize != 0) {
            throw new IllegalArgumentException("CLIP vision config: image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        }
    }

    /** From a {@code config.json}: a bare vision config, or a full CLIP config's {@code vision_config}. */
    public static ClipVisionConfig fromJson(JsonObject c) {
        if (c.has("vision_config") && c.get("vision_config").isJsonObject()) c = c.getAsJsonObject("vision_config");
        int hidden = integer(c, "hidden_size", -1);
        if (hidden < 0) throw new IllegalArgumentException("CLIP vision config: no hidden_size");
        return new ClipVisionConfig(hidden, integer(c, "intermediate_size", hidden * 4),
                integer(c, "num_attention_heads", Math.max(1, hidden / 64)), integer(c, "num_hidden_layers", 12),
                integer(c, "image_size", 224), integer(c, "patch_size", 32), integer(c, "num_channels", 3),
                integer(c, "projection_dim", 512), string(c, "hidden_act", "quick_gelu"),
                (float) number(c, "layer_norm_eps", 1e-5));
    }

    /** Patches per side. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Tokens: the class token and one per patch (257 for 224 / 14). */
    public int positions() {
        return grid() * grid() + 1;
    }
}
