package instantid.lora;

import instantid.load.KeyMaps;
import instantid.tensor.Weights;

import java.util.HashMap;
import java.util.Map;

/**
 * The networks LoRA files address, with the module names each layout may use: the UNet under its
 * diffusers names or, in kohya files, under the SGM names of single-file checkpoints; the text
 * encoders under transformers names.
 */
public final class LoraTargets {

    private LoraTargets() {
    }

    public static Lora.Target unet(Weights unet) {
        Map<String, String> sgm = new HashMap<>();
        KeyMaps.kohyaUnetModules(unet.names())
                .forEach((stem, module) -> sgm.put(stem.substring("lora_unet_".length()), module));
        return new Lora.Target(unet, new ModuleNames(ModuleNames.modulesOf(unet.names()), sgm));
    }

    public static Lora.Target textEncoder(Weights te) {
        Map<String, String> aliases = new HashMap<>();
        // kohya writes text encoder modules with the transformers "text_model." prefix; the
        // internal names may lack it (a bare CLIPTextModel saved by transformers 5, or a single file)
        for (String m : ModuleNames.modulesOf(te.names())) {
            if (!m.startsWith("text_model.")) aliases.put("text_model_" + m.replace('.', '_'), m);
        }
        return new Lora.Target(te, new ModuleNames(ModuleNames.modulesOf(te.names()), aliases));
    }
}
