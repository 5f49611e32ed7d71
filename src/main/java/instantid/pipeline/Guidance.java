package instantid.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Classifier-free guidance as diffusers: the model runs once on [uncond ; cond] and the two
 * predictions combine as {@code uncond + g * (cond - uncond)}. Off when {@code g <= 1}.
 */
final class Guidance {

    private Guidance() {
    }

    static boolean enabled(double g) {
        return g > 1.0;
    }

    /** The latents doubled for the [uncond ; cond] batch, or as they are without guidance. */
    static NDArray batch(NDArray x, boolean on) {
        return on ? x.concat(x, 0) : x;
    }

    static NDArray combine(NDArray out, double g, boolean on) {
        if (!on) return out;
        NDList halves = out.split(2, 0);
        NDArray uncond = halves.get(0), cond = halves.get(1);
        return uncond.add(cond.sub(uncond).mul((float) g));
    }
}
