package instantid.cli;

import instantid.lora.LoraSpec;
import instantid.sample.Samplers;
import instantid.text.StyleTemplates;

import java.util.List;

/**
 * Option groups that several verbs share, declared once: where the models are, how they run,
 * what to generate, where to write. A verb lists the groups it takes in its {@link Options}.
 */
public final class CommonOptions {

    private CommonOptions() {
    }

    /** Seeds: -1 asks for a random one; the pipeline draws random seeds below 2^48 and so accepts those. */
    public static final long MAX_SEED = instantid.sample.Seeds.MAX;

    public static final List<OptionSpec> MODELS = List.of(
            OptionSpec.path("models", "DIR", null, "model folder (diffusers SDXL + InstantID's ControlNetModel/ and "
                    + "ip-adapter.bin); default: the model manager's folder (see the models verb)"),
            OptionSpec.path("checkpoint", "FILE", null, "single-file SDXL checkpoint replacing the folder's networks"));

    public static final List<OptionSpec> RUNTIME = List.of(
            OptionSpec.choice("device", "auto", List.of("auto", "cpu", "gpu", "cuda"), "where to compute"),
            OptionSpec.choice("dtype", "auto", List.of("auto", "fp32", "fp16", "bf16"),
                    "compute precision (auto: fp16 on CUDA, fp32 on CPU)"));

    /** How much of the model is resident at once (see pipeline/MemoryPlan). */
    public static final OptionSpec MEMORY = OptionSpec.choice("memory", "auto", List.of("auto", "full", "offload", "sequential"),
            "full: all on the device; offload: one component at a time; sequential: block by block; auto: from free memory and size");

    /** What every SDXL generation takes (defaults: InstantID's). */
    public static final List<OptionSpec> GENERATION = List.of(
            OptionSpec.text("prompt", "TEXT", "", "what to draw; (word:1.2), (word) = x1.1, [word] = /1.1, \\( \\) literal"
                    + " brackets; any length (75-token chunks) with the lpw encoder"),
            OptionSpec.text("negative-prompt", "TEXT", null, "what to avoid"),
            OptionSpec.choice("prompt-encoding", "lpw", List.of("lpw", "plain"), "lpw: InstantID's app (weights, long"
                    + " prompts); plain: infer.py / diffusers (brackets are text, 77 tokens at most)"),
            OptionSpec.choice("style-template", StyleTemplates.NONE, StyleTemplates.names(), "one of the app's style"
                    + " templates, applied to the prompt and negative prompt as the app does"),
            OptionSpec.integer("steps", 30, 1, 1000, "denoising steps (4-8 with LCM)"),
            OptionSpec.number("guidance", 5.0, 0, 30, "classifier-free guidance scale (1-2 with LCM)"),
            OptionSpec.size("size", null, 64, 4096, "image size; default 1024x1024, for generate the official "
                    + "app's rule from the pose / face photo"),
            OptionSpec.longInt("seed", -1, -1, MAX_SEED, "noise seed; -1 = random (the one used is in the settings)"),
            OptionSpec.choice("sampler", "euler", Samplers.NAMES, "sampler"),
            OptionSpec.text("lora", "FILE[:SCALE]", null, "a LoRA file and its scale (default 1)")
                    .check(LoraSpec::parse).repeatable(),
            OptionSpec.integer("num-images", 1, 1, 64, "images to make, with consecutive seeds"),
            OptionSpec.path("settings", "FILE.json", null, "start from an earlier image's settings (its .json); "
                    + "options typed beside it override those settings"));

    /** --out and --overwrite; {@code dflt} is the verb's default file. */
    public static List<OptionSpec> output(String dflt) {
        return List.of(
                OptionSpec.path("out", "FILE", dflt, "image to write: .png (settings in a text chunk), .tif or .jpg; "
                        + "a .json with the settings is written beside it; several images: FILE-1.png, FILE-2.png, ...")
                        .check(OutputTarget::checkExtension),
                OptionSpec.flag("overwrite", "replace existing output files (without it an existing file is an error)"));
    }
}
