package instantid.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters (checkpoint key → shape) each network has for a given config, in the layouts the
 * published files use: diffusers {@code UNet2DConditionModel}, {@code ControlNetModel} and
 * {@code AutoencoderKL}, transformers {@code CLIPTextModel(WithProjection)} and
 * {@code CLIPVisionModelWithProjection}, IP-Adapter's {@code ImageProjModel}, InstantID's
 * {@code Resampler} and the {@code ip_adapter} part of {@code ip-adapter.bin}. One method per
 * network and nothing allocated: {@code random-model} writes files from these lists, and a test
 * checks them against the real files' key lists ({@code keys/*.json}) and the tiny fixture files.
 */
public final class ParameterLists {

    private ParameterLists() {
    }

    /**
     * What a {@code ControlNetModel} config adds to the UNet encoder's: the condition image's
     * channels and the widths of {@code controlnet_cond_embedding}'s convolutions.
     */
    public record ControlNetCond(int conditioningChannels, List<Integer> embeddingChannels) {

        public static final ControlNetCond DEFAULT = new ControlNetCond(3, List.of(16, 32, 96, 256));

        public ControlNetCond {
            embeddingChannels = List.copyOf(embeddingChannels);
            if (embeddingChannels.isEmpty()) throw new IllegalArgumentException("ControlNet config: conditioning_embedding_out_channels is empty");
        }

        public static ControlNetCond fromJson(JsonObject c) {
            int ch = c.has("conditioning_channels") ? c.get("conditioning_channels").getAsInt() : 3;
            if (!c.has("conditioning_embedding_out_channels")) return new ControlNetCond(ch, DEFAULT.embeddingChannels);
            List<Integer> e = new ArrayList<>();
            for (JsonElement x : c.getAsJsonArray("conditioning_embedding_out_channels")) e.add(x.getAsInt());
            return new ControlNetCond(ch, e);
        }
    }

    // ------------------------------------------------------------------ UNet / ControlNet

    /** {@code UNet2DConditionModel}'s parameters (diffusers names). */
    public static Map<String, long[]> unet(UNetConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        encoderStem(m, c);
        downBlocks(m, c);
        midBlock(m, c);
        List<Integer> rc = reversed(c.blockOutChannels());
        int n = c.numBlocks(), temb = temb(c);
        for (int i = 0; i < c.upBlockTypes().size(); i++) {
            String b = "up_blocks." + i + ".";
            int out = rc.get(i), prev = rc.get(Math.max(i - 1, 0)), in = rc.get(Math.min(i + 1, n - 1));
            int layers = c.upLayers(i);
            for (int j = 0; j < layers; j++) {
                int skip = j == layers - 1 ? in : out;
                int resIn = (j == 0 ? prev : out) + skip;
                resnet(m, b + "resnets." + j, resIn, out, temb);
                if (c.upHasAttention(i)) transformer(m, b + "attentions." + j, out, c.upTransformers().get(i), c);
            }
            if (i < n - 1) conv(m, b + "upsamplers.0.conv", out, out, 3);
        }
        int c0 = c.blockOutChannels().get(0);
        norm(m, "conv_norm_out", c0);
        conv(m, "conv_out", c.outChannels(), c0, 3);
        return m;
    }

    /** {@code ControlNetModel}'s parameters: the UNet's encoder half, the condition embedding, the zero convs. */
    public static Map<String, long[]> controlNet(UNetConfig c, ControlNetCond cond) {
        Map<String, long[]> m = new LinkedHashMap<>();
        encoderStem(m, c);
        List<Integer> e = cond.embeddingChannels();
        conv(m, "controlnet_cond_embedding.conv_in", e.get(0), cond.conditioningChannels(), 3);
        for (int i = 0; i < e.size() - 1; i++) {
            conv(m, "controlnet_cond_embedding.blocks." + (2 * i), e.get(i), e.get(i), 3);
            conv(m, "controlnet_cond_embedding.blocks." + (2 * i + 1), e.get(i + 1), e.get(i), 3);
        }
        conv(m, "controlnet_cond_embedding.conv_out", c.blockOutChannels().get(0), e.get(e.size() - 1), 3);
        downBlocks(m, c);
        int k = 0, c0 = c.blockOutChannels().get(0);
        conv(m, "controlnet_down_blocks." + k++, c0, c0, 1);
        for (int i = 0; i < c.numBlocks(); i++) {
            int ch = c.blockOutChannels().get(i);
            int convs = c.downLayers().get(i) + (i < c.numBlocks() - 1 ? 1 : 0);
            for (int j = 0; j < convs; j++) conv(m, "controlnet_down_blocks." + k++, ch, ch, 1);
        }
        int last = c.blockOutChannels().get(c.numBlocks() - 1);
        conv(m, "controlnet_mid_block", last, last, 1);
        midBlock(m, c);
        return m;
    }

    private static int temb(UNetConfig c) {
        return 4 * c.blockOutChannels().get(0);
    }

    private static void encoderStem(Map<String, long[]> m, UNetConfig c) {
        int c0 = c.blockOutChannels().get(0), t = temb(c);
        conv(m, "conv_in", c0, c.inChannels(), 3);
        linear(m, "time_embedding.linear_1", t, c.timeProjDim(), true);
        linear(m, "time_embedding.linear_2", t, t, true);
        if (c.projectionClassEmbeddingsInputDim() > 0) {
            linear(m, "add_embedding.linear_1", t, c.projectionClassEmbeddingsInputDim(), true);
            linear(m, "add_embedding.linear_2", t, t, true);
        }
    }

    private static void downBlocks(Map<String, long[]> m, UNetConfig c) {
        int n = c.numBlocks(), t = temb(c);
        for (int i = 0; i < n; i++) {
            String b = "down_blocks." + i + ".";
            int out = c.blockOutChannels().get(i), in = c.blockOutChannels().get(Math.max(i - 1, 0));
            for (int j = 0; j < c.downLayers().get(i); j++) {
                resnet(m, b + "resnets." + j, j == 0 ? in : out, out, t);
                if (c.downHasAttention(i)) transformer(m, b + "attentions." + j, out, c.downTransformers().get(i), c);
            }
            if (i < n - 1) conv(m, b + "downsamplers.0.conv", out, out, 3);
        }
    }

    private static void midBlock(Map<String, long[]> m, UNetConfig c) {
        if (!c.midCrossAttn()) return;
        int ch = c.blockOutChannels().get(c.numBlocks() - 1), t = temb(c);
        resnet(m, "mid_block.resnets.0", ch, ch, t);
        transformer(m, "mid_block.attentions.0", ch, c.midTransformers(), c);
        resnet(m, "mid_block.resnets.1", ch, ch, t);
    }

    /** {@code Transformer2DModel} with linear (or 1x1 conv) projections and GEGLU feed-forward. */
    private static void transformer(Map<String, long[]> m, String p, int ch, int layers, UNetConfig c) {
        norm(m, p + ".norm", ch);
        projection(m, p + ".proj_in", ch, c.useLinearProjection());
        for (int t = 0; t < layers; t++) {
            String b = p + ".transformer_blocks." + t + ".";
            norm(m, b + "norm1", ch);
            attention(m, b + "attn1", ch, ch);
            norm(m, b + "norm2", ch);
            attention(m, b + "attn2", ch, c.crossAttentionDim());
            norm(m, b + "norm3", ch);
            linear(m, b + "ff.net.0.proj", 8 * ch, ch, true);
            linear(m, b + "ff.net.2", ch, 4 * ch, true);
        }
        projection(m, p + ".proj_out", ch, c.useLinearProjection());
    }

    private static void projection(Map<String, long[]> m, String p, int ch, boolean linear) {
        if (linear) linear(m, p, ch, ch, true);
        else conv(m, p, ch, ch, 1);
    }

    private static void attention(Map<String, long[]> m, String p, int ch, int ctx) {
        linear(m, p + ".to_q", ch, ch, false);
        linear(m, p + ".to_k", ch, ctx, false);
        linear(m, p + ".to_v", ch, ctx, false);
        linear(m, p + ".to_out.0", ch, ch, true);
    }

    /** {@code ResnetBlock2D}; {@code temb <= 0} for the VAE's (no time embedding). */
    private static void resnet(Map<String, long[]> m, String p, int in, int out, int temb) {
        norm(m, p + ".norm1", in);
        conv(m, p + ".conv1", out, in, 3);
        if (temb > 0) linear(m, p + ".time_emb_proj", out, temb, true);
        norm(m, p + ".norm2", out);
        conv(m, p + ".conv2", out, out, 3);
        if (in != out) conv(m, p + ".conv_shortcut", out, in, 1);
    }

    // ------------------------------------------------------------------ VAE

    /** {@code AutoencoderKL}'s parameters (diffusers names, current attention naming). */
    public static Map<String, long[]> vae(VaeConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        int[] b = c.blockOutChannels();
        int n = b.length, l = c.latentChannels(), last = b[n - 1];
        conv(m, "encoder.conv_in", b[0], c.inChannels(), 3);
        for (int i = 0; i < n; i++) {
            String p = "encoder.down_blocks." + i + ".";
            int in = b[Math.max(i - 1, 0)];
            for (int j = 0; j < c.layersPerBlock(); j++) resnet(m, p + "resnets." + j, j == 0 ? in : b[i], b[i], 0);
            if (i < n - 1) conv(m, p + "downsamplers.0.conv", b[i], b[i], 3);
        }
        vaeMid(m, "encoder.mid_block", last, c.midBlockAttention());
        norm(m, "encoder.conv_norm_out", last);
        conv(m, "encoder.conv_out", 2 * l, last, 3);
        conv(m, "decoder.conv_in", last, l, 3);
        vaeMid(m, "decoder.mid_block", last, c.midBlockAttention());
        for (int i = 0; i < n; i++) {
            String p = "decoder.up_blocks." + i + ".";
            int out = b[n - 1 - i], prev = b[n - 1 - Math.max(i - 1, 0)];
            for (int j = 0; j <= c.layersPerBlock(); j++) resnet(m, p + "resnets." + j, j == 0 ? prev : out, out, 0);
            if (i < n - 1) conv(m, p + "upsamplers.0.conv", out, out, 3);
        }
        norm(m, "decoder.conv_norm_out", b[0]);
        conv(m, "decoder.conv_out", c.outChannels(), b[0], 3);
        if (c.useQuantConv()) conv(m, "quant_conv", 2 * l, 2 * l, 1);
        if (c.usePostQuantConv()) conv(m, "post_quant_conv", l, l, 1);
        return m;
    }

    private static void vaeMid(Map<String, long[]> m, String p, int ch, boolean attention) {
        resnet(m, p + ".resnets.0", ch, ch, 0);
        if (attention) {
            norm(m, p + ".attentions.0.group_norm", ch);
            for (String k : List.of("to_q", "to_k", "to_v", "to_out.0")) linear(m, p + ".attentions.0." + k, ch, ch, true);
        }
        resnet(m, p + ".resnets.1", ch, ch, 0);
    }

    // ------------------------------------------------------------------ CLIP

    /**
     * A CLIP text encoder's parameters. The published SDXL files differ in one way the config
     * does not say: {@code CLIPTextModelWithProjection} keeps its transformer under
     * {@code text_model.} beside {@code text_projection}, the plain {@code CLIPTextModel} file
     * has no prefix (as {@code keys/sdxl_text_encoder_hf.json} and the tiny files show).
     */
    public static Map<String, long[]> clip(ClipTextConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        String p = c.withProjection() ? "text_model." : "";
        int h = c.hiddenSize();
        m.put(p + "embeddings.token_embedding.weight", new long[] {c.vocabSize(), h});
        m.put(p + "embeddings.position_embedding.weight", new long[] {c.maxPositions(), h});
        for (int i = 0; i < c.layers(); i++) {
            String l = p + "encoder.layers." + i + ".";
            for (String k : List.of("k_proj", "v_proj", "q_proj", "out_proj")) linear(m, l + "self_attn." + k, h, h, true);
            norm(m, l + "layer_norm1", h);
            linear(m, l + "mlp.fc1", c.intermediateSize(), h, true);
            linear(m, l + "mlp.fc2", h, c.intermediateSize(), true);
            norm(m, l + "layer_norm2", h);
        }
        norm(m, p + "final_layer_norm", h);
        if (c.withProjection()) linear(m, "text_projection", c.projectionDim(), h, false);
        return m;
    }

    /**
     * A {@code CLIPVisionModelWithProjection}'s parameters (IP-Adapter's image encoder). Files
     * saved by transformers before 4.31 also hold the int64 buffer
     * {@code vision_model.embeddings.position_ids} [1, positions], which is not a parameter.
     */
    public static Map<String, long[]> clipVision(ClipVisionConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        int h = c.hiddenSize(), p = c.patchSize();
        m.put("vision_model.embeddings.class_embedding", new long[] {h});
        m.put("vision_model.embeddings.patch_embedding.weight", new long[] {h, c.channels(), p, p});
        m.put("vision_model.embeddings.position_embedding.weight", new long[] {c.positions(), h});
        norm(m, "vision_model.pre_layrnorm", h);
        for (int i = 0; i < c.layers(); i++) {
            String l = "vision_model.encoder.layers." + i + ".";
            for (String k : List.of("k_proj", "v_proj", "q_proj", "out_proj")) linear(m, l + "self_attn." + k, h, h, true);
            norm(m, l + "layer_norm1", h);
            linear(m, l + "mlp.fc1", c.intermediateSize(), h, true);
            linear(m, l + "mlp.fc2", h, c.intermediateSize(), true);
            norm(m, l + "layer_norm2", h);
        }
        norm(m, "vision_model.post_layernorm", h);
        linear(m, "visual_projection", c.projectionDim(), h, false);
        return m;
    }

    /** IP-Adapter's plain {@code ImageProjModel} ({@code image_proj.} part, without the prefix). */
    public static Map<String, long[]> imageProj(int clipEmbeddingsDim, int crossAttentionDim, int tokens) {
        Map<String, long[]> m = new LinkedHashMap<>();
        linear(m, "proj", tokens * crossAttentionDim, clipEmbeddingsDim, true);
        norm(m, "norm", crossAttentionDim);
        return m;
    }

    /** A whole plain IP-Adapter file ({@code ip-adapter_sdxl}): {@code image_proj.*} and {@code ip_adapter.*}. */
    public static Map<String, long[]> ipAdapterPlain(int clipEmbeddingsDim, int tokens, UNetConfig unet) {
        Map<String, long[]> m = new LinkedHashMap<>();
        imageProj(clipEmbeddingsDim, unet.crossAttentionDim(), tokens).forEach((k, v) -> m.put("image_proj." + k, v));
        ipAdapter(unet, unet.crossAttentionDim()).forEach((k, v) -> m.put("ip_adapter." + k, v));
        return m;
    }

    // ------------------------------------------------------------------ InstantID adapter

    /** The Resampler ({@code ip-adapter.bin}'s {@code image_proj} part, without the prefix). */
    public static Map<String, long[]> resampler(ResamplerConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        int d = c.dim(), inner = c.heads() * c.dimHead(), ff = d * c.ffMult();
        m.put("latents", new long[] {1, c.numQueries(), d});
        linear(m, "proj_in", d, c.embeddingDim(), true);
        linear(m, "proj_out", c.outputDim(), d, true);
        norm(m, "norm_out", c.outputDim());
        for (int i = 0; i < c.depth(); i++) {
            String l = "layers." + i + ".";
            norm(m, l + "0.norm1", d);
            norm(m, l + "0.norm2", d);
            linear(m, l + "0.to_q", inner, d, false);
            linear(m, l + "0.to_kv", 2 * inner, d, false);
            linear(m, l + "0.to_out", d, inner, false);
            norm(m, l + "1.0", d);
            linear(m, l + "1.1", ff, d, false);
            linear(m, l + "1.3", d, ff, false);
        }
        return m;
    }

    /**
     * The {@code ip_adapter} part: {@code N.to_k_ip/to_v_ip.weight} for every cross-attention
     * processor N of the UNet's processor order, mapping {@code tokenDim}-wide ID tokens to the
     * block's width.
     */
    public static Map<String, long[]> ipAdapter(UNetConfig c, int tokenDim) {
        Map<String, long[]> m = new LinkedHashMap<>();
        List<String> order = c.attentionProcessorOrder();
        List<Integer> rc = reversed(c.blockOutChannels());
        for (int k = 0; k < order.size(); k++) {
            String p = order.get(k);
            if (!p.contains(".attn2.")) continue;
            int ch;
            if (p.startsWith("down_blocks.")) ch = c.blockOutChannels().get(blockIndex(p));
            else if (p.startsWith("up_blocks.")) ch = rc.get(blockIndex(p));
            else ch = c.blockOutChannels().get(c.numBlocks() - 1);
            m.put(k + ".to_k_ip.weight", new long[] {ch, tokenDim});
            m.put(k + ".to_v_ip.weight", new long[] {ch, tokenDim});
        }
        return m;
    }

    /** The whole {@code ip-adapter.bin}: {@code image_proj.*} and {@code ip_adapter.*}. */
    public static Map<String, long[]> ipAdapterBin(ResamplerConfig r, UNetConfig unet) {
        Map<String, long[]> m = new LinkedHashMap<>();
        resampler(r).forEach((k, v) -> m.put("image_proj." + k, v));
        ipAdapter(unet, r.outputDim()).forEach((k, v) -> m.put("ip_adapter." + k, v));
        return m;
    }

    private static int blockIndex(String processor) {
        String rest = processor.substring(processor.indexOf('.') + 1);
        return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
    }

    // ------------------------------------------------------------------ leaves

    private static void linear(Map<String, long[]> m, String p, int out, int in, boolean bias) {
        m.put(p + ".weight", new long[] {out, in});
        if (bias) m.put(p + ".bias", new long[] {out});
    }

    private static void conv(Map<String, long[]> m, String p, int out, int in, int k) {
        m.put(p + ".weight", new long[] {out, in, k, k});
        m.put(p + ".bias", new long[] {out});
    }

    private static void norm(Map<String, long[]> m, String p, int ch) {
        m.put(p + ".weight", new long[] {ch});
        m.put(p + ".bias", new long[] {ch});
    }

    private static List<Integer> reversed(List<Integer> l) {
        List<Integer> r = new ArrayList<>(l);
        Collections.reverse(r);
        return r;
    }
}
