package instantid.sample;

import java.util.List;
import java.util.Locale;

/**
 * The samplers by name: {@code euler} (InstantID's default), {@code euler_a}, {@code dpmpp_2m},
 * {@code dpmpp_2m_karras}, {@code ddim}, {@code lcm}. Each takes the schedule of a model's
 * scheduler_config.json; the name fixes what makes the sampler what it is (e.g. dpmpp_2m_karras
 * forces dpmsolver++, order 2, Karras sigmas) and leaves the rest (betas, spacing, offset,
 * prediction type) to the config.
 */
public final class Samplers {

    /** Every name {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("euler", "euler_a", "dpmpp_2m", "dpmpp_2m_karras", "ddim", "lcm");

    private Samplers() {
    }

    /** Checks that {@code name} is one of {@link #NAMES}; the message names {@code parameter} and the choices. */
    public static void require(String name, String parameter) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException(parameter + "='" + name + "': use " + String.join(", ", NAMES));
        }
    }

    /** Builds the sampler for a number of steps. */
    @FunctionalInterface
    public interface Factory {
        Sampler withSteps(int steps);
    }

    /** The sampler named {@code name} over {@code config}'s schedule. */
    public static Factory byName(String name, ScheduleConfig config) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        Schedule s = new Schedule(config);
        switch (n) {
            case "euler":
                return steps -> new EulerSampler(n, s, steps, false);
            case "euler_a":
                return steps -> new EulerSampler(n, s, steps, true);
            case "dpmpp_2m": {
                Schedule d = new Schedule(config.withKarras(false).withDpm("dpmsolver++", 2, "midpoint"));
                return steps -> new DpmSolverSampler(n, d, steps);
            }
            case "dpmpp_2m_karras": {
                Schedule d = new Schedule(config.withKarras(true).withDpm("dpmsolver++", 2, "midpoint"));
                return steps -> new DpmSolverSampler(n, d, steps);
            }
            case "ddim":
                return steps -> new DdimSampler(n, s, steps, 0f);
            case "lcm":
                return steps -> new LcmSampler(n, s, steps);
            default:
                throw new IllegalArgumentException("unknown sampler '" + name + "': use one of " + String.join(", ", NAMES));
        }
    }

    /** Shorthand for {@code byName(name, config).withSteps(steps)}. */
    public static Sampler byName(String name, ScheduleConfig config, int steps) {
        return byName(name, config).withSteps(steps);
    }

    /**
     * The sampler a diffusers scheduler class stands for, with every setting taken from the config
     * as written (e.g. DPMSolverMultistepScheduler with its own use_karras_sigmas and solver_order).
     */
    public static Sampler forSchedulerClass(String className, ScheduleConfig config, int steps) {
        Schedule s = new Schedule(config);
        switch (className == null ? "" : className) {
            case "EulerDiscreteScheduler": return new EulerSampler("euler", s, steps, false);
            case "EulerAncestralDiscreteScheduler": return new EulerSampler("euler_a", s, steps, true);
            case "DPMSolverMultistepScheduler":
                return new DpmSolverSampler(config.useKarrasSigmas() ? "dpmpp_2m_karras" : "dpmpp_2m", s, steps);
            case "DDIMScheduler": return new DdimSampler("ddim", s, steps, 0f);
            case "LCMScheduler": return new LcmSampler("lcm", s, steps);
            default:
                throw new IllegalArgumentException("scheduler class '" + className + "' is not supported: use "
                        + "EulerDiscreteScheduler, EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler, "
                        + "DDIMScheduler or LCMScheduler");
        }
    }

    static void checkSteps(int steps, ScheduleConfig c) {
        if (steps < 1 || steps > c.numTrainTimesteps()) {
            throw new IllegalArgumentException("steps must be between 1 and " + c.numTrainTimesteps() + ", got " + steps);
        }
    }
}
