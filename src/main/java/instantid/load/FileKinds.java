package instantid.load;

import java.util.Set;

/** Recognises weight files of kinds the plugin does not load, so the error can say what they are. */
final class FileKinds {

    private FileKinds() {
    }

    /** A phrase naming what an unsupported file is ("an SD 1.x checkpoint ..."), or null when it may be supported. */
    static String wrongKind(Set<String> k) {
        if (ModelLayout.any(k, "cond_stage_model.transformer.")) {
            return "an SD 1.x checkpoint (cond_stage_model.*, CLIP ViT-L 768-d context): InstantID needs an SDXL base model";
        }
        if (ModelLayout.any(k, "cond_stage_model.model.")) {
            return "an SD 2.x checkpoint (cond_stage_model.model.*, OpenCLIP ViT-H 1024-d context): InstantID needs an SDXL base model";
        }
        if (ModelLayout.any(k, "conditioner.embedders.0.model.") && !ModelLayout.any(k, "conditioner.embedders.1.")) {
            return "an SDXL refiner checkpoint (one OpenCLIP text encoder): InstantID needs an SDXL base model";
        }
        if (ModelLayout.any(k, "control_model.")) {
            return "a ControlNet in the original (control_model.*) layout: use the diffusers ControlNetModel/ folder";
        }
        for (String s : k) {
            if (s.startsWith("lora_unet_") || s.startsWith("lora_te") || s.contains(".lora_A.")
                    || s.contains(".lora_down.") || s.contains(".lora_up.")) {
                return "a LoRA (low-rank update), not a base model: load it as a LoRA";
            }
        }
        return null;
    }
}
