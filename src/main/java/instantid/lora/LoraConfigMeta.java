package instantid.lora;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import instantid.common.UserException;
import instantid.io.Safetensors;
import instantid.io.TensorSource;

import java.util.Map;

/**
 * The peft {@code LoraConfig} that newer diffusers / peft files keep in the safetensors metadata
 * under {@value #KEY} (a JSON object; a pipeline's file prefixes each component's entries:
 * {@code unet.lora_alpha}, {@code text_encoder.r}). It supplies {@code lora_alpha} (with
 * {@code alpha_pattern} per module) and {@code use_rslora} (scale alpha / sqrt(rank)) for files
 * that hold no {@code .alpha} tensors; without it alpha = rank, as peft's default.
 */
final class LoraConfigMeta {

    static final String KEY = "lora_adapter_metadata";

    private final JsonObject json;

    private LoraConfigMeta(JsonObject json) {
        this.json = json;
    }

    static LoraConfigMeta of(TensorSource src) {
        if (!(src instanceof Safetensors)) return new LoraConfigMeta(new JsonObject());
        Map<String, String> meta = ((Safetensors) src).metadata();
        String raw = meta.get(KEY);
        if (raw == null) return new LoraConfigMeta(new JsonObject());
        try {
            return new LoraConfigMeta(JsonParser.parseString(raw).getAsJsonObject());
        } catch (RuntimeException e) {
            throw new UserException("LoRA " + src.path() + ": its metadata '" + KEY + "' is not a JSON object ("
                    + e.getMessage() + "); the file is damaged");
        }
    }

    /** The component prefix of a network in a pipeline file's metadata. */
    static String prefix(LoraFile.Net net) {
        return switch (net) {
            case UNET -> "unet";
            case TEXT_ENCODER -> "text_encoder";
            case TEXT_ENCODER_2 -> "text_encoder_2";
        };
    }

    private JsonElement get(LoraFile.Net net, String key) {
        JsonElement e = json.get(prefix(net) + "." + key);
        return e != null && !e.isJsonNull() ? e : json.get(key);
    }

    /** alpha for a module (internal path), from alpha_pattern or lora_alpha; NaN when the metadata has none. */
    double alpha(LoraFile.Net net, String module) {
        JsonElement pattern = get(net, "alpha_pattern");
        if (pattern != null && pattern.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : pattern.getAsJsonObject().entrySet()) {
                // peft matches a pattern key against the end of the module path
                if (module.equals(e.getKey()) || module.endsWith("." + e.getKey())) return e.getValue().getAsDouble();
            }
        }
        JsonElement a = get(net, "lora_alpha");
        return a != null && a.isJsonPrimitive() ? a.getAsDouble() : Double.NaN;
    }

    /** Whether the scale is alpha / sqrt(rank) (rank-stabilised LoRA) instead of alpha / rank. */
    boolean rsLora(LoraFile.Net net) {
        JsonElement e = get(net, "use_rslora");
        return e != null && e.isJsonPrimitive() && e.getAsBoolean();
    }
}
