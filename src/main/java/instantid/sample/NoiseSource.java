package instantid.sample;

import ai.djl.ndarray.NDArray;

/**
 * Where a sampler's fresh noise comes from (Euler ancestral, LCM, DDIM with eta > 0): a seeded
 * {@link Rng} in normal use, or the noise a reference run used when checking parity.
 */
@FunctionalInterface
public interface NoiseSource {

    /** Standard normal noise shaped, typed and placed like {@code like}, for step {@code stepIndex}. */
    NDArray next(NDArray like, int stepIndex);
}
