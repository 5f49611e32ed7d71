package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import instantid.nn.UNet;
import instantid.nn.UNetExtras;
import instantid.sample.Denoiser;

/**
 * SDXL's UNet as the samplers see it: the latents doubled for [uncond ; cond] when guidance is on,
 * the prompt conditioning and time ids of this image, the extras (image-prompt context) fixed for
 * the run, and the two predictions combined ({@link Guidance}). {@link InstantIdDenoiser} uses the
 * same call with IdentityNet's residuals added per step.
 */
final class SdxlDenoiser implements Denoiser {

    private final NDManager manager;
    private final UNet unet;
    private final PromptEncoding.Conditioning conditioning;
    private final NDArray timeIds;
    private final double guidance;
    private final boolean cfg;
    private final UNetExtras extras;

    /** {@code manager} owns the per-step timestep arrays; {@code timeIds} has the batch that {@code guidance} implies. */
    SdxlDenoiser(NDManager manager, UNet unet, PromptEncoding.Conditioning conditioning, NDArray timeIds,
                 double guidance, UNetExtras extras) {
        this.manager = manager;
        this.unet = unet;
        this.conditioning = conditioning;
        this.timeIds = timeIds;
        this.guidance = guidance;
        this.cfg = Guidance.enabled(guidance);
        this.extras = extras;
    }

    @Override
    public NDArray predict(NDArray x, float t, int stepIndex) {
        return predict(batch(x), timestep(t), extras);
    }

    /** The extras every step starts from. */
    UNetExtras extras() {
        return extras;
    }

    /** The text conditioning (its pooled embedding also conditions a ControlNet). */
    PromptEncoding.Conditioning conditioning() {
        return conditioning;
    }

    NDArray timeIds() {
        return timeIds;
    }

    /** The model input of one step: the latents, twice with guidance. */
    NDArray batch(NDArray x) {
        return Guidance.batch(x, cfg);
    }

    /** The timestep as the networks take it: a one-element array. */
    NDArray timestep(float t) {
        return manager.create(new float[] {t});
    }

    /** One UNet call on the batched input with {@code stepExtras}, guidance applied. */
    NDArray predict(NDArray batchedInput, NDArray timestep, UNetExtras stepExtras) {
        NDArray out = unet.forward(batchedInput, timestep, conditioning.embeds(), conditioning.pooled(), timeIds, stepExtras);
        return Guidance.combine(out, guidance, cfg);
    }
}
