package instantid.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The shape of an SDXL-style {@code UNet2DConditionModel} (and of the encoder half a
 * {@code ControlNetModel} shares with it), with every per-block quantity resolved to one list
 * entry per block, so that a config read from {@code config.json} and one derived from tensor
 * shapes compare equal.
 *
 * <p>diffusers quirk kept on purpose: when {@code num_attention_heads} is absent, the field
 * {@code attention_head_dim} holds the number of HEADS per block (SDXL: [5, 10, 20] for 64-wide
 * heads). {@link #downHeads} is that resolved head count.
 *
 * @param downLayers       resnets per down block ({@code layers_per_block}); up blocks have one more
 * @param downTransformers transformer layers per down block (0 for blocks without attention is NOT
 *                         used: the list keeps the config's value; only attention blocks read it)
 * @param upTransformers   transformer layers per up block (reversed down list unless the config
 *                         says {@code reverse_transformer_layers_per_block})
 * @param midTransformers  transformer layers of the mid block
 * @param downHeads        attention heads per down block; up blocks use the reversed list, the mid
 *                         block the last entry
 * @param upBlockTypes     empty for a ControlNet (encoder only)
 * @param midCrossAttn     mid block is {@code UNetMidBlock2DCrossAttn} (else none)
 */
public record UNetConfig(int inChannels, int outChannels, List<Integer> blockOutChannels,
                         List<Integer> downLayers, List<String> downBlockTypes, List<String> upBlockTypes,
                         List<Integer> downTransformers, List<Integer> upTransformers, int midTransformers,
                         List<Integer> downHeads, int crossAttentionDim, int additionTimeEmbedDim,
                         int projectionClassEmbeddingsInputDim, int normGroups, float normEps,
                         boolean useLinearProjection, boolean flipSinToCos, int freqShift, boolean midCrossAttn) {

    public UNetConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        downLayers = List.copyOf(downLayers);
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        downTransformers = List.copyOf(downTransformers);
        upTransformers = List.copyOf(upTransformers);
        downHeads = List.copyOf(downHeads);
        int n = blockOutChannels.size();
        if (n == 0) throw new IllegalArgumentException("UNet config: block_out_channels is empty");
        String[] names = {"layers_per_block", "down_block_types", "transformer_layers_per_block", "attention heads"};
        List<List<?>> lists = List.of(downLayers, downBlockTypes, downTransformers, downHeads);
        for (int i = 0; i < names.length; i++) {
            if (lists.get(i).size() != n) {
                throw new IllegalArgumentException("UNet config: " + names[i] + " " + lists.get(i) + " has "
                        + lists.get(i).size() + " entries but block_out_channels has " + n);
            }
        }
        if (!upBlockTypes.isEmpty() && (upBlockTypes.size() != n || upTransformers.size() != n)) {
            throw new IllegalArgumentException("UNet config: up_block_types " + upBlockTypes
                    + " does not match " + n + " down blocks");
        }
    }

    /**
     * What tensor shapes cannot tell, needed by {@link #fromWeights(Weights, Assumed)}: the width
     * of one attention head, the GroupNorm group count, the sinusoidal width of each time id and
     * the norm epsilon. {@link #SDXL} holds the values of every published SDXL UNet.
     */
    public record Assumed(int headDim, int normGroups, int additionTimeEmbedDim, float normEps) {
        public static final Assumed SDXL = new Assumed(64, 32, 256, 1e-5f);
    }

    public int numBlocks() {
        return blockOutChannels.size();
    }

    public boolean downHasAttention(int i) {
        return downBlockTypes.get(i).startsWith("CrossAttn");
    }

    public boolean upHasAttention(int i) {
        return upBlockTypes.get(i).startsWith("CrossAttn");
    }

    /** Resnets of up block {@code i} (reversed down layers + 1). */
    public int upLayers(int i) {
        return downLayers.get(numBlocks() - 1 - i) + 1;
    }

    public int upHeads(int i) {
        return downHeads.get(numBlocks() - 1 - i);
    }

    public int midHeads() {
        return downHeads.get(numBlocks() - 1);
    }

    /** Width of the time embedding MLP input (sinusoid of the timestep): block_out_channels[0]. */
    public int timeProjDim() {
        return blockOutChannels.get(0);
    }

    // ------------------------------------------------------------------ from config.json

    /** From a diffusers {@code config.json} ({@code UNet2DConditionModel} or {@code ControlNetModel}). */
    public static UNetConfig fromJson(JsonObject c) {
        List<Integer> channels = ints(c, "block_out_channels", null, -1);
        int n = channels.size();
        List<String> down = strings(c, "down_block_types");
        List<String> up = strings(c, "up_block_types");
        List<Integer> layers = ints(c, "layers_per_block", 2, n);
        List<Integer> tDown = ints(c, "transformer_layers_per_block", 1, n);
        List<Integer> tUp = has(c, "reverse_transformer_layers_per_block")
                ? ints(c, "reverse_transformer_layers_per_block", 1, n) : reversed(tDown);
        if (up.isEmpty()) tUp = List.of();
        List<Integer> heads = has(c, "num_attention_heads")
                ? ints(c, "num_attention_heads", null, n) : ints(c, "attention_head_dim", 8, n);
        String mid = has(c, "mid_block_type") ? c.get("mid_block_type").getAsString() : "UNetMidBlock2DCrossAttn";
        return new UNetConfig(
                integer(c, "in_channels", 4),
                integer(c, "out_channels", integer(c, "in_channels", 4)),
                channels, layers, down, up, tDown, tUp, tDown.get(n - 1), heads,
                has(c, "cross_attention_dim") ? ints(c, "cross_attention_dim", null, -1).get(0) : 1280,
                integer(c, "addition_time_embed_dim", 0),
                integer(c, "projection_class_embeddings_input_dim", 0),
                integer(c, "norm_num_groups", 32),
                has(c, "norm_eps") ? c.get("norm_eps").getAsFloat() : 1e-5f,
                !has(c, "use_linear_projection") || c.get("use_linear_projection").getAsBoolean(),
                !has(c, "flip_sin_to_cos") || c.get("flip_sin_to_cos").getAsBoolean(),
                integer(c, "freq_shift", 0),
                "UNetMidBlock2DCrossAttn".equals(mid));
    }

    // ------------------------------------------------------------------ from tensor shapes

    /** {@link #fromWeights(Weights, Assumed)} with the SDXL constants (64-wide heads, 32 groups, ...). */
    public static UNetConfig fromWeights(Weights w) {
        return fromWeights(w, Assumed.SDXL);
    }

    /**
     * Derives the config from parameter shapes alone (a single-file checkpoint mapped to diffusers
     * names, or a ControlNet): channels, block count and kinds, resnets and transformer layers per
     * block, cross-attention width, linear vs conv projection, the added-embedding input width.
     * Heads are {@code channels / a.headDim}; groups, the time-id sinusoid width and eps come from
     * {@code a}. Nothing is loaded (only {@link Weights#shape} and {@link Weights#has}).
     */
    public static UNetConfig fromWeights(Weights w, Assumed a) {
        if (!w.has("conv_in.weight")) {
            throw new IllegalArgumentException("not a UNet/ControlNet: no 'conv_in.weight' among its parameters");
        }
        Set<String> names = w.names();
        int n = count(names, "down_blocks.");
        List<Integer> channels = new ArrayList<>(), layers = new ArrayList<>(), tDown = new ArrayList<>(),
                heads = new ArrayList<>();
        List<String> down = new ArrayList<>();
        int cross = 0;
        boolean linear = true;
        for (int i = 0; i < n; i++) {
            String b = "down_blocks." + i + ".";
            int ch = (int) w.shape(b + "resnets.0.conv1.weight").get(0);
            channels.add(ch);
            layers.add(count(names, b + "resnets."));
            heads.add(ch / a.headDim());
            boolean attn = w.has(b + "attentions.0.proj_in.weight");
            down.add(attn ? "CrossAttnDownBlock2D" : "DownBlock2D");
            tDown.add(attn ? count(names, b + "attentions.0.transformer_blocks.") : 1);
            if (attn) {
                cross = (int) w.shape(b + "attentions.0.transformer_blocks.0.attn2.to_k.weight").get(1);
                linear = w.shape(b + "attentions.0.proj_in.weight").dimension() == 2;
            }
        }
        // a block without attention has no transformer count in its weights: it is recorded as 1
        // for a down block and as its mirrored down block's count for an up block, which is what
        // the published configs hold for such blocks (SDXL: [1, 2, 10] and [10, 2, 1])
        int nUp = count(names, "up_blocks.");
        List<String> up = new ArrayList<>();
        List<Integer> tUp = new ArrayList<>();
        for (int i = 0; i < nUp; i++) {
            String b = "up_blocks." + i + ".";
            boolean attn = w.has(b + "attentions.0.proj_in.weight");
            up.add(attn ? "CrossAttnUpBlock2D" : "UpBlock2D");
            tUp.add(attn ? count(names, b + "attentions.0.transformer_blocks.") : tDown.get(n - 1 - i));
        }
        boolean midAttn = w.has("mid_block.attentions.0.proj_in.weight");
        int tMid = midAttn ? count(names, "mid_block.attentions.0.transformer_blocks.") : 1;
        int proj = w.has("add_embedding.linear_1.weight") ? (int) w.shape("add_embedding.linear_1.weight").get(1) : 0;
        return new UNetConfig(
                (int) w.shape("conv_in.weight").get(1),
                w.has("conv_out.weight") ? (int) w.shape("conv_out.weight").get(0) : (int) w.shape("conv_in.weight").get(1),
                channels, layers, down, up, tDown, tUp, tMid, heads, cross,
                proj > 0 ? a.additionTimeEmbedDim() : 0, proj, a.normGroups(), a.normEps(), linear, true, 0, midAttn);
    }

    // ------------------------------------------------------------------ attention processors

    /**
     * The module names of every attention processor in diffusers' registration order
     * ({@code unet.attn_processors}): down_blocks, then up_blocks, then mid_block (the UNet
     * registers its two ModuleLists before it assigns the mid block); attn1 then attn2 inside each
     * transformer block. ip-adapter.bin's {@code N.to_k_ip.weight} indexes this list.
     */
    public List<String> attentionProcessorOrder() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < numBlocks(); i++) {
            if (downHasAttention(i)) addProcessors(out, "down_blocks." + i, downLayers.get(i), downTransformers.get(i));
        }
        for (int i = 0; i < upBlockTypes.size(); i++) {
            if (upHasAttention(i)) addProcessors(out, "up_blocks." + i, upLayers(i), upTransformers.get(i));
        }
        if (midCrossAttn) addProcessors(out, "mid_block", 1, midTransformers);
        return Collections.unmodifiableList(out);
    }

    private static void addProcessors(List<String> out, String block, int attentions, int layers) {
        for (int a = 0; a < attentions; a++) {
            for (int t = 0; t < layers; t++) {
                String p = block + ".attentions." + a + ".transformer_blocks." + t;
                out.add(p + ".attn1.processor");
                out.add(p + ".attn2.processor");
            }
        }
    }

    // ------------------------------------------------------------------ json helpers

    private static boolean has(JsonObject c, String k) {
        return c.has(k) && !c.get(k).isJsonNull();
    }

    private static int integer(JsonObject c, String k, int dflt) {
        return has(c, k) ? c.get(k).getAsInt() : dflt;
    }

    /** An int-or-list field as a list of {@code n} entries ({@code n < 0}: as long as given). */
    private static List<Integer> ints(JsonObject c, String k, Integer dflt, int n) {
        List<Integer> out = new ArrayList<>();
        if (!has(c, k)) {
            if (dflt == null) throw new IllegalArgumentException("UNet config: '" + k + "' is missing");
            for (int i = 0; i < Math.max(n, 1); i++) out.add(dflt);
            return out;
        }
        JsonElement e = c.get(k);
        if (e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                if (x.isJsonArray()) {
                    throw new IllegalArgumentException("UNet config: '" + k
                            + "' with a list per block (different counts per layer) is not supported");
                }
                out.add(x.getAsInt());
            }
            if (n >= 0 && out.size() != n) {
                throw new IllegalArgumentException("UNet config: '" + k + "' has " + out.size()
                        + " entries, expected one per block (" + n + ")");
            }
        } else {
            for (int i = 0; i < Math.max(n, 1); i++) out.add(e.getAsInt());
        }
        return out;
    }

    private static List<String> strings(JsonObject c, String k) {
        List<String> out = new ArrayList<>();
        if (has(c, k)) for (JsonElement x : c.get(k).getAsJsonArray()) out.add(x.getAsString());
        return out;
    }

    private static <T> List<T> reversed(List<T> l) {
        List<T> r = new ArrayList<>(l);
        Collections.reverse(r);
        return r;
    }

    /** Number of consecutive indices {@code prefix + i + "."} present among the names. */
    private static int count(Set<String> names, String prefix) {
        int n = 0;
        while (hasPrefix(names, prefix + n + ".")) n++;
        return n;
    }

    private static boolean hasPrefix(Set<String> names, String p) {
        for (String name : names) if (name.startsWith(p)) return true;
        return false;
    }

}
