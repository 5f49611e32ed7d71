package instantid.load;

import instantid.io.TensorSource;
import instantid.io.WeightFileException;
import instantid.tensor.Transform;
import instantid.tensor.Weights;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps every layout a network is published in onto ONE internal naming — the diffusers /
 * transformers parameter names:
 * <ul>
 * <li>UNet, ControlNet: diffusers {@code UNet2DConditionModel} / {@code ControlNetModel} names;</li>
 * <li>VAE: diffusers {@code AutoencoderKL} names (mid attention as Linear {@code to_q/to_k/to_v/to_out.0});</li>
 * <li>text encoders: transformers {@code CLIPTextModel} / {@code CLIPTextModelWithProjection} names
 *     without the {@code text_model.} prefix ({@code embeddings.token_embedding.weight},
 *     {@code encoder.layers.N.self_attn.q_proj.weight}, {@code final_layer_norm.weight},
 *     {@code text_projection.weight});</li>
 * <li>ip-adapter.bin: its own names ({@code image_proj.*}, {@code ip_adapter.N.to_k_ip.weight}).</li>
 * </ul>
 * SGM (single-file) UNet/VAE names are derived from the structure the keys show ({@link SgmNames});
 * OpenCLIP's fused attention is split with {@link Transform#rows}, its projection transposed.
 * A key under a network's prefix that no rule explains is reported ({@link Result#unused()}) and
 * refused by {@link #fill}: a file that is not what it claims never loads half-way.
 */
public final class KeyMaps {

    private KeyMaps() {
    }

    /** One file tensor as one internal parameter. */
    public record Mapping(String name, String key, Transform transform) {
    }

    /** The mappings of one network, and the keys under its prefix that nothing explained. */
    public record Result(List<Mapping> mappings, Set<String> unused) {
        /** Internal name → mapping. */
        public Map<String, Mapping> byName() {
            Map<String, Mapping> m = new LinkedHashMap<>();
            for (Mapping x : mappings) m.put(x.name(), x);
            return m;
        }
    }

    /** Buffers and training leftovers that are not parameters of the networks. */
    private static final Pattern IGNORED = Pattern.compile(
            "(^|\\.)(position_ids|logit_scale|attn_mask)$");

    private static final Pattern HF_CLIP = Pattern.compile("^(embeddings\\.(token_embedding|position_embedding)\\.weight"
            + "|encoder\\.layers\\.\\d+\\.(self_attn\\.(q|k|v|out)_proj|layer_norm[12]|mlp\\.fc[12])\\.(weight|bias)"
            + "|final_layer_norm\\.(weight|bias)|text_projection\\.weight)$");
    private static final Pattern CONTROLNET_EXTRA = Pattern.compile("^(controlnet_cond_embedding\\.(conv_in|conv_out|blocks\\.\\d+)"
            + "|controlnet_down_blocks\\.\\d+|controlnet_mid_block)\\.(weight|bias)$");
    private static final Pattern IMAGE_PROJ = Pattern.compile("^image_proj\\.(latents|(proj_in|proj_out|norm_out)\\.(weight|bias)"
            + "|layers\\.\\d+\\.0\\.(norm1|norm2)\\.(weight|bias)|layers\\.\\d+\\.0\\.(to_q|to_kv|to_out)\\.weight"
            + "|layers\\.\\d+\\.1\\.[013]\\.(weight|bias))$");
    private static final Pattern IP_ATTN = Pattern.compile("^ip_adapter\\.(\\d+)\\.to_[kv]_ip\\.weight$");

    /**
     * The mappings of {@code net} from the keys of {@code src} under {@code prefix}, named as
     * {@code naming} says.
     */
    public static Result map(ModelLayout.Net net, ModelLayout.Naming naming, TensorSource src, String prefix) {
        List<String> keys = new ArrayList<>();
        Set<String> unused = new TreeSet<>();
        for (String k : src.names()) {
            if (!k.startsWith(prefix)) continue;
            String rel = k.substring(prefix.length());
            if (IGNORED.matcher(rel).find()) continue;
            keys.add(rel);
        }
        List<Mapping> out = new ArrayList<>();
        switch (net) {
            case UNET:
            case CONTROLNET: {
                boolean cn = net == ModelLayout.Net.CONTROLNET;
                if (naming == ModelLayout.Naming.SGM) {
                    SgmNames.Table t = new SgmNames.Table(SgmNames.unetModules(SgmNames.unetFromSgm(keys), !cn), true);
                    for (String k : keys) add(out, unused, t.map(k), prefix + k, Transform.NONE);
                } else {
                    SgmNames.Table t = new SgmNames.Table(SgmNames.unetModules(SgmNames.unetFromDiffusers(keys), !cn), false);
                    for (String k : keys) {
                        boolean known = t.map(k) != null || (cn && CONTROLNET_EXTRA.matcher(k).matches());
                        add(out, unused, known ? k : null, prefix + k, Transform.NONE);
                    }
                }
                break;
            }
            case VAE: {
                if (naming == ModelLayout.Naming.SGM) {
                    SgmNames.Table t = new SgmNames.Table(SgmNames.vaeModulesFromSgm(keys), true);
                    for (String k : keys) {
                        String n = t.map(k);
                        boolean squeeze = n != null && n.contains(".mid_block.attentions.") && n.endsWith(".weight")
                                && !n.contains("group_norm");
                        add(out, unused, n, prefix + k, squeeze ? Transform.SQUEEZE_TRAILING : Transform.NONE);
                    }
                } else {
                    SgmNames.Table t = new SgmNames.Table(SgmNames.vaeModulesFromDiffusers(keys), false);
                    for (String k : keys) {
                        String n = deprecatedVaeAttention(k); // older diffusers files (e.g. some SDXL VAE uploads)
                        add(out, unused, t.map(n) != null ? n : null, prefix + k, Transform.NONE);
                    }
                }
                break;
            }
            case TEXT_ENCODER:
            case TEXT_ENCODER_2: {
                if (naming == ModelLayout.Naming.OPENCLIP) {
                    for (String k : keys) openClip(out, unused, k, prefix);
                } else {
                    for (String k : keys) {
                        String n = k.startsWith("text_model.") ? k.substring("text_model.".length()) : k;
                        add(out, unused, HF_CLIP.matcher(n).matches() ? n : null, prefix + k, Transform.NONE);
                    }
                }
                break;
            }
            case IP_ADAPTER: {
                for (String k : keys) {
                    boolean known = IMAGE_PROJ.matcher(k).matches() || IP_ATTN.matcher(k).matches();
                    add(out, unused, known ? k : null, prefix + k, Transform.NONE);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("no key map for " + net);
        }
        return new Result(out, unused);
    }

    private static final Pattern OLD_VAE_ATTN = Pattern.compile("^(.*\\.mid_block\\.attentions\\.\\d+\\.)(query|key|value|proj_attn)\\.(weight|bias)$");

    /** diffusers' deprecated VAE attention names (query/key/value/proj_attn) → to_q/to_k/to_v/to_out.0. */
    private static String deprecatedVaeAttention(String k) {
        var m = OLD_VAE_ATTN.matcher(k);
        if (!m.matches()) return k;
        String to = switch (m.group(2)) {
            case "query" -> "to_q";
            case "key" -> "to_k";
            case "value" -> "to_v";
            default -> "to_out.0";
        };
        return m.group(1) + to + "." + m.group(3);
    }

    private static final Pattern OC_BLOCK = Pattern.compile("^transformer\\.resblocks\\.(\\d+)\\.(.+)$");
    private static final Map<String, String> OC_SAME = Map.of(
            "attn.out_proj", "self_attn.out_proj", "ln_1", "layer_norm1", "ln_2", "layer_norm2",
            "mlp.c_fc", "mlp.fc1", "mlp.c_proj", "mlp.fc2");

    /** OpenCLIP text tower (SGM {@code conditioner.embedders.1.model.*}) → CLIPTextModelWithProjection. */
    private static void openClip(List<Mapping> out, Set<String> unused, String k, String prefix) {
        String key = prefix + k;
        switch (k) {
            case "token_embedding.weight": add(out, unused, "embeddings.token_embedding.weight", key, Transform.NONE); return;
            case "positional_embedding": add(out, unused, "embeddings.position_embedding.weight", key, Transform.NONE); return;
            case "ln_final.weight": add(out, unused, "final_layer_norm.weight", key, Transform.NONE); return;
            case "ln_final.bias": add(out, unused, "final_layer_norm.bias", key, Transform.NONE); return;
            case "text_projection": add(out, unused, "text_projection.weight", key, Transform.TRANSPOSE); return;
            default: break;
        }
        var m = OC_BLOCK.matcher(k);
        if (!m.matches()) {
            unused.add(key);
            return;
        }
        String layer = "encoder.layers." + m.group(1) + ".";
        String rest = m.group(2);
        if (rest.equals("attn.in_proj_weight") || rest.equals("attn.in_proj_bias")) {
            String kind = rest.endsWith("weight") ? "weight" : "bias";
            String[] qkv = {"q_proj", "k_proj", "v_proj"};
            for (int i = 0; i < 3; i++) {
                out.add(new Mapping(layer + "self_attn." + qkv[i] + "." + kind, key, Transform.rows(i, 3)));
            }
            return;
        }
        int dot = rest.lastIndexOf('.');
        String mod = dot < 0 ? null : OC_SAME.get(rest.substring(0, dot));
        add(out, unused, mod == null ? null : layer + mod + rest.substring(dot), key, Transform.NONE);
    }

    private static void add(List<Mapping> out, Set<String> unused, String name, String key, Transform t) {
        if (name == null) unused.add(key);
        else out.add(new Mapping(name, key, t));
    }

    /**
     * Registers the parameters of {@code net} of a layout in {@code w}, from {@code src} (the file of
     * that part, already open). A key that no rule explains is an error naming the file and up to
     * three such keys.
     */
    public static Weights fill(Weights w, ModelLayout.Net net, TensorSource src, ModelLayout.Part part) {
        Result r = map(net, part.naming(), src, part.prefix());
        if (!r.unused().isEmpty()) {
            throw WeightFileException.of(src.path(), r.unused().size() + " keys under '" + part.prefix() + "' are not "
                    + net.label + " parameters in the " + part.naming() + " layout, e.g. "
                    + r.unused().stream().limit(3).toList() + ": a different model kind or an unsupported variant");
        }
        if (r.mappings().isEmpty()) {
            throw WeightFileException.of(src.path(), "holds no " + net.label + " parameters under '" + part.prefix() + "'");
        }
        for (Mapping m : r.mappings()) w.map(m.name(), src, m.key(), m.transform());
        return w;
    }

    /** {@link #fill} for the UNet. */
    public static Weights unet(Weights w, TensorSource src, ModelLayout layout) {
        return fill(w, ModelLayout.Net.UNET, src, layout.part(ModelLayout.Net.UNET));
    }

    /** {@link #fill} for the VAE. */
    public static Weights vae(Weights w, TensorSource src, ModelLayout layout) {
        return fill(w, ModelLayout.Net.VAE, src, layout.part(ModelLayout.Net.VAE));
    }

    /** {@link #fill} for the first (CLIP-L) text encoder. */
    public static Weights textEncoder(Weights w, TensorSource src, ModelLayout layout) {
        return fill(w, ModelLayout.Net.TEXT_ENCODER, src, layout.part(ModelLayout.Net.TEXT_ENCODER));
    }

    /** {@link #fill} for the second (OpenCLIP bigG) text encoder. */
    public static Weights textEncoder2(Weights w, TensorSource src, ModelLayout layout) {
        return fill(w, ModelLayout.Net.TEXT_ENCODER_2, src, layout.part(ModelLayout.Net.TEXT_ENCODER_2));
    }

    // ---- the UNet's attention processors and LoRA names --------------------------------------

    /**
     * The UNet's attention modules in diffusers' {@code attn_processors} order (down blocks, up
     * blocks, then the mid block; attn1 before attn2), from its internal parameter names.
     * ip-adapter.bin's {@code ip_adapter.N} index this list.
     */
    public static List<String> attentionProcessors(Collection<String> unetNames) {
        Set<String> seen = new java.util.HashSet<>();
        List<String> down = new ArrayList<>(), up = new ArrayList<>(), mid = new ArrayList<>();
        Pattern p = Pattern.compile("^(.*\\.transformer_blocks\\.\\d+\\.attn[12])\\.to_q\\.weight$");
        for (String n : new TreeSet<>(unetNames)) {
            var m = p.matcher(n);
            if (!m.matches() || !seen.add(m.group(1))) continue;
            String a = m.group(1);
            (a.startsWith("down_blocks.") ? down : a.startsWith("up_blocks.") ? up : mid).add(a);
        }
        java.util.Comparator<String> numeric = KeyMaps::compareNumeric;
        down.sort(numeric);
        up.sort(numeric);
        mid.sort(numeric);
        List<String> out = new ArrayList<>(down);
        out.addAll(up);
        out.addAll(mid);
        return out;
    }

    /**
     * ip-adapter.bin's decoupled key/value weights as UNet parameters:
     * {@code ip_adapter.N.to_k_ip.weight} → {@code <attention N>.to_k_ip.weight}. An index that is
     * not a cross-attention of this UNet, or a width that does not fit it, is an error.
     */
    public static Map<String, String> ipAdapterNames(Collection<String> unetNames, TensorSource ip,
                                                     java.util.function.Function<String, long[]> unetShape) {
        List<String> procs = attentionProcessors(unetNames);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : ip.names()) {
            var m = IP_ATTN.matcher(k);
            if (!m.matches()) continue;
            int i = Integer.parseInt(m.group(1));
            if (i >= procs.size() || !procs.get(i).endsWith("attn2")) {
                throw WeightFileException.of(ip.path(), k, "index " + i + " is not a cross-attention of this UNet ("
                        + procs.size() + " attention processors): an ip-adapter for another base model");
            }
            String target = procs.get(i) + k.substring(k.indexOf(".to_"));
            long[] s = ip.info(k).shape();
            long[] q = unetShape.apply(procs.get(i) + ".to_k.weight");
            if (q != null && s[0] != q[0]) {
                throw WeightFileException.of(ip.path(), k, "has " + s[0] + " output features but "
                        + procs.get(i) + " has " + q[0] + ": an ip-adapter for another base model");
            }
            out.put(k, target);
        }
        return out;
    }

    /** The SGM module path of a diffusers UNet module ({@code down_blocks.1.attentions.0.proj_in} → {@code input_blocks.4.1.proj_in}). */
    public static String sgmModule(Collection<String> unetNames, String diffusersModule) {
        return new SgmNames.Table(SgmNames.unetModules(SgmNames.unetFromDiffusers(unetNames), true), false)
                .module(diffusersModule);
    }

    /** The diffusers module path of an SGM UNet module, for a UNet with these internal names. */
    public static String diffusersModule(Collection<String> unetNames, String sgmModule) {
        return new SgmNames.Table(SgmNames.unetModules(SgmNames.unetFromDiffusers(unetNames), true), true)
                .module(sgmModule);
    }

    /**
     * kohya LoRA stems of every UNet module that has a weight → its diffusers module path, in both
     * spellings kohya files use: SGM ({@code lora_unet_input_blocks_4_1_proj_in}) and diffusers
     * ({@code lora_unet_down_blocks_1_attentions_0_proj_in}).
     */
    public static Map<String, String> kohyaUnetModules(Collection<String> unetNames) {
        SgmNames.Table t = new SgmNames.Table(SgmNames.unetModules(SgmNames.unetFromDiffusers(unetNames), true), false);
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : unetNames) {
            if (!n.endsWith(".weight")) continue;
            String mod = n.substring(0, n.length() - ".weight".length());
            out.put("lora_unet_" + mod.replace('.', '_'), mod);
            String sgm = t.module(mod);
            if (sgm != null) out.put("lora_unet_" + sgm.replace('.', '_'), mod);
        }
        return out;
    }

    /** kohya stems of a text encoder ({@code lora_te1_text_model_encoder_layers_0_self_attn_q_proj}) → internal module path. */
    public static Map<String, String> kohyaTextModules(Collection<String> textNames, String stemPrefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : textNames) {
            if (!n.endsWith(".weight")) continue;
            String mod = n.substring(0, n.length() - ".weight".length());
            out.put(stemPrefix + "text_model_" + mod.replace('.', '_'), mod);
        }
        return out;
    }

    private static int compareNumeric(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            if (x[i].matches("\\d+") && y[i].matches("\\d+")) c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            else c = x[i].compareTo(y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }
}
