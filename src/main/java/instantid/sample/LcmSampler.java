package instantid.sample;

import ai.djl.ndarray.NDArray;

/**
 * LCM (diffusers' LCMScheduler): timesteps picked from the distillation schedule of
 * original_inference_steps points (k = T / original steps, t = j k - 1), each step predicts x0,
 * applies the consistency boundary condition (c_skip, c_out with timestep_scaling) and re-noises to
 * the next timestep (not after the last). Step counts above original_inference_steps, which diffusers
 * refuses, use a distillation schedule of that many points instead, so any count up to T works.
 */
final class LcmSampler implements Sampler {

    private final String name;
    private final Schedule schedule;
    private final ScheduleConfig c;
    private final int[] timesteps;
    private final Prediction prediction;

    LcmSampler(String name, Schedule schedule, int steps) {
        this.c = schedule.config;
        Samplers.checkSteps(steps, c);
        this.prediction = Prediction.parse(c.predictionType(), name);
        this.name = name;
        this.schedule = schedule;
        int T = c.numTrainTimesteps();
        int original = Math.min(T, Math.max(c.originalInferenceSteps(), steps));
        int k = T / original;
        int[] origin = new int[original];
        for (int j = 0; j < original; j++) origin[original - 1 - j] = (j + 1) * k - 1; // reversed
        double[] idx = Schedule.linspaceOpen(0, original, steps);
        this.timesteps = new int[steps];
        for (int i = 0; i < steps; i++) timesteps[i] = origin[(int) Math.floor(idx[i])];
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

    @Override
    public Run start() {
        return (out, i, x, noise) -> {
            int t = timesteps[i];
            int prevT = i + 1 < timesteps.length ? timesteps[i + 1] : t;
            float at = schedule.alphaCumprod(t);
            float ap = prevT >= 0 ? schedule.alphaCumprod(prevT) : (c.setAlphaToOne() ? 1f : schedule.alphaCumprod(0));
            float bt = 1f - at, bp = 1f - ap;
            float scaled = (float) t * (float) c.timestepScaling();
            float denom = scaled * scaled + 0.25f;
            float cSkip = (1f / denom) * 0.25f;
            float cOut = scaled / (float) Math.sqrt(denom);
            float sqrtAt = (float) Math.sqrt(at), sqrtBt = (float) Math.sqrt(bt);
            NDArray x0 = prediction.toX0(out, x, sqrtAt, sqrtBt);
            if (c.clipSample()) {
                float r = (float) c.clipSampleRange();
                x0 = x0.clip(-r, r);
            }
            NDArray denoised = x0.mul(cOut).add(x.mul(cSkip));
            if (i == timesteps.length - 1) return new Step(denoised, denoised);
            NDArray z = noise.next(denoised, i);
            return new Step(denoised.mul((float) Math.sqrt(ap)).add(z.mul((float) Math.sqrt(bp))), denoised);
        };
    }
}
