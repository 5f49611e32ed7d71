package instantid.sample;

import ai.djl.ndarray.NDArray;

/**
 * The model as the samplers see it: the network's prediction (epsilon, v or x0, as the schedule's
 * prediction_type says) for the scaled input at one timestep. Classifier-free guidance, ControlNet
 * residuals and adapters live inside the implementation; the sampler knows none of them.
 */
@FunctionalInterface
public interface Denoiser {

    /**
     * @param scaledInput the latents after {@link Sampler#scaleModelInput}
     * @param timestep    the training timestep of this step (an integer value for every sampler here)
     * @param stepIndex   0-based index of the step
     */
    NDArray predict(NDArray scaledInput, float timestep, int stepIndex);
}
