package instantid.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image prompt for an IP-Adapter SDXL: a style reference (InstantStyle: usually the style
 * blocks only, with an optional content prompt subtracted) or a reference object (IP-Adapter Plus
 * in every block: <em>your</em> dog, <em>your</em> chair). The image is given as the CLIP pixel
 * values {@code CLIPImageProcessor} makes of it (3 x height x width, CHW float32, see
 * {@link ImagePrompts}), so a request holds no file and settings read back reproduce it exactly.
 *
 * @param use          what it is for, "style" or "reference" (labels, settings, defaults)
 * @param adapter      the IP-Adapter file (.safetensors or .bin: {@code image_proj} + {@code ip_adapter})
 * @param imageEncoder its CLIP image encoder folder (config.json + model.safetensors)
 * @param pixels       CLIP pixel values, CHW
 * @param height       pixel rows (the encoder's image_size)
 * @param width        pixel columns
 * @param scale        the adapter's scale (0 = exactly no adapter)
 * @param blocks       "style", "style+layout", "all", or a diffusers {@code set_ip_adapter_scale} dict as JSON
 * @param contentPrompt text naming the reference's content, subtracted from the image embedding
 *                     (plain adapter only); null or blank = none
 * @param contentScale how much of the content prompt is subtracted (InstantStyle uses 0.5)
 * @param source       where the image came from (file name, window title), for the record only
 */
public record ImagePrompt(String use, Path adapter, Path imageEncoder, float[] pixels, int height, int width,
                          double scale, String blocks, String contentPrompt, double contentScale, String source) {

    public static final String STYLE = "style";
    public static final String REFERENCE = "reference";

    public ImagePrompt {
        use = use == null ? STYLE : use;
        blocks = blocks == null || blocks.isBlank() ? instantid.nn.InstantStyle.ALL : blocks.trim();
        contentPrompt = contentPrompt == null || contentPrompt.isBlank() ? null : contentPrompt;
        source = source == null ? "" : source;
        // every value checked here, once; the messages name the option
        String what = use.equals(REFERENCE) ? "reference" : "style";
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(what + " scale = " + scale + ": use a number >= 0 (0 = off; 0.5-1 is typical)");
        }
        if (!(contentScale >= 0) || Double.isInfinite(contentScale)) {
            throw new IllegalArgumentException("content scale = " + contentScale + ": use a number >= 0 (InstantStyle uses 0.5)");
        }
        if (pixels == null || height <= 0 || width <= 0 || pixels.length != 3L * height * width) {
            throw new IllegalArgumentException(what + " image: " + (pixels == null ? 0 : pixels.length)
                    + " pixel values do not make a 3 x " + height + " x " + width + " image");
        }
        instantid.nn.InstantStyle.check(blocks);
    }

    /** The content prompt's subtraction in effect (a prompt and a non-zero scale). */
    public boolean subtractsContent() {
        return contentPrompt != null && contentScale != 0;
    }

    /**
     * Checks that the adapter file and the image encoder folder exist, before a model loads. Not
     * part of the constructor: prompts read back from settings name files that options may replace.
     */
    public void requireFiles() {
        String what = use.equals(REFERENCE) ? "reference" : "style";
        if (adapter == null || !Files.isRegularFile(adapter)) {
            throw new IllegalArgumentException(what + " adapter " + adapter + " does not exist: give an IP-Adapter SDXL file"
                    + " (ip-adapter_sdxl.safetensors for styles, ip-adapter-plus_sdxl_vit-h.safetensors for references),"
                    + " or get it with: models --download");
        }
        if (imageEncoder == null || !Files.isRegularFile(imageEncoder.resolve("config.json"))) {
            throw new IllegalArgumentException(what + " image encoder " + imageEncoder + " is not a CLIP image encoder folder"
                    + " (config.json + model.safetensors): ip-adapter_sdxl needs sdxl_models/image_encoder (ViT-bigG),"
                    + " the Plus adapters models/image_encoder (ViT-H)");
        }
    }
}
