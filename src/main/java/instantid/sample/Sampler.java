package instantid.sample;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * One sampler for a fixed number of steps: its timesteps (and sigmas where it has them), the input
 * scaling and the update rule, as the diffusers scheduler of the same name computes them. Immutable;
 * the little state a multistep solver carries between steps lives in a {@link Run}, so one sampler
 * serves any number of runs. Use {@link #sample} for a whole loop, or {@link #start()} +
 * {@link Run#step} to drive steps yourself.
 */
public interface Sampler {

    /** The name {@link Samplers#byName} knows it by. */
    String name();

    /** Number of denoising steps (model calls). */
    default int steps() {
        return timesteps().length;
    }

    /** The training timestep of each step, as floats (integer values). Length {@link #steps()}. */
    float[] timesteps();

    /** The sigma of each step plus the final one (length steps + 1), or null for DDIM / LCM. */
    default float[] sigmas() {
        return null;
    }

    /** Factor applied to unit-variance starting noise (1 unless the sampler works in sigma space). */
    default float initNoiseSigma() {
        return 1f;
    }

    /** The model's input at step i (Euler family: x / sqrt(sigma² + 1); the others: x itself). */
    default NDArray scaleModelInput(NDArray x, int stepIndex) {
        return x;
    }

    /** Fresh per-run state. */
    Run start();

    /** The result of one step: the next latents and the estimate of the clean latents. */
    record Step(NDArray prev, NDArray predX0) {
    }

    /** The state of one sampling run (e.g. DPM-Solver's previous x0 estimate). */
    interface Run extends AutoCloseable {

        /** x_{i+1} from the model output at step i and x_i; draws from {@code noise} where the sampler is stochastic. */
        Step step(NDArray modelOutput, int stepIndex, NDArray x, NoiseSource noise);

        /** Arrays this run keeps for later steps: they must survive the step's scope. */
        default List<NDArray> state() {
            return List.of();
        }

        /** Frees the kept arrays. */
        @Override
        default void close() {
        }
    }

    /**
     * The whole loop: x = initialNoise * initNoiseSigma, then per step scale → denoise → update, each
     * step in its own {@link instantid.tensor.Scope} (memory stays flat), with
     * {@code cancel} checked before every step. {@code initialNoise} is not closed.
     */
    default NDArray sample(NDArray initialNoise, Denoiser denoiser, NoiseSource noise, StepListener listener,
                           instantid.common.CancelToken cancel) {
        return SamplerLoop.run(this, initialNoise, denoiser, noise, listener, cancel);
    }
}
