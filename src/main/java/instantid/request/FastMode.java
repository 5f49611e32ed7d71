package instantid.request;

import instantid.lora.LoraSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fast mode: the LCM-LoRA (latent-consistency/lcm-lora-sdxl) fused for the run, the {@code lcm}
 * sampler, 4-8 steps and guidance 1-2 (the LoRA's model card). The one preset the front ends offer;
 * the typed steps and guidance are clamped into its ranges, so a recorded line replays the same.
 */
public final class FastMode {

    public static final String SAMPLER = "lcm";
    public static final int MIN_STEPS = 4;
    public static final int MAX_STEPS = 8;
    public static final double MIN_GUIDANCE = 1;
    public static final double MAX_GUIDANCE = 2;

    private FastMode() {
    }

    /** What a run samples with: steps, guidance, sampler and the LoRAs fused. */
    public record Sampling(int steps, double guidance, String sampler, List<LoraSpec> loras) {
        public Sampling {
            loras = List.copyOf(loras);
        }
    }

    /**
     * {@code typed} as it is, or (fast) with the preset: steps and guidance clamped, sampler lcm and
     * the LCM-LoRA {@code lcmLora} added at scale 1; a missing LoRA file gets a message saying where
     * to set it ({@code where}).
     */
    public static Sampling apply(boolean fast, Sampling typed, Path lcmLora, String where) {
        if (!fast) return typed;
        if (lcmLora == null || !Files.isRegularFile(lcmLora)) {
            throw new IllegalArgumentException("fast mode needs an LCM-LoRA file (e.g. lcm-lora-sdxl"
                    + " pytorch_lora_weights.safetensors): " + where + (lcmLora == null ? "" : " (" + lcmLora + " does not exist)"));
        }
        List<LoraSpec> l = new ArrayList<>(typed.loras());
        l.add(new LoraSpec(lcmLora, 1.0));
        return new Sampling(Math.max(MIN_STEPS, Math.min(MAX_STEPS, typed.steps())),
                Math.max(MIN_GUIDANCE, Math.min(MAX_GUIDANCE, typed.guidance())), SAMPLER, l);
    }
}
