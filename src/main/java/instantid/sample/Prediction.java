package instantid.sample;

import ai.djl.ndarray.NDArray;

/**
 * What the network predicts (a schedule's {@code prediction_type}), parsed once, and the one place
 * that turns its output into the clean-latent estimate x0 or the noise eps. Two parametrisations
 * of the noisy latents x, as the samplers need them:
 * <ul>
 *   <li>alpha: {@code x = alpha x0 + sigma eps} with {@code alpha = sqrt(alphaBar_t)},
 *       {@code sigma = sqrt(1 - alphaBar_t)} (DDIM, LCM, DPM-Solver's unit-variance space);</li>
 *   <li>sigma: {@code x = x0 + sigma eps} (Euler's variance-exploding space), where the network
 *       saw {@code x / sqrt(sigma² + 1)}.</li>
 * </ul>
 * The float expressions are those diffusers' schedulers evaluate (in the same order), so results
 * are bit-identical to the formulas each sampler had written out before. For {@link #SAMPLE} the
 * x0 estimate is the network output itself (the same array, not a copy).
 */
enum Prediction {
    /** The noise: {@code eps = out}. */
    EPSILON("epsilon"),
    /** The velocity: {@code v = alpha eps - sigma x0}. */
    V_PREDICTION("v_prediction"),
    /** The clean latents: {@code x0 = out}. */
    SAMPLE("sample");

    private final String key;

    Prediction(String key) {
        this.key = key;
    }

    /** The config's spelling ({@code epsilon}, {@code v_prediction}, {@code sample}). */
    String key() {
        return key;
    }

    /** {@code predictionType} as written in a scheduler config; {@code sampler} names who refuses it. */
    static Prediction parse(String predictionType, String sampler) {
        for (Prediction p : values()) {
            if (p.key.equals(predictionType)) return p;
        }
        throw new IllegalArgumentException(sampler + ": prediction_type '" + predictionType
                + "' is not supported (use epsilon, v_prediction or sample)");
    }

    /** x0 in the alpha parametrisation ({@code x = alpha x0 + sigma eps}). */
    NDArray toX0(NDArray out, NDArray x, float alpha, float sigma) {
        switch (this) {
            case EPSILON: return x.sub(out.mul(sigma)).div(alpha);
            case V_PREDICTION: return x.mul(alpha).sub(out.mul(sigma));
            default: return out;
        }
    }

    /** eps in the alpha parametrisation ({@code x = alpha x0 + sigma eps}). */
    NDArray toEps(NDArray out, NDArray x, float alpha, float sigma) {
        switch (this) {
            case EPSILON: return out;
            case V_PREDICTION: return out.mul(alpha).add(x.mul(sigma));
            default: return x.sub(out.mul(alpha)).div(sigma);
        }
    }

    /** x0 in the sigma parametrisation ({@code x = x0 + sigma eps}, the network fed {@code x / sqrt(sigma² + 1)}). */
    NDArray toX0(NDArray out, NDArray x, float sigma) {
        switch (this) {
            case EPSILON: return x.sub(out.mul(sigma));
            case V_PREDICTION: {
                float c = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
                return out.mul(c).add(x.div(sigma * sigma + 1f));
            }
            default: return out;
        }
    }
}
