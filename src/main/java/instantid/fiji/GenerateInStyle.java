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
 * Plugins › InstantID › Generate in Style: text-to-image in the style of an open image (or of its
 * selection), as InstantStyle: the image's CLIP features through IP-Adapter SDXL into the style
 * block only (or style + layout, or every block), with an optional content prompt naming what the
 * style image shows, subtracted so its content does not leak. A new window; the source is never
 * modified.
 */
@Plugin(type = Command.class, menuPath = "Plugins>InstantID>Generate in Style", headless = true, initializer = "init")
public class GenerateInStyle extends InstantIdCommand {

    public static final String LABEL = "Generate in Style";

    @Parameter
    private InstantIdService instantId;

    @Parameter(required = false)
    private EventService events;

    @Parameter(label = "Style image", description = "an open image (its selection, if any) whose style is taken")
    private String style = "";

    @Parameter(label = "Prompt", required = false)
    private String prompt = "";

    @Parameter(label = "Negative prompt", required = false, description = "empty = none (zero embeddings)")
    private String negative = "";

    @Parameter(label = "Style scale", min = "0", stepSize = "0.05", description = "0 = no style; 1 = InstantStyle's default")
    private double style_scale = 1.0;

    @Parameter(label = "Style blocks", choices = {"style", "style+layout", "all"},
            description = "style: up_blocks.0.attentions.1 only (InstantStyle); style+layout: also down_blocks.2.attentions.1; all: plain IP-Adapter")
    private String blocks = "style";

    @Parameter(label = "Content prompt", required = false,
            description = "what the style image shows ('a cat'): subtracted from its embedding so the content does not leak")
    private String content = "";

    @Parameter(label = "Content scale", min = "0", stepSize = "0.05")
    private double content_scale = 0.5;

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

    @Parameter(label = "Style adapter (empty = from the models folder)", required = false,
            description = "h94/IP-Adapter sdxl_models/ip-adapter_sdxl.safetensors")
    private File adapter;

    @Parameter(label = "Image encoder folder (empty = from the models folder)", required = false, style = "directory",
            description = "h94/IP-Adapter sdxl_models/image_encoder (ViT-bigG)")
    private File encoder;

    @Parameter(label = "Show preview")
    private boolean preview = true;

    private ImagePlus output;

    protected void init() {
        offerImages("style", null);
    }

    public ImagePlus output() {
        return output;
    }

    @Override
    protected void execute() {
        FijiSettings settings = instantId.settings();
        String missing = settings.missingForGeneration();
        if (missing != null) throw new IllegalArgumentException(missing);
        ImagePlus src = ImagePromptSource.open(style, "style");
        long s = seed < 0 ? new Random().nextInt(Integer.MAX_VALUE) : seed;
        GenerationSettings g = new GenerationSettings(prompt, negative.isEmpty() ? null : negative, steps, guidance, width,
                height, s, sampler, images, List.of());
        g.validate();
        ImagePrompt p = ImagePromptSource.style(src, adapter, encoder, settings, style_scale, blocks, content, content_scale);
        p.validate();
        Result result;
        try (FijiProgress progress = new FijiProgress(this, events, preview, width, height, images)) {
            result = instantId.pipeline(progress).textToImage().generate(g, List.of(p), progress);
        }
        if (isCanceled()) return;
        output = Images.toImagePlus(WindowManager.getUniqueName("InstantStyle-" + GenerateFromFace.stripExtension(src.getTitle())),
                result, new MacroLine(LABEL).put("style", style).put("prompt", prompt).put("negative", negative)
                        .put("style_scale", style_scale).put("blocks", blocks).put("content", content)
                        .put("content_scale", content_scale).put("width", width).put("height", height).put("steps", steps)
                        .put("guidance", guidance).put("sampler", sampler).put("seed", s).put("images", images)
                        .put("adapter", adapter == null ? null : adapter.getPath())
                        .put("encoder", encoder == null ? null : encoder.getPath()).flag("preview", preview).toString());
        output.show();
    }
}
