package instantid.parity;

import ai.djl.ndarray.NDArray;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.PromptEncoder;
import instantid.sample.NoiseSource;
import instantid.sample.Rng;
import instantid.sample.StepListener;

import java.util.List;

/** What the two pipeline kinds share: settings from case.json, given noise, per-step latents checks. */
final class PipelineCases {

    private PipelineCases() {
    }

    /**
     * The case's settings with plain prompt encoding (diffusers' {@code encode_prompt}, what the
     * pipeline cases were made with), unless case.json says {@code "prompt_encoding": "lpw"}.
     */
    static GenerationSettings settings(Case c) {
        String neg = c.config.has("negative_prompt") && !c.config.get("negative_prompt").isJsonNull()
                ? c.config.get("negative_prompt").getAsString() : null;
        return new GenerationSettings(c.string("prompt", ""), neg, (int) c.number("steps", 30),
                c.number("guidance_scale", 5.0), (int) c.number("width", 1024), (int) c.number("height", 1024),
                (long) c.number("seed", 0), c.string("scheduler", "euler"), 1, List.of(),
                PromptEncoder.parse(c.string("prompt_encoding", "plain")));
    }

    /** The case's per-step noise ({@code noise_i}) when it has it, else a seeded generator. */
    static NoiseSource noise(Case c) {
        Rng rng = new Rng((long) c.number("seed", 0));
        return (like, i) -> c.has("noise_" + i) ? c.array(like.getManager(), "noise_" + i).toType(like.getDataType(), false)
                : rng.next(like, i);
    }

    /** Checks {@code latents_after_step_i} as each step ends. */
    static StepListener latentsChecker(Case c, Report report) {
        return (i, n, latents, x0) -> {
            String name = "latents_after_step_" + i;
            if (c.has(name)) report.check(name, latents);
        };
    }

    static void checkImage(Case c, Report report, NDArray image01) {
        report.check("image", image01);
    }
}
