package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import instantid.common.CancelToken;
import instantid.sample.Denoiser;
import instantid.sample.NoiseSource;
import instantid.sample.Sampler;
import instantid.sample.StepListener;

/**
 * Runs a sampler over a denoiser with the caller's {@link Progress}: a step report after every
 * step (with the cheap preview when wanted), {@code cancel} checked between steps.
 */
final class Denoising {

    private Denoising() {
    }

    static NDArray run(Sampler sampler, NDArray initialNoise, Denoiser d, NoiseSource noise, int imageIndex,
                       Progress progress, StepListener also, CancelToken cancel) {
        StepListener l = (i, n, latents, x0) -> {
            if (also != null) also.onStep(i, n, latents, x0);
            Preview p = progress.wantsPreview() ? LatentPreview.of(x0 != null ? x0 : latents) : null;
            progress.step(imageIndex, i + 1, n, p);
        };
        return sampler.sample(initialNoise, d, noise, l, cancel);
    }
}
