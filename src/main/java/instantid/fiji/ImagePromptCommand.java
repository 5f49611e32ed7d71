package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ImagePrompt;
import instantid.pipeline.Result;

import java.io.File;
import java.util.List;
import instantid.sample.Seeds;

import org.scijava.event.EventService;
import org.scijava.plugin.Parameter;

/**
 * What Generate in Style and Generate from Reference share: the text-to-image inputs, the adapter
 * files (empty = found in the models folder), the run on the loaded pipeline's SDXL models and the
 * new window whose Info holds the settings and the macro line.
 */
abstract class ImagePromptCommand extends InstantIdCommand {

    @Parameter
    protected InstantIdService instantId;

    @Parameter(required = false)
    private EventService events;

    @Parameter(label = "Prompt", required = false)
    protected String prompt = "";

    @Parameter(label = "Negative prompt", required = false, description = "empty = none (zero embeddings)")
    protected String negative = "";

    @Parameter(label = "Width", min = "8")
    protected int width = 1024;

    @Parameter(label = "Height", min = "8")
    protected int height = 1024;

    @Parameter(label = "Steps", min = "1")
    protected int steps = 30;

    @Parameter(label = "Guidance", min = "0", stepSize = "0.5")
    protected double guidance = 5.0;

    @Parameter(label = "Sampler") // choices: offerSamplers()
    protected String sampler = "euler";

    @Parameter(label = "Seed (-1 = random)")
    protected long seed = -1;

    @Parameter(label = "Images (number of)", min = "1", max = "64")
    protected int images = 1;

    @Parameter(label = "Adapter file (empty = from the models folder)", required = false)
    protected File adapter;

    @Parameter(label = "Encoder (image encoder folder; empty = from the models folder)", required = false, style = "directory")
    protected File encoder;

    @Parameter(label = "Preview (while it runs)")
    protected boolean preview = true;

    private ImagePlus output;

    public ImagePlus output() {
        return output;
    }

    /** The image prompt from the command's own inputs (the source image named by {@code source}). */
    protected abstract ImagePrompt imagePrompt(ImagePlus source, FijiSettings settings);

    /** The command's own inputs in the macro line. */
    protected abstract MacroLine ownInputs(MacroLine line);

    /** Title prefix of the new window. */
    protected abstract String titlePrefix();

    protected void generate(String sourceTitle, String what) {
        FijiSettings settings = instantId.settings();
        String missing = settings.missingForGeneration();
        if (missing != null) throw new IllegalArgumentException(missing);
        ImagePlus src = ImagePromptSource.open(sourceTitle, what);
        instantid.sample.Samplers.require(sampler, "sampler");
        long s = Seeds.resolve(seed);
        GenerationSettings g = new GenerationSettings(prompt, negative == null || negative.isEmpty() ? null : negative,
                steps, guidance, width, height, s, sampler, images, List.of());
        ImagePrompt p = imagePrompt(src, settings);
        p.requireFiles();
        Result result;
        try (FijiProgress progress = new FijiProgress(this, events, preview, width, height, images)) {
            result = instantId.pipeline(progress).textToImage().generate(g, List.of(p), progress);
        }
        if (isCanceled()) return;
        MacroLine line = ownInputs(new MacroLine(MenuEntries.labelOf(getClass())))
                .put("prompt", prompt).put("negative", negative).put("width", width).put("height", height)
                .put("steps", steps).put("guidance", guidance).put("sampler", sampler).put("seed", s).put("images", images)
                .put("adapter", adapter == null ? null : adapter.getPath())
                .put("encoder", encoder == null ? null : encoder.getPath()).flag("preview", preview);
        output = Images.toImagePlus(WindowManager.getUniqueName(titlePrefix() + GenerateFromFace.stripExtension(src.getTitle())),
                result, line.toString());
        output.show();
    }
}
