package instantid.sample;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * DPM-Solver++ multistep (diffusers' DPMSolverMultistepScheduler, algorithm dpmsolver++, solver
 * order 1 or 2, midpoint or heun), optionally on Karras sigmas: the model output is turned into an
 * x0 estimate, and each step moves in lambda = log(alpha / sigma). First order on the first step
 * and on the last one (final_sigmas_type zero / lower_order_final), second order in between.
 */
final class DpmSolverSampler implements Sampler {

    private final String name;
    private final ScheduleConfig c;
    private final float[] timesteps;
    private final float[] sigmas;
    private final Prediction prediction;

    DpmSolverSampler(String name, Schedule schedule, int steps) {
        this.c = schedule.config;
        Samplers.checkSteps(steps, c);
        this.name = name;
        if (!"dpmsolver++".equals(c.algorithmType())) {
            throw new IllegalArgumentException(name + ": algorithm_type '" + c.algorithmType() + "' is not supported (use dpmsolver++)");
        }
        if (c.solverOrder() < 1 || c.solverOrder() > 2) {
            throw new IllegalArgumentException(name + ": solver_order " + c.solverOrder() + " is not supported (use 1 or 2)");
        }
        if (!"midpoint".equals(c.solverType()) && !"heun".equals(c.solverType())) {
            throw new IllegalArgumentException(name + ": solver_type '" + c.solverType() + "' is not supported (midpoint or heun)");
        }
        this.prediction = Prediction.parse(c.predictionType(), name);
        int[] its = Spacing.dpm(c, steps);
        double[] sig = new double[steps];
        double[] ts = new double[steps];
        float[] train = schedule.trainSigmas();
        if (c.useKarrasSigmas()) {
            // diffusers' DPM scheduler has no sigma_min/sigma_max: the training range is used
            sig = Schedule.karras(train[0], train[train.length - 1], steps);
            for (int i = 0; i < steps; i++) {
                double t = schedule.sigmaToT(sig[i]);
                ts[i] = "squaredcos_cap_v2".equals(c.betaSchedule()) ? t : Schedule.round(t);
            }
        } else {
            for (int i = 0; i < steps; i++) {
                ts[i] = its[i];
                sig[i] = schedule.interpSigma(its[i]);
            }
        }
        float last;
        switch (c.finalSigmasType()) {
            case "zero": last = 0f; break;
            case "sigma_min": last = train[0]; break;
            default: throw new IllegalArgumentException("final_sigmas_type must be 'zero' or 'sigma_min', got '" + c.finalSigmasType() + "'");
        }
        this.sigmas = new float[steps + 1];
        this.timesteps = new float[steps];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = (float) sig[i];
            timesteps[i] = (float) (long) ts[i]; // int64 in diffusers
        }
        sigmas[steps] = last;
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
    public Run start() {
        return new DpmRun();
    }

    private static float alphaOf(float sigma) {
        return 1f / (float) Math.sqrt(sigma * sigma + 1f);
    }

    private static float lambdaOf(float sigma) {
        float a = alphaOf(sigma);
        float s = sigma * a;
        return (float) Math.log(a) - (float) Math.log(s);
    }

    private final class DpmRun implements Run {
        private NDArray prevX0;
        private int lowerOrderNums;

        @Override
        public Step step(NDArray modelOutput, int i, NDArray x, NoiseSource noise) {
            int n = timesteps.length;
            boolean lowerOrderFinal = i == n - 1
                    && (c.eulerAtFinal() || (c.lowerOrderFinal() && n < 15) || "zero".equals(c.finalSigmasType()));
            NDArray x0 = convert(modelOutput, x, sigmas[i]);
            NDArray prev;
            if (c.solverOrder() == 1 || lowerOrderNums < 1 || lowerOrderFinal || prevX0 == null
                    || sigmas[i - 1] == sigmas[i]) { // repeated sigma (clamped schedule): r0 = 0, second order undefined
                prev = firstOrder(x0, x, i);
            } else {
                prev = secondOrder(x0, prevX0, x, i);
            }
            if (lowerOrderNums < c.solverOrder()) lowerOrderNums++;
            if (prevX0 != null) prevX0.close();
            prevX0 = x0;
            return new Step(prev, x0);
        }

        /** The x0 estimate, an array of its own (it is kept as the next step's history and closed). */
        private NDArray convert(NDArray out, NDArray x, float sigma) {
            float a = alphaOf(sigma), s = sigma * a;
            NDArray x0 = prediction.toX0(out, x, a, s);
            return x0 == out ? out.duplicate() : x0;
        }

        private NDArray firstOrder(NDArray x0, NDArray x, int i) {
            float st = sigmas[i + 1], ss = sigmas[i];
            float at = alphaOf(st), sigT = st * at;
            float as = alphaOf(ss), sigS = ss * as;
            float h = ((float) Math.log(at) - (float) Math.log(sigT)) - ((float) Math.log(as) - (float) Math.log(sigS));
            float em1 = (float) Math.exp(-h) - 1f;
            return x.mul(sigT / sigS).sub(x0.mul(at * em1));
        }

        private NDArray secondOrder(NDArray m0, NDArray m1, NDArray x, int i) {
            float st = sigmas[i + 1], s0 = sigmas[i], s1 = sigmas[i - 1];
            float at = alphaOf(st), sigT = st * at;
            float a0 = alphaOf(s0), sig0 = s0 * a0;
            float lt = lambdaOf(st), l0 = lambdaOf(s0), l1 = lambdaOf(s1);
            float h = lt - l0, h0 = l0 - l1;
            float r0 = h0 / h;
            NDArray d1 = m0.sub(m1).mul(1f / r0);
            float em1 = (float) Math.exp(-h) - 1f;
            NDArray base = x.mul(sigT / sig0).sub(m0.mul(at * em1));
            if ("midpoint".equals(c.solverType())) {
                return base.sub(d1.mul(0.5f * (at * em1)));
            }
            return base.add(d1.mul(at * (em1 / h + 1f)));
        }

        @Override
        public List<NDArray> state() {
            return prevX0 == null ? List.of() : List.of(prevX0);
        }

        @Override
        public void close() {
            if (prevX0 != null) prevX0.close();
            prevX0 = null;
        }
    }
}
