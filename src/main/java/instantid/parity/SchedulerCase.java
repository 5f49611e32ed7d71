package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import instantid.sample.NoiseSource;
import instantid.sample.Sampler;
import instantid.sample.Samplers;
import instantid.sample.ScheduleConfig;

/**
 * Kind {@code scheduler}: the sampler named by the config's diffusers class, for config.steps steps,
 * must give the reference timesteps, sigmas (when the case has them), init_noise_sigma and, chained
 * from x_0 with the recorded model outputs and noise, every scaled_input_i and x_{i+1}.
 */
public final class SchedulerCase implements CaseRunner {

    @Override
    public String kind() {
        return "scheduler";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        ScheduleConfig cfg = ScheduleConfig.fromJson(c.config);
        int steps = (int) c.number("steps", c.shape("timesteps")[0]);
        Sampler s = Samplers.forSchedulerClass(cfg.className(), cfg, steps);
        Report r = new Report(c);
        r.check("timesteps", s.timesteps());
        if (c.has("sigmas")) {
            if (s.sigmas() == null) r.fail("sigmas: the case has them but sampler " + s.name() + " has none");
            else r.check("sigmas", s.sigmas());
        }
        if (c.has("init_noise_sigma")) r.check("init_noise_sigma", new float[] {s.initNoiseSigma()});
        NoiseSource noise = (like, i) -> {
            String name = "noise_" + i;
            if (!c.has(name)) throw new IllegalStateException("sampler drew noise at step " + i + " but the case has no " + name);
            return c.array(like.getManager(), name);
        };
        NDArray x = c.array(m, "x_0");
        try (Sampler.Run run = s.start()) {
            for (int i = 0; i < steps; i++) {
                NDArray in = s.scaleModelInput(x, i);
                if (c.has("scaled_input_" + i)) r.check("scaled_input_" + i, in);
                NDArray out = c.array(m, "model_output_" + i);
                x = run.step(out, i, x, noise).prev();
                r.check("x_" + (i + 1), x);
            }
        }
        return r.outcome();
    }
}
