package instantid.pipeline;

import instantid.lora.Lora;
import instantid.lora.LoraFile;
import instantid.lora.LoraSpec;
import instantid.lora.LoraTargets;
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
        targets.put(LoraFile.Net.UNET, LoraTargets.unet(w.get(0)));
        targets.put(LoraFile.Net.TEXT_ENCODER, LoraTargets.textEncoder(w.get(1)));
        targets.put(LoraFile.Net.TEXT_ENCODER_2, LoraTargets.textEncoder(w.get(2)));
        if (!specs.isEmpty()) progress.status("applying " + specs.size() + " LoRA file(s)");
        return Lora.apply(specs, targets, progress::status);
    }
}
