package instantid.sample;

import ai.djl.ndarray.NDArray;

/**
 * Euler (diffusers' EulerDiscreteScheduler with s_churn = 0) and Euler ancestral
 * (EulerAncestralDiscreteScheduler): sigmas interpolated at the timesteps (optionally Karras for
 * plain Euler), input scaled by 1 / sqrt(sigma² + 1), scalar factors in float32 like the torch
 * 0-dim tensors they are in diffusers.
 */
final class EulerSampler implements Sampler {

    private final String name;
    private final boolean ancestral;
    private final Prediction prediction;
    private final float[] timesteps;
    private final float[] sigmas;
    private final float initNoiseSigma;

    EulerSampler(String name, Schedule schedule, int steps, boolean ancestral) {
        ScheduleConfig c = schedule.config;
        Samplers.checkSteps(steps, c);
        if ("continuous".equals(c.timestepType())) {
            throw new IllegalArgumentException("timestep_type 'continuous' is not supported by " + name);
        }
        if (!"linear".equals(c.interpolationType())) {
            throw new IllegalArgumentException("interpolation_type '" + c.interpolationType() + "' is not supported (use linear)");
        }
        this.name = name;
        this.ancestral = ancestral;
        this.prediction = Prediction.parse(c.predictionType(), name);
        float[] ts = Spacing.euler(c, steps);
        double[] sig = new double[steps];
        for (int i = 0; i < steps; i++) sig[i] = schedule.interpSigma(ts[i]);
        if (!ancestral && c.useKarrasSigmas()) {
            double lo = c.sigmaMin() != null ? c.sigmaMin() : sig[steps - 1];
            double hi = c.sigmaMax() != null ? c.sigmaMax() : sig[0];
            sig = Schedule.karras(lo, hi, steps);
            for (int i = 0; i < steps; i++) ts[i] = (float) schedule.sigmaToT(sig[i]);
        }
        float last = 0f;
        if (!ancestral && "sigma_min".equals(c.finalSigmasType())) {
            last = schedule.trainSigmas()[0];
        } else if (!ancestral && !"zero".equals(c.finalSigmasType())) {
            throw new IllegalArgumentException("final_sigmas_type must be 'zero' or 'sigma_min', got '" + c.finalSigmasType() + "'");
        }
        this.timesteps = ts;
        this.sigmas = new float[steps + 1];
        float max = 0;
        for (int i = 0; i < steps; i++) {
            sigmas[i] = (float) sig[i];
            max = Math.max(max, sigmas[i]);
        }
        sigmas[steps] = last;
        max = Math.max(max, last);
        boolean plain = "linspace".equals(c.timestepSpacing()) || "trailing".equals(c.timestepSpacing());
        this.initNoiseSigma = plain ? max : (float) Math.sqrt(max * max + 1f);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public float[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float initNoiseSigma() {
        return initNoiseSigma;
    }

    @Override
    public NDArray scaleModelInput(NDArray x, int i) {
        float s = sigmas[i];
        return x.div((float) Math.sqrt(s * s + 1f));
    }

    @Override
    public Run start() {
        return this::step;
    }

    private Step step(NDArray modelOutput, int i, NDArray x, NoiseSource noise) {
        float sigma = sigmas[i];
        NDArray pred = prediction.toX0(modelOutput, x, sigma);
        NDArray derivative = x.sub(pred).div(sigma);
        if (!ancestral) {
            float dt = sigmas[i + 1] - sigma;
            return new Step(x.add(derivative.mul(dt)), pred);
        }
        float from = sigma, to = sigmas[i + 1];
        float up = (float) Math.sqrt(Math.max(0f, to * to * (from * from - to * to) / (from * from)));
        float down = (float) Math.sqrt(Math.max(0f, to * to - up * up));
        float dt = down - sigma;
        NDArray prev = x.add(derivative.mul(dt));
        NDArray z = noise.next(modelOutput, i);
        return new Step(prev.add(z.mul(up)), pred);
    }
}
