package instantid.pipeline;

import java.util.Locale;

/**
 * Where the weights live while an image is made. {@code FULL}: every network on the device for the
 * whole run. {@code OFFLOAD}: each stage's networks only while that stage runs — the text encoders
 * for the prompt, UNet and IdentityNet for the denoising loop (they alternate every step, so they
 * share it, as in diffusers' model offload), the VAE for the decode. {@code SEQUENTIAL}: block by
 * block — each weight is loaded when its block runs and freed when the block returns. {@code AUTO}
 * picks one from free memory and the image size ({@link MemoryPlan}). On the CPU the same modes
 * bound the process's RAM.
 */
public enum MemoryMode {
    AUTO, FULL, OFFLOAD, SEQUENTIAL;

    public static MemoryMode parse(String s) {
        if (s == null || s.isBlank()) return AUTO;
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("memory mode '" + s + "': use auto, full, offload or sequential");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
