package instantid.pipeline;

import instantid.lora.LoraSpec;

import java.util.List;

/**
 * What every SDXL generation needs, immutable. With the {@link PromptEncoder#PLAIN} encoder
 * {@code negativePrompt == null} means "none": the unconditional embeddings are zeros
 * ({@code force_zeros_for_empty_prompt}); with {@link PromptEncoder#LPW} (the default, the app's) it
 * is the empty string. An empty string is encoded like any prompt. {@code seed < 0} asks for a
 * random seed, reported in the result.
 */
public record GenerationSettings(
        String prompt,
        String negativePrompt,
        int steps,
        double guidance,
        int width,
        int height,
        long seed,
        String sampler,
        int numImages,
        List<LoraSpec> loras,
        PromptEncoder promptEncoder) {

    public GenerationSettings {
        prompt = prompt == null ? "" : prompt;
        loras = loras == null ? List.of() : List.copyOf(loras);
        promptEncoder = promptEncoder == null ? PromptEncoder.LPW : promptEncoder;
        // every value checked here, once, so that no settings object that exists is out of range
        if (width <= 0 || height <= 0 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("size " + width + "x" + height
                    + " is not allowed: width and height must be positive multiples of 8 (e.g. 1024x1024, 896x1152)");
        }
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("steps = " + steps + ": use 1 to 1000 (30 is typical, 4-8 with LCM)");
        }
        if (!(guidance >= 0) || Double.isInfinite(guidance)) {
            throw new IllegalArgumentException("guidance = " + guidance + ": use a number >= 0 (5 is typical, 1-2 with LCM)");
        }
        if (numImages < 1 || numImages > 64) {
            throw new IllegalArgumentException("number of images = " + numImages + ": use 1 to 64");
        }
    }

    /** With the app's prompt encoder ({@link PromptEncoder#LPW}). */
    public GenerationSettings(String prompt, String negativePrompt, int steps, double guidance, int width, int height,
                              long seed, String sampler, int numImages, List<LoraSpec> loras) {
        this(prompt, negativePrompt, steps, guidance, width, height, seed, sampler, numImages, loras, PromptEncoder.LPW);
    }

    /** The InstantID defaults: 30 Euler steps, guidance 5, 1024x1024, one image. */
    public static GenerationSettings defaults(String prompt) {
        return new GenerationSettings(prompt, null, 30, 5.0, 1024, 1024, -1, "euler", 1, List.of());
    }

    public GenerationSettings withSize(int w, int h) {
        return new GenerationSettings(prompt, negativePrompt, steps, guidance, w, h, seed, sampler, numImages, loras,
                promptEncoder);
    }

    public GenerationSettings withSeed(long s) {
        return new GenerationSettings(prompt, negativePrompt, steps, guidance, width, height, s, sampler, numImages, loras,
                promptEncoder);
    }

    public GenerationSettings withSteps(int n) {
        return new GenerationSettings(prompt, negativePrompt, n, guidance, width, height, seed, sampler, numImages, loras,
                promptEncoder);
    }

    public GenerationSettings withPromptEncoder(PromptEncoder e) {
        return new GenerationSettings(prompt, negativePrompt, steps, guidance, width, height, seed, sampler, numImages, loras, e);
    }

    /** Prompt and negative prompt replaced (a style template applied). */
    public GenerationSettings withPrompts(String p, String negative) {
        return new GenerationSettings(p, negative, steps, guidance, width, height, seed, sampler, numImages, loras,
                promptEncoder);
    }

    /**
     * Checks that the files named exist (the LoRAs), before a model loads. Not part of the
     * constructor: settings read back on another machine name files a run may replace.
     */
    public void requireFiles() {
        for (LoraSpec l : loras) {
            if (!java.nio.file.Files.isRegularFile(l.file())) {
                throw new IllegalArgumentException("LoRA file " + l.file() + " does not exist");
            }
        }
    }
}
