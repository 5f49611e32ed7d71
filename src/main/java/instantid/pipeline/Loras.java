package instantid.pipeline;

import instantid.io.KeyMaps;
import instantid.lora.Lora;
import instantid.lora.LoraFile;
import instantid.lora.ModuleNames;
import instantid.tensor.Weights;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Applies a request's LoRAs to the SDXL networks for the length of one run. */
final class Loras {

    private Loras() {
    }

    static Lora apply(SdxlModels m, List<LoraSpec> specs, Progress progress) {
        Map<LoraFile.Net, Lora.Target> targets = new EnumMap<>(LoraFile.Net.class);
        List<Weights> w = m.loraTargets();
        Map<String, String> sgm = new java.util.HashMap<>();
        KeyMaps.kohyaUnetModules(w.get(0).names()).forEach((stem, module) -> sgm.put(stem.substring("lora_unet_".length()), module));
        targets.put(LoraFile.Net.UNET, new Lora.Target(w.get(0), new ModuleNames(ModuleNames.modulesOf(w.get(0).names()), sgm)));
        targets.put(LoraFile.Net.TEXT_ENCODER, new Lora.Target(w.get(1), new ModuleNames(ModuleNames.modulesOf(w.get(1).names()), null)));
        targets.put(LoraFile.Net.TEXT_ENCODER_2, new Lora.Target(w.get(2), new ModuleNames(ModuleNames.modulesOf(w.get(2).names()), null)));
        if (!specs.isEmpty()) progress.status("applying " + specs.size() + " LoRA file(s)");
        return Lora.apply(specs, targets, progress::status);
    }
}
