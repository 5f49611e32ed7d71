package instantid.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The module correspondence between the original (SGM / LDM) layout and diffusers, derived from
 * the block structure a key set shows — how many ResNets each level has, which levels have
 * attention, where the down/up samplers are — the way diffusers' conversion scripts and
 * stable-diffusion.cpp's name conversion count {@code input_blocks.N} / {@code output_blocks.N}.
 * Works from either side's keys, so a UNet of any depth or width (the tiny fixtures, the real
 * SDXL) maps without a table. Names here are relative: no {@code model.diffusion_model.} or
 * {@code first_stage_model.} prefix.
 */
final class SgmNames {

    /** diffusers module path ↔ SGM module path; {@code sub} renames the module's own children. */
    record Module(String diffusers, String sgm, Map<String, String> sub) {
    }

    static final Map<String, String> UNET_RESNET = Map.of(
            "norm1", "in_layers.0", "conv1", "in_layers.2", "time_emb_proj", "emb_layers.1",
            "norm2", "out_layers.0", "conv2", "out_layers.3", "conv_shortcut", "skip_connection");
    static final Map<String, String> VAE_RESNET = Map.of("conv_shortcut", "nin_shortcut");
    static final Map<String, String> VAE_ATTN = Map.of(
            "group_norm", "norm", "to_q", "q", "to_k", "k", "to_v", "v", "to_out.0", "proj_out");
    private static final Map<String, String> SAME = Map.of();

    /** Block structure of a UNet: per level, ResNet count, attention, sampler. */
    record UnetShape(int[] downResnets, boolean[] downAttn, int[] upResnets, boolean[] upAttn, boolean midAttn) {
    }

    private static final Pattern D_RES = Pattern.compile("^down_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\.");
    private static final Pattern D_ATT = Pattern.compile("^down_blocks\\.(\\d+)\\.attentions\\.");
    private static final Pattern U_RES = Pattern.compile("^up_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\.");
    private static final Pattern U_ATT = Pattern.compile("^up_blocks\\.(\\d+)\\.attentions\\.");
    private static final Pattern IN = Pattern.compile("^input_blocks\\.(\\d+)\\.(\\d+)\\.");
    private static final Pattern OUT = Pattern.compile("^output_blocks\\.(\\d+)\\.(\\d+)\\.");

    /** The UNet structure seen in diffusers names (UNet2DConditionModel or ControlNetModel). */
    static UnetShape unetFromDiffusers(Collection<String> keys) {
        int nd = 1 + maxIndex(keys, D_RES, 1), nu = 1 + maxIndex(keys, U_RES, 1);
        int[] dr = new int[nd], ur = new int[nu];
        boolean[] da = new boolean[nd], ua = new boolean[nu];
        boolean mid = false;
        for (String k : keys) {
            Matcher m;
            if ((m = D_RES.matcher(k)).find()) dr[i(m, 1)] = Math.max(dr[i(m, 1)], i(m, 2) + 1);
            else if ((m = D_ATT.matcher(k)).find()) da[i(m, 1)] = true;
            else if ((m = U_RES.matcher(k)).find()) ur[i(m, 1)] = Math.max(ur[i(m, 1)], i(m, 2) + 1);
            else if ((m = U_ATT.matcher(k)).find()) ua[i(m, 1)] = true;
            else if (k.startsWith("mid_block.attentions.")) mid = true;
        }
        return new UnetShape(dr, da, ur, ua, mid);
    }

    /** The UNet structure seen in SGM names ({@code input_blocks}, {@code middle_block}, {@code output_blocks}). */
    static UnetShape unetFromSgm(Collection<String> keys) {
        int nIn = 1 + maxIndex(keys, IN, 1), nOut = 1 + maxIndex(keys, OUT, 1);
        boolean[] op = new boolean[nIn], inAttn = new boolean[nIn], outAttn = new boolean[nOut];
        boolean mid = false;
        for (String k : keys) {
            Matcher m;
            if ((m = IN.matcher(k)).find()) {
                if (i(m, 2) == 0 && k.startsWith("input_blocks." + i(m, 1) + ".0.op.")) op[i(m, 1)] = true;
                if (i(m, 2) == 1) inAttn[i(m, 1)] = true;
            } else if ((m = OUT.matcher(k)).find()) {
                if (i(m, 2) == 1 && !k.startsWith("output_blocks." + i(m, 1) + ".1.conv.")) outAttn[i(m, 1)] = true;
            } else if (k.startsWith("middle_block.2.")) {
                mid = true;
            }
        }
        List<Integer> res = new ArrayList<>();
        List<Boolean> att = new ArrayList<>();
        int count = 0;
        boolean a = false;
        for (int i = 1; i < nIn; i++) {
            if (op[i]) {
                res.add(count);
                att.add(a);
                count = 0;
                a = false;
            } else {
                count++;
                a |= inAttn[i];
            }
        }
        res.add(count);
        att.add(a);
        int nd = res.size();
        int[] dr = new int[nd];
        boolean[] da = new boolean[nd];
        for (int b = 0; b < nd; b++) {
            dr[b] = res.get(b);
            da[b] = att.get(b);
        }
        int[] ur = new int[nd];
        boolean[] ua = new boolean[nd];
        int o = 0;
        for (int u = 0; u < nd; u++) {
            ur[u] = dr[nd - 1 - u] + 1;
            for (int j = 0; j < ur[u] && o < nOut; j++, o++) ua[u] |= outAttn[o];
        }
        return new UnetShape(dr, da, ur, ua, mid);
    }

    /** Every module of a UNet (or the encoder half of a ControlNet when {@code up} is false). */
    static List<Module> unetModules(UnetShape s, boolean up) {
        List<Module> out = new ArrayList<>();
        out.add(new Module("conv_in", "input_blocks.0.0", SAME));
        out.add(new Module("time_embedding.linear_1", "time_embed.0", SAME));
        out.add(new Module("time_embedding.linear_2", "time_embed.2", SAME));
        out.add(new Module("add_embedding.linear_1", "label_emb.0.0", SAME));
        out.add(new Module("add_embedding.linear_2", "label_emb.0.2", SAME));
        int nd = s.downResnets().length;
        int i = 1;
        for (int b = 0; b < nd; b++) {
            for (int j = 0; j < s.downResnets()[b]; j++, i++) {
                out.add(new Module("down_blocks." + b + ".resnets." + j, "input_blocks." + i + ".0", UNET_RESNET));
                if (s.downAttn()[b]) out.add(new Module("down_blocks." + b + ".attentions." + j, "input_blocks." + i + ".1", SAME));
            }
            if (b < nd - 1) {
                out.add(new Module("down_blocks." + b + ".downsamplers.0.conv", "input_blocks." + i + ".0.op", SAME));
                i++;
            }
        }
        out.add(new Module("mid_block.resnets.0", "middle_block.0", UNET_RESNET));
        if (s.midAttn()) {
            out.add(new Module("mid_block.attentions.0", "middle_block.1", SAME));
            out.add(new Module("mid_block.resnets.1", "middle_block.2", UNET_RESNET));
        } else {
            out.add(new Module("mid_block.resnets.1", "middle_block.1", UNET_RESNET));
        }
        if (!up) return out;
        int o = 0;
        for (int u = 0; u < s.upResnets().length; u++) {
            for (int j = 0; j < s.upResnets()[u]; j++, o++) {
                out.add(new Module("up_blocks." + u + ".resnets." + j, "output_blocks." + o + ".0", UNET_RESNET));
                if (s.upAttn()[u]) out.add(new Module("up_blocks." + u + ".attentions." + j, "output_blocks." + o + ".1", SAME));
                if (j == s.upResnets()[u] - 1 && u < s.upResnets().length - 1) {
                    out.add(new Module("up_blocks." + u + ".upsamplers.0.conv",
                            "output_blocks." + o + "." + (s.upAttn()[u] ? 2 : 1) + ".conv", SAME));
                }
            }
        }
        out.add(new Module("conv_norm_out", "out.0", SAME));
        out.add(new Module("conv_out", "out.2", SAME));
        return out;
    }

    /** Levels (encoder down / decoder up) and ResNets per level of an SGM VAE. */
    static List<Module> vaeModulesFromSgm(Collection<String> keys) {
        Pattern down = Pattern.compile("^encoder\\.down\\.(\\d+)\\.block\\.(\\d+)\\.");
        Pattern upP = Pattern.compile("^decoder\\.up\\.(\\d+)\\.block\\.(\\d+)\\.");
        int nDown = 1 + maxIndex(keys, down, 1), nUp = 1 + maxIndex(keys, upP, 1);
        int[] dr = new int[Math.max(nDown, 0)], ur = new int[Math.max(nUp, 0)];
        for (String k : keys) {
            Matcher m;
            if ((m = down.matcher(k)).find()) dr[i(m, 1)] = Math.max(dr[i(m, 1)], i(m, 2) + 1);
            if ((m = upP.matcher(k)).find()) ur[i(m, 1)] = Math.max(ur[i(m, 1)], i(m, 2) + 1);
        }
        return vaeModules(dr, ur);
    }

    static List<Module> vaeModulesFromDiffusers(Collection<String> keys) {
        Pattern down = Pattern.compile("^encoder\\.down_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\.");
        Pattern upP = Pattern.compile("^decoder\\.up_blocks\\.(\\d+)\\.resnets\\.(\\d+)\\.");
        int nDown = 1 + maxIndex(keys, down, 1), nUp = 1 + maxIndex(keys, upP, 1);
        int[] dr = new int[nDown], urD = new int[nUp];
        for (String k : keys) {
            Matcher m;
            if ((m = down.matcher(k)).find()) dr[i(m, 1)] = Math.max(dr[i(m, 1)], i(m, 2) + 1);
            if ((m = upP.matcher(k)).find()) urD[i(m, 1)] = Math.max(urD[i(m, 1)], i(m, 2) + 1);
        }
        int[] ur = new int[nUp]; // SGM order: up.0 is the last diffusers up block
        for (int u = 0; u < nUp; u++) ur[u] = urD[nUp - 1 - u];
        return vaeModules(dr, ur);
    }

    private static List<Module> vaeModules(int[] dr, int[] ur) {
        List<Module> out = new ArrayList<>();
        for (String half : new String[] {"encoder", "decoder"}) {
            out.add(new Module(half + ".conv_in", half + ".conv_in", SAME));
            out.add(new Module(half + ".conv_out", half + ".conv_out", SAME));
            out.add(new Module(half + ".conv_norm_out", half + ".norm_out", SAME));
            out.add(new Module(half + ".mid_block.resnets.0", half + ".mid.block_1", VAE_RESNET));
            out.add(new Module(half + ".mid_block.resnets.1", half + ".mid.block_2", VAE_RESNET));
            out.add(new Module(half + ".mid_block.attentions.0", half + ".mid.attn_1", VAE_ATTN));
        }
        for (int b = 0; b < dr.length; b++) {
            for (int j = 0; j < dr[b]; j++) {
                out.add(new Module("encoder.down_blocks." + b + ".resnets." + j, "encoder.down." + b + ".block." + j, VAE_RESNET));
            }
            if (b < dr.length - 1) {
                out.add(new Module("encoder.down_blocks." + b + ".downsamplers.0.conv", "encoder.down." + b + ".downsample.conv", SAME));
            }
        }
        int n = ur.length;
        for (int i = 0; i < n; i++) {
            int u = n - 1 - i;
            for (int j = 0; j < ur[i]; j++) {
                out.add(new Module("decoder.up_blocks." + u + ".resnets." + j, "decoder.up." + i + ".block." + j, VAE_RESNET));
            }
            if (i > 0) out.add(new Module("decoder.up_blocks." + u + ".upsamplers.0.conv", "decoder.up." + i + ".upsample.conv", SAME));
        }
        out.add(new Module("quant_conv", "quant_conv", SAME));
        out.add(new Module("post_quant_conv", "post_quant_conv", SAME));
        return out;
    }

    /** A lookup of full key names through a module table, in either direction. */
    static final class Table {
        private final Map<String, Module> byPrefix = new HashMap<>();
        private final boolean toDiffusers;

        Table(List<Module> modules, boolean toDiffusers) {
            this.toDiffusers = toDiffusers;
            for (Module m : modules) byPrefix.put(toDiffusers ? m.sgm() : m.diffusers(), m);
        }

        /** The key in the other naming, or null when no module of the table holds it. */
        String map(String key) {
            int dot = key.length();
            while ((dot = key.lastIndexOf('.', dot - 1)) > 0) {
                Module m = byPrefix.get(key.substring(0, dot));
                if (m != null) return join(m, key.substring(dot + 1));
            }
            return null;
        }

        /** A module path (no parameter name) in the other naming, or null. */
        String module(String path) {
            Module m = byPrefix.get(path);
            if (m != null) return toDiffusers ? m.diffusers() : m.sgm();
            String k = map(path + ".x");
            return k == null ? null : k.substring(0, k.length() - 2);
        }

        private String join(Module m, String rest) {
            String from = toDiffusers ? m.sgm() : m.diffusers();
            String to = toDiffusers ? m.diffusers() : m.sgm();
            assert from != null;
            for (Map.Entry<String, String> r : m.sub().entrySet()) {
                String a = toDiffusers ? r.getValue() : r.getKey();
                String b = toDiffusers ? r.getKey() : r.getValue();
                if (rest.equals(a) || rest.startsWith(a + ".")) return to + "." + b + rest.substring(a.length());
            }
            return to + "." + rest;
        }
    }

    private static int maxIndex(Collection<String> keys, Pattern p, int group) {
        int max = -1;
        for (String k : keys) {
            Matcher m = p.matcher(k);
            if (m.find()) max = Math.max(max, Integer.parseInt(m.group(group)));
        }
        return max;
    }

    private static int i(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }
}
