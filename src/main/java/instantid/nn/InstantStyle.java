package instantid.nn;

import ai.djl.ndarray.NDArray;

import java.util.Locale;
import java.util.Map;

/**
 * InstantStyle's two ideas on top of an IP-Adapter. (1) Block presets: the image tokens act only
 * in SDXL's style block {@code up_blocks.0.attentions.1} ({@link #STYLE}) or also in the layout
 * block {@code down_blocks.2.attentions.1} ({@link #STYLE_AND_LAYOUT}); every other block gets 0,
 * as diffusers' {@code set_ip_adapter_scale({"up": {"block_0": [0.0, 1.0, 0.0]}})} expands it
 * ({@link IpScaleDict}). (2) Content subtraction: {@code image_embeds − scale × text_embeds} of a
 * prompt naming the reference's content, before the projection — for the plain adapter only (the
 * Plus adapters take hidden states, which live in no text space, and get none).
 */
public final class InstantStyle {

    /** The style block only (InstantStyle's "style" preset). */
    public static final String STYLE = "style";
    /** Style and layout blocks. */
    public static final String STYLE_AND_LAYOUT = "style+layout";
    /** Every block (plain IP-Adapter). */
    public static final String ALL = "all";

    /** The diffusers dict each preset is (InstantStyle's README). */
    public static final Map<String, Object> STYLE_DICT = Map.of("up", Map.of("block_0", java.util.List.of(0.0, 1.0, 0.0)));
    public static final Map<String, Object> STYLE_AND_LAYOUT_DICT = Map.of(
            "down", Map.of("block_2", java.util.List.of(0.0, 1.0)),
            "up", Map.of("block_0", java.util.List.of(0.0, 1.0, 0.0)));

    private InstantStyle() {
    }

    /** The canonical preset name for "style", "style+layout" ("layout+style", "style_layout") or "all". */
    public static String preset(String name) {
        String k = name == null ? ALL : name.trim().toLowerCase(Locale.ROOT).replace(' ', '+').replace('_', '+');
        switch (k) {
            case "style": case "style-only": case "style+only": return STYLE;
            case "style+layout": case "layout+style": case "style-layout": return STYLE_AND_LAYOUT;
            case "all": case "": return ALL;
            default: throw new IllegalArgumentException("style blocks '" + name + "': use style, style+layout or all");
        }
    }

    /**
     * The per-block scales of a preset ("style", "style+layout", "all") or of a diffusers
     * {@code set_ip_adapter_scale} dict given as JSON, for the UNet {@code unet}.
     */
    public static BlockScales blocks(String preset, UNetConfig unet) {
        if (isDict(preset)) return IpScaleDict.parse(preset, unet);
        switch (preset(preset)) {
            case STYLE: return IpScaleDict.expand(STYLE_DICT, unet);
            case STYLE_AND_LAYOUT: return IpScaleDict.expand(STYLE_AND_LAYOUT_DICT, unet);
            default: return BlockScales.UNIFORM;
        }
    }

    /** Checks a blocks spec without a UNet: a preset name, or JSON of the diffusers dict's form. */
    public static String check(String spec) {
        if (!isDict(spec)) return preset(spec);
        Object o;
        try {
            o = IpScaleDict.toJava(com.google.gson.JsonParser.parseString(spec));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("style blocks '" + spec + "' is neither style, style+layout, all nor a"
                    + " diffusers scale dict in JSON (" + e.getMessage() + ")");
        }
        if (!(o instanceof Map<?, ?> || o instanceof Number)) throw new IllegalArgumentException("style blocks '" + spec + "': not a dict");
        return spec;
    }

    private static boolean isDict(String spec) {
        return spec != null && (spec.trim().startsWith("{") || spec.trim().matches("[0-9.]+"));
    }

    /**
     * {@code imageEmbeds − scale × contentEmbeds} in float32, in that order (InstantStyle's
     * {@code IPAdapterXL.generate}); {@code contentEmbeds} [1, P] broadcasts over the batch. Scale 0
     * returns the image embeddings unchanged.
     */
    public static NDArray subtractContent(NDArray imageEmbeds, NDArray contentEmbeds, float scale) {
        if (scale == 0f || contentEmbeds == null) return imageEmbeds;
        long p = imageEmbeds.getShape().get(imageEmbeds.getShape().dimension() - 1);
        long q = contentEmbeds.getShape().get(contentEmbeds.getShape().dimension() - 1);
        if (p != q) {
            throw new IllegalArgumentException("content subtraction: the image embeddings are " + p
                    + " wide but the content prompt's text embeddings " + q
                    + " (image encoder and text_encoder_2 must share projection_dim, 1280 for SDXL with ViT-bigG)");
        }
        return imageEmbeds.sub(contentEmbeds.mul(scale));
    }
}
