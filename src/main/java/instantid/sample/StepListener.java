package instantid.sample;

import ai.djl.ndarray.NDArray;

/**
 * Told after every sampler step, for progress bars and previews. The arrays are valid only during
 * the call (they are closed with the step's scope); copy what must outlive it. Throwing
 * {@link java.util.concurrent.CancellationException} from here cancels the run.
 */
@FunctionalInterface
public interface StepListener {

    /**
     * @param stepIndex   0-based index of the step just done
     * @param total       number of steps of the run
     * @param latents     the latents after this step
     * @param predictedX0 the sampler's estimate of the clean latents at this step (null if it has none)
     */
    void onStep(int stepIndex, int total, NDArray latents, NDArray predictedX0);
}
