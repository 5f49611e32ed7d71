package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ImagePrompt;
import instantid.pipeline.Result;

import java.io.File;
import java.util.List;
import java.util.Random;

import org.scijava.command.Command;
import org.scijava.event.EventService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Generate from Reference: an object from an open image — select it (your
 * dog, your worn-down chair) — put into a new scene by the prompt, through IP-Adapter Plus (the
 * image's patch features via a Resampler, attended in every cross-attention). IP-Adapter Plus takes
 * no content subtraction. A new window; the source is never modified.
 */
@Plugin(type = Command.class, menuPath = "Plugins>InstantID>Generate from Reference", headless = true, initializer = "init")
public class GenerateFromReference extends InstantIdCommand {

    public static final String LABEL = "Generate from Reference";

    @Parameter
    private InstantIdService instantId;

    @Parameter(required = false)
    private EventService events;

    @Parameter(label = "Reference image", description = "an open image; select the object in it (the whole image without a selection)")
    private String reference = "";

    @Parameter(label = "Prompt", required = false, description = "the new scene: 'a dog on a beach at sunset'")
    private String prompt = "";

    @Parameter(label = "Negative prompt", required = false, description = "empty = none (zero embeddings)")
    private String negative = "";

    @Parameter(label = "Reference scale", min = "0", stepSize = "0.05",
            description = "how strongly the object's details are kept (0 = off; lower leaves the prompt more room)")
    private double reference_scale = 0.6;

    @Parameter(label = "Width", min = "8")
    private int width = 1024;

    @Parameter(label = "Height", min = "8")
    private int height = 1024;

    @Parameter(label = "Steps", min = "1")
    private int steps = 30;

    @Parameter(label = "Guidance", min = "0", stepSize = "0.5")
    private double guidance = 5.0;

    @Parameter(label = "Sampler", choices = {"euler", "euler_a", "dpmpp_2m_karras", "ddim", "lcm"})
    private String sampler = "euler";

    @Parameter(label = "Seed (-1 = random)")
    private long seed = -1;

    @Parameter(label = "Number of images", min = "1", max = "64")
    private int images = 1;

    @Parameter(label = "Reference adapter (empty = from the models folder)", required = false,
            description = "h94/IP-Adapter sdxl_models/ip-adapter-plus_sdxl_vit-h.safetensors")
    private File adapter;

    @Parameter(label = "Image encoder folder (empty = from the models folder)", required = false, style = "directory",
            description = "h94/IP-Adapter models/image_encoder (ViT-H)")
    private File encoder;

    @Parameter(label = "Show preview")
    private boolean preview = true;

    private ImagePlus output;

    protected void init() {
        offerImages("reference", null);
    }

    public ImagePlus output() {
        return output;
    }

    @Override
    protected void execute() {
        FijiSettings settings = instantId.settings();
        String missing = settings.missingForGeneration();
        if (missing != null) throw new IllegalArgumentException(missing);
        ImagePlus src = ImagePromptSource.open(reference, "reference");
        long s = seed < 0 ? new Random().nextInt(Integer.MAX_VALUE) : seed;
        GenerationSettings g = new GenerationSettings(prompt, negative.isEmpty() ? null : negative, steps, guidance, width,
                height, s, sampler, images, List.of());
        g.validate();
        ImagePrompt p = ImagePromptSource.reference(src, adapter, encoder, settings, reference_scale);
        p.validate();
        Result result;
        try (FijiProgress progress = new FijiProgress(this, events, preview, width, height, images)) {
            result = instantId.pipeline(progress).textToImage().generate(g, List.of(p), progress);
        }
        if (isCanceled()) return;
        output = Images.toImagePlus(WindowManager.getUniqueName("Reference-" + GenerateFromFace.stripExtension(src.getTitle())),
                result, new MacroLine(LABEL).put("reference", reference).put("prompt", prompt).put("negative", negative)
                        .put("reference_scale", reference_scale).put("width", width).put("height", height)
                        .put("steps", steps).put("guidance", guidance).put("sampler", sampler).put("seed", s)
                        .put("images", images).put("adapter", adapter == null ? null : adapter.getPath())
                        .put("encoder", encoder == null ? null : encoder.getPath()).flag("preview", preview).toString());
        output.show();
    }
}
