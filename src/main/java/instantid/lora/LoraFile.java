package instantid.lora;

import instantid.io.TensorSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The low-rank pairs of one LoRA file, grouped by the module they change, in either published
 * layout: kohya ({@code lora_unet_<SGM module, dots as underscores>.lora_down.weight / .lora_up.weight
 * / .alpha}, {@code lora_te1_}, {@code lora_te2_}) or peft / diffusers ({@code unet.<module>.lora_A.weight
 * / .lora_B.weight}, {@code text_encoder.}, {@code text_encoder_2.}; alpha from the metadata, else rank).
 * A DoRA module also has a magnitude ({@code .dora_scale} in kohya / LyCORIS files,
 * {@code .lora_magnitude_vector} in peft ones). A file holding tensors of another adapter family
 * (LoHa, LoKr, Tucker, ...) is refused by name, see {@link LoraKinds}.
 */
public final class LoraFile {

    /** Which network a pair belongs to. */
    public enum Net { UNET, TEXT_ENCODER, TEXT_ENCODER_2 }

    /** One module's pair: the module key as written in the file (layout-specific), down, up, alpha. */
    public record Pair(Net net, String module, boolean kohya, String downKey, String upKey, String alphaKey,
                       String magnitudeKey) {
    }

    private LoraFile() {
    }

    /** Groups a file's tensors into pairs; keys that belong to no pair are returned in {@code stray}. */
    public static List<Pair> pairs(TensorSource src, List<String> stray) {
        LoraKinds.refuseUnsupported(src.path(), src.names());
        Map<String, String[]> byModule = new LinkedHashMap<>();
        for (String k : src.names()) {
            String[] parsed = parse(k);
            if (parsed == null) {
                stray.add(k);
                continue;
            }
            String id = parsed[0] + "|" + parsed[1];
            String[] slot = byModule.computeIfAbsent(id, x -> new String[5]);
            slot[0] = parsed[2]; // kohya flag
            switch (parsed[3]) {
                case "down": slot[1] = k; break;
                case "up": slot[2] = k; break;
                case "magnitude": slot[4] = k; break;
                default: slot[3] = k;
            }
        }
        List<Pair> out = new ArrayList<>();
        for (Map.Entry<String, String[]> e : byModule.entrySet()) {
            String[] id = e.getKey().split("\\|", 2);
            String[] s = e.getValue();
            if (s[1] == null || s[2] == null) {
                if (s[1] != null) stray.add(s[1]);
                if (s[2] != null) stray.add(s[2]);
                if (s[4] != null) stray.add(s[4]);
                continue;
            }
            out.add(new Pair(Net.valueOf(id[0]), id[1], Boolean.parseBoolean(s[0]), s[1], s[2], s[3], s[4]));
        }
        return out;
    }

    /** [net, module, kohya?, down|up|alpha] or null when the key is not a LoRA tensor. */
    static String[] parse(String key) {
        String[][] kohyaPrefixes = {{"lora_unet_", "UNET"}, {"lora_te1_", "TEXT_ENCODER"}, {"lora_te2_", "TEXT_ENCODER_2"},
                {"lora_te_", "TEXT_ENCODER"}};
        for (String[] p : kohyaPrefixes) {
            if (!key.startsWith(p[0])) continue;
            String rest = key.substring(p[0].length());
            String[][] suffixes = {{".lora_down.weight", "down"}, {".lora_up.weight", "up"}, {".alpha", "alpha"},
                    {".dora_scale", "magnitude"}};
            for (String[] s : suffixes) {
                if (rest.endsWith(s[0])) {
                    return new String[] {p[1], rest.substring(0, rest.length() - s[0].length()), "true", s[1]};
                }
            }
            return null;
        }
        String[][] peftPrefixes = {{"unet.", "UNET"}, {"text_encoder_2.", "TEXT_ENCODER_2"}, {"text_encoder.", "TEXT_ENCODER"},
                {"lora_unet.", "UNET"}};
        for (String[] p : peftPrefixes) {
            if (!key.startsWith(p[0])) continue;
            String rest = key.substring(p[0].length());
            String[][] suffixes = {{".lora_A.weight", "down"}, {".lora_B.weight", "up"},
                    {".lora.down.weight", "down"}, {".lora.up.weight", "up"}, {".alpha", "alpha"},
                    {".lora_magnitude_vector.weight", "magnitude"}, {".lora_magnitude_vector", "magnitude"}};
            for (String[] s : suffixes) {
                if (rest.endsWith(s[0])) {
                    return new String[] {p[1], rest.substring(0, rest.length() - s[0].length()), "false", s[1]};
                }
            }
            return null;
        }
        return null;
    }
}
