package instantid.nn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import instantid.tensor.Weights;

import java.util.Arrays;

/**
 * The shape of a diffusers {@code AutoencoderKL}: from its {@code config.json} ({@link #fromJson})
 * or derived from the tensor shapes of a single-file checkpoint ({@link #fromWeights}).
 *
 * @param blockOutChannels encoder order; the decoder runs them reversed
 * @param sampleSize       the image size the VAE was trained at: diffusers' tile size in pixels
 * @param forceUpcast      decode / encode in float32 whatever the compute dtype (SDXL's VAE
 *                         overflows in fp16)
 */
public record VaeConfig(int inChannels, int outChannels, int latentChannels, int[] blockOutChannels,
                        int layersPerBlock, int normGroups, int sampleSize, double scalingFactor,
                        double shiftFactor, boolean forceUpcast, boolean midBlockAttention,
                        boolean useQuantConv, boolean usePostQuantConv) {

    /** ResNet / attention / output GroupNorm epsilon of diffusers' Encoder and Decoder. */
    public static final float EPS = 1e-6f;

    public VaeConfig {
        if (blockOutChannels.length == 0) throw new IllegalArgumentException("VAE config: block_out_channels is empty");
        for (int c : blockOutChannels) {
            if (c % normGroups != 0) {
                throw new IllegalArgumentException("VAE config: channels " + c + " not divisible by norm_num_groups " + normGroups);
            }
        }
        blockOutChannels = blockOutChannels.clone();
    }

    /** Pixels per latent pixel along one axis (8 for SD / SDXL). */
    public int scaleFactor() {
        return 1 << (blockOutChannels.length - 1);
    }

    @Override
    public int[] blockOutChannels() {
        return blockOutChannels.clone();
    }

    public static VaeConfig fromJson(JsonObject c) {
        JsonArray a = c.getAsJsonArray("block_out_channels");
        if (a == null) throw new IllegalArgumentException("VAE config: no block_out_channels");
        int[] blocks = new int[a.size()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = a.get(i).getAsInt();
        JsonElement shift = c.get("shift_factor");
        return new VaeConfig(ClipTextConfig.integer(c, "in_channels", 3), ClipTextConfig.integer(c, "out_channels", 3),
                ClipTextConfig.integer(c, "latent_channels", 4), blocks, ClipTextConfig.integer(c, "layers_per_block", 2),
                ClipTextConfig.integer(c, "norm_num_groups", 32), ClipTextConfig.integer(c, "sample_size", 1024),
                ClipTextConfig.number(c, "scaling_factor", 0.13025),
                shift == null || shift.isJsonNull() ? 0 : shift.getAsDouble(),
                bool(c, "force_upcast", true), bool(c, "mid_block_add_attention", true),
                bool(c, "use_quant_conv", true), bool(c, "use_post_quant_conv", true));
    }

    /**
     * Derived from the shapes (diffusers names): channels of each encoder block, resnets per
     * block, latent channels from {@code post_quant_conv} / {@code decoder.conv_in}. What shapes
     * cannot tell takes SDXL's values: 32 groups, sample size 1024, scaling factor 0.13025,
     * force_upcast.
     */
    public static VaeConfig fromWeights(Weights w) {
        if (!w.has("encoder.conv_in.weight") && !w.has("decoder.conv_in.weight")) {
            throw new IllegalArgumentException("not VAE weights: no encoder.conv_in / decoder.conv_in");
        }
        int n = 0;
        while (w.has("encoder.down_blocks." + n + ".resnets.0.conv1.weight")
                || w.has("decoder.up_blocks." + n + ".resnets.0.conv1.weight")) n++;
        int[] blocks = new int[n];
        boolean enc = w.has("encoder.down_blocks.0.resnets.0.conv1.weight");
        for (int i = 0; i < n; i++) {
            blocks[i] = enc ? (int) w.shape("encoder.down_blocks." + i + ".resnets.0.conv1.weight").get(0)
                    : (int) w.shape("decoder.up_blocks." + (n - 1 - i) + ".resnets.0.conv1.weight").get(0);
        }
        int layers = 0;
        String stem = enc ? "encoder.down_blocks.0.resnets." : "decoder.up_blocks.0.resnets.";
        while (w.has(stem + layers + ".conv1.weight")) layers++;
        if (!enc) layers--;
        int latent = (int) w.shape("decoder.conv_in.weight").get(1);
        int in = enc ? (int) w.shape("encoder.conv_in.weight").get(1) : 3;
        int out = w.has("decoder.conv_out.weight") ? (int) w.shape("decoder.conv_out.weight").get(0) : 3;
        int groups = 32;
        while (groups > 1 && !divides(groups, blocks)) groups /= 2;
        return new VaeConfig(in, out, latent, blocks, layers, groups, 1024, 0.13025, 0, true,
                w.has("decoder.mid_block.attentions.0.to_q.weight") || w.has("encoder.mid_block.attentions.0.to_q.weight"),
                w.has("quant_conv.weight"), w.has("post_quant_conv.weight"));
    }

    private static boolean divides(int g, int[] channels) {
        for (int c : channels) if (c % g != 0) return false;
        return true;
    }

    private static boolean bool(JsonObject c, String k, boolean d) {
        JsonElement e = c.get(k);
        return e == null || e.isJsonNull() ? d : e.getAsBoolean();
    }

    @Override
    public String toString() {
        return "VaeConfig[blocks=" + Arrays.toString(blockOutChannels) + ", layers=" + layersPerBlock + ", latent="
                + latentChannels + ", groups=" + normGroups + ", scaling=" + scalingFactor + ", forceUpcast=" + forceUpcast + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig v && v.toString().equals(toString()) && v.sampleSize == sampleSize
                && v.inChannels == inChannels && v.outChannels == outChannels && v.shiftFactor == shiftFactor
                && v.midBlockAttention == midBlockAttention && v.useQuantConv == useQuantConv
                && v.usePostQuantConv == usePostQuantConv;
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
