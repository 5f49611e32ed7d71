package instantid.sample;

import ai.djl.ndarray.NDArray;

/**
 * DDIM (diffusers' DDIMScheduler): deterministic for eta = 0 (the SDXL pipelines' default); the
 * previous timestep is t - T / steps, and alphas_cumprod[0] (or 1 with set_alpha_to_one) stands
 * for the one before the first training step.
 */
final class DdimSampler implements Sampler {

    private final String name;
    private final Schedule schedule;
    private final ScheduleConfig c;
    private final int[] timesteps;
    private final float eta;
    private final Prediction prediction;

    DdimSampler(String name, Schedule schedule, int steps, float eta) {
        this.c = schedule.config;
        Samplers.checkSteps(steps, c);
        this.prediction = Prediction.parse(c.predictionType(), name);
        if (eta < 0) throw new IllegalArgumentException(name + ": eta must be >= 0, got " + eta);
        this.name = name;
        this.schedule = schedule;
        this.eta = eta;
        this.timesteps = Spacing.ddim(c, steps);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public float[] timesteps() {
        float[] t = new float[timesteps.length];
        for (int i = 0; i < t.length; i++) t[i] = timesteps[i];
        return t;
    }

    private float alphaPrev(int prevT) {
        if (prevT >= 0) return schedule.alphaCumprod(prevT);
        return c.setAlphaToOne() ? 1f : schedule.alphaCumprod(0);
    }

    @Override
    public Run start() {
        return (out, i, x, noise) -> {
            int t = timesteps[i];
            int prevT = t - c.numTrainTimesteps() / timesteps.length;
            float at = schedule.alphaCumprod(t);
            float ap = alphaPrev(prevT);
            float bt = 1f - at;
            float sqrtAt = (float) Math.sqrt(at), sqrtBt = (float) Math.sqrt(bt);
            NDArray x0 = prediction.toX0(out, x, sqrtAt, sqrtBt);
            NDArray eps = prediction.toEps(out, x, sqrtAt, sqrtBt);
            if (c.clipSample()) {
                float r = (float) c.clipSampleRange();
                x0 = x0.clip(-r, r);
            }
            float variance = ((1f - ap) / bt) * (1f - at / ap);
            float std = eta * (float) Math.sqrt(variance);
            NDArray dir = eps.mul((float) Math.sqrt(1f - ap - std * std));
            NDArray prev = x0.mul((float) Math.sqrt(ap)).add(dir);
            if (eta > 0) prev = prev.add(noise.next(out, i).mul(std));
            return new Step(prev, x0);
        };
    }
}
