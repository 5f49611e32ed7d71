package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import instantid.common.CancelToken;
import instantid.lora.Lora;
import instantid.nn.IpContext;
import instantid.nn.UNetExtras;
import instantid.sample.Denoiser;
import instantid.sample.NoiseSource;
import instantid.sample.Rng;
import instantid.sample.Sampler;
import instantid.sample.Samplers;
import instantid.sample.StepListener;
import instantid.tensor.Scope;

import java.util.ArrayList;
import java.util.List;
import instantid.sample.Seeds;

/**
 * SDXL text-to-image, as diffusers' {@code StableDiffusionXLPipeline} with default arguments:
 * prompt → both text encoders (InstantID app's weighted long-prompt encoder by default, diffusers'
 * {@code encode_prompt} with {@link PromptEncoder#PLAIN}), seeded noise → sampler with
 * classifier-free guidance → VAE. Several
 * images use consecutive seeds, one at a time (memory of one image, not of a batch).
 */
public final class SdxlPipeline implements AutoCloseable {

    private final SdxlModels models;
    private final ImageAdapters adapters;
    private final boolean owns;

    public SdxlPipeline(SdxlModels models) {
        this(models, new ImageAdapters(models), true);
    }

    /** A view on models and adapters someone else owns (InstantID's pipeline): closing it frees nothing. */
    SdxlPipeline(SdxlModels models, ImageAdapters adapters, boolean owns) {
        this.models = models;
        this.adapters = adapters;
        this.owns = owns;
    }

    public static SdxlPipeline load(ModelPaths paths, RuntimeOptions options, Progress progress) {
        return new SdxlPipeline(SdxlModels.load(paths, Runtime.resolve(options), progress));
    }

    public SdxlModels models() {
        return models;
    }

    public Result generate(GenerationSettings g, Progress progress) {
        return generate(g, List.of(), progress);
    }

    /**
     * Text-to-image with image prompts: a style reference (InstantStyle: IP-Adapter SDXL, usually in
     * the style blocks only) or a reference object (IP-Adapter Plus); none = plain SDXL.
     */
    public Result generate(GenerationSettings g, List<ImagePrompt> prompts, Progress progress) {
        long seed0 = Seeds.resolve(g.seed());
        List<Image> images = new ArrayList<>();
        MemoryPlan plan = models.memory.prepare(g.width(), g.height());
        progress.status("memory: " + plan.reason());
        try (Lora lora = Loras.apply(models, g.loras(), progress);
             NDManager run = models.manager.newSubManager()) {
            models.memory.enter(MemoryStages.Stage.TEXT);
            PromptEncoding.Conditioning c = PromptEncoding.encode(g.promptEncoder(), models, run, g.prompt(), g.negativePrompt(),
                    Guidance.enabled(g.guidance()), progress);
            IpContext ip = imageContext(run, prompts, Guidance.enabled(g.guidance()), progress);
            for (int k = 0; k < g.numImages(); k++) {
                long seed = seed0 + k;
                Rng rng = new Rng(seed);
                try (Scope s = new Scope()) {
                    NDArray noise = rng.normal(run, latentShape(g));
                    NDArray image01 = run(g, c, ip, noise, rng, k, progress, null);
                    images.add(new Image(g.width(), g.height(), Decoding.toRgb8(image01), seed));
                }
            }
        }
        com.google.gson.JsonObject settings = settings(g, prompts, seed0);
        settings.addProperty("memory", plan.setting());
        return new Result(images, SettingsJson.toJson(settings));
    }

    /** The image prompts' tokens for the UNet, or null without prompts. */
    IpContext imageContext(NDManager m, List<ImagePrompt> prompts, boolean cfg, Progress progress) {
        if (prompts.isEmpty()) return null;
        return new IpContext(List.of()).withImages(adapters.tokens(m, prompts, cfg, progress));
    }

    com.google.gson.JsonObject settings(GenerationSettings g, List<ImagePrompt> prompts, long seed) {
        com.google.gson.JsonObject o = SettingsJson.of(g, prompts, seed);
        o.addProperty("pipeline", prompts.isEmpty() ? "sdxl" : "sdxl+" + prompts.get(0).use());
        o.addProperty("device", models.runtime.description());
        return o;
    }

    static Shape latentShape(GenerationSettings g) {
        return new Shape(1, 4, g.height() / 8, g.width() / 8);
    }

    /**
     * One image from given initial noise (before init_noise_sigma) with the prompts of {@code g};
     * {@code listener} sees the latents after every step. LoRAs are not applied here
     * ({@link #generate(GenerationSettings, Progress)} does). Used by parity checks and tests.
     */
    public NDArray generate(GenerationSettings g, NDArray noise, NoiseSource noiseSource, Progress progress,
                            StepListener listener) {
        return generate(g, List.of(), noise, noiseSource, progress, listener);
    }

    /** As {@link #generate(GenerationSettings, NDArray, NoiseSource, Progress, StepListener)} with image prompts. */
    public NDArray generate(GenerationSettings g, List<ImagePrompt> prompts, NDArray noise, NoiseSource noiseSource,
                            Progress progress, StepListener listener) {
        models.memory.enter(MemoryStages.Stage.TEXT);
        PromptEncoding.Conditioning c = PromptEncoding.encode(g.promptEncoder(), models, noise.getManager(), g.prompt(),
                g.negativePrompt(),
                Guidance.enabled(g.guidance()), progress);
        IpContext ip = imageContext(noise.getManager(), prompts, Guidance.enabled(g.guidance()), progress);
        return run(g, c, ip, noise, noiseSource, 0, progress, listener);
    }

    /**
     * One image from given initial noise: the denoising loop and the decode; {@code listener} sees
     * the latents after every step (parity checks them). Returns the [1, H, W, 3] image in 0..1.
     */
    NDArray run(GenerationSettings g, PromptEncoding.Conditioning c, IpContext ip, NDArray noise, NoiseSource rng,
                int index, Progress progress, StepListener listener) {
        UNetExtras extras = ip == null ? UNetExtras.NONE : UNetExtras.ip(ip);
        boolean cfg = Guidance.enabled(g.guidance());
        NDManager m = noise.getManager();
        NDArray timeIds = TimeIds.of(m, g.height(), g.width(), cfg ? 2 : 1);
        Sampler sampler = Samplers.byName(g.sampler(), models.schedule, g.steps());
        models.memory.enter(MemoryStages.Stage.DENOISE);
        Denoiser d = new SdxlDenoiser(m, models.unet, c, timeIds, g.guidance(), extras);
        CancelToken cancel = CancelToken.of(progress::cancelled); // the front end's Esc / Ctrl-C
        NDArray latents = Denoising.run(sampler, noise, d, rng, index, progress, listener, cancel);
        progress.status("decoding image " + (index + 1));
        models.memory.enter(MemoryStages.Stage.DECODE);
        NDArray image = Decoding.toImage01(models.vae, latents, cancel);
        models.memory.finish();
        return image;
    }

    @Override
    public void close() {
        if (!owns) return;
        adapters.close();
        models.close();
    }
}
