package instantid.nn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * diffusers' per-block IP-adapter scale dict ({@code pipe.set_ip_adapter_scale({"down": {"block_2":
 * [0.0, 1.0]}, "up": {"block_0": [0.0, 1.0, 0.0]}})}) expanded as its
 * {@code _maybe_expand_lora_scales(unet, scales, default_scale=0.0)} does: a number for "down"/"up"
 * covers every block, a number for a block every transformer of it, a list one entry per
 * transformer ({@code attentions.j}), "mid" the mid block's; every block and transformer the dict
 * does not list gets 0. The result is {@link BlockScales} keyed by module
 * ({@code up_blocks.0.attentions.1}); a bare number is that scale everywhere.
 */
public final class IpScaleDict {

    private IpScaleDict() {
    }

    /** Expands a dict of Numbers, Lists of Numbers and nested Maps, or a bare Number. */
    public static BlockScales expand(Object scales, UNetConfig unet) {
        if (scales instanceof Number n) {
            float f = n.floatValue();
            return m -> f;
        }
        if (!(scales instanceof Map<?, ?> dict)) throw new IllegalArgumentException("IP scale dict: expected a number or a dict, got " + scales);
        for (Object k : dict.keySet()) {
            if (!List.of("down", "mid", "up").contains(String.valueOf(k))) {
                throw new IllegalArgumentException("IP scale dict: key '" + k + "' is not down, mid or up");
            }
        }
        Map<String, Float> out = new LinkedHashMap<>();
        Object mid = dict.get("mid");
        if (mid instanceof List<?> l) {
            if (l.size() != 1) throw new IllegalArgumentException("IP scale dict: 'mid' takes one number, got " + l);
            mid = l.get(0);
        }
        if (unet.midCrossAttn()) out.put("mid_block.attentions.0", mid == null ? 0f : number(mid, "mid"));
        for (String updown : List.of("down", "up")) {
            List<Integer> blocks = new ArrayList<>();
            int n = updown.equals("down") ? unet.numBlocks() : unet.upBlockTypes().size();
            for (int i = 0; i < n; i++) {
                if (updown.equals("down") ? unet.downHasAttention(i) : unet.upHasAttention(i)) blocks.add(i);
            }
            Object v = dict.get(updown);
            for (Object k : v instanceof Map<?, ?> m ? m.keySet() : List.of()) {
                String key = String.valueOf(k);
                if (!key.startsWith("block_") || !blocks.contains(parse(key.substring(6)))) {
                    throw new IllegalArgumentException("IP scale dict: '" + updown + "." + key + "' is not a block with attentions "
                            + "(those are block_" + blocks + ")");
                }
            }
            for (int i : blocks) {
                Object bv = v instanceof Map<?, ?> m ? m.get("block_" + i) : v;
                int per = updown.equals("down") ? unet.downLayers().get(i) : unet.upLayers(i);
                List<Float> vals = new ArrayList<>();
                if (bv == null) {
                    for (int j = 0; j < per; j++) vals.add(0f);
                } else if (bv instanceof List<?> l) {
                    if (l.size() != 1 && l.size() != per) {
                        throw new IllegalArgumentException("IP scale dict: " + updown + ".block_" + i + " has " + l.size()
                                + " entries; that block has " + per + " transformers");
                    }
                    for (int j = 0; j < per; j++) vals.add(number(l.get(l.size() == 1 ? 0 : j), updown + ".block_" + i));
                } else {
                    float f = number(bv, updown + ".block_" + i);
                    for (int j = 0; j < per; j++) vals.add(f);
                }
                for (int j = 0; j < per; j++) out.put(updown + "_blocks." + i + ".attentions." + j, vals.get(j));
            }
        }
        return BlockScales.of(out, 0f);
    }

    /** Parses the dict from JSON ({@code {"up": {"block_0": [0.0, 1.0, 0.0]}}}) or a bare number. */
    public static BlockScales parse(String json, UNetConfig unet) {
        JsonElement e;
        try {
            e = JsonParser.parseString(json);
        } catch (RuntimeException x) {
            throw new IllegalArgumentException("IP scale dict '" + json + "' is not JSON: " + x.getMessage());
        }
        return expand(toJava(e), unet);
    }

    static Object toJava(JsonElement e) {
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> x : ((JsonObject) e).entrySet()) m.put(x.getKey(), toJava(x.getValue()));
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) l.add(toJava(x));
            return l;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) return e.getAsDouble();
        throw new IllegalArgumentException("IP scale dict: '" + e + "' is not a number, list or dict");
    }

    private static float number(Object o, String where) {
        if (o instanceof Number n) return n.floatValue();
        throw new IllegalArgumentException("IP scale dict: " + where + " = '" + o + "' is not a number");
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
