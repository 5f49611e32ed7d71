package instantid.fiji;

import ij.ImagePlus;
import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;
import instantid.pipeline.Embeddings;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.PromptEncoder;
import instantid.pipeline.Result;
import instantid.request.FaceIdentity;
import instantid.request.FastMode;
import instantid.sample.Samplers;
import instantid.sample.Seeds;
import org.scijava.command.Command;
import org.scijava.event.EventService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import instantid.text.StyleTemplates;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * Plugins › InstantID › Generate from Face: one face (selection / ROI Manager row / largest in
 * the image) → a new image window (RGB stack for several images, slices labelled with their seed)
 * whose Info holds every setting and the macro line that reproduces it. The source is never
 * modified. Everything is checked before the pipeline loads.
 */
@Plugin(type = Command.class, headless = true, initializer = "init",
        description = "A new picture of the person whose face is in the current image (its selection, a ROI Manager row,"
                + " or the largest face), in the pose of a pose image or typed keypoints, following the prompt.")
public class GenerateFromFace extends InstantIdCommand {

    public static final String PROMPTS_WEIGHTED = "weighted, long (app)";
    public static final String PROMPTS_PLAIN = "plain, 77 tokens (infer.py)";

    @Parameter
    protected InstantIdService instantId;

    @Parameter(required = false)
    protected EventService events;

    @Parameter(label = "Image")
    protected ImagePlus image;

    @Parameter(label = "Face (which one)", choices = {FaceSource.SELECTION, FaceSource.WHOLE, FaceSource.MANAGER},
            description = "selection: the face in the image's ROI (largest face when there is none); "
                    + "roi manager: the face in the ROI Manager row named below")
    private String face = FaceSource.SELECTION;

    @Parameter(label = "Row of the ROI Manager", required = false, description = "for face=[roi manager]: the row name (face-1) or number")
    private String row = "";

    @Parameter(label = "Threshold (face detection)", min = "0", max = "1", stepSize = "0.05",
            description = "the detector's minimum score for a face (in the photo, and in the outputs for their identity score)")
    protected double threshold = 0.5;

    @Parameter(label = "Pose image", required = false, description = "an open image whose face gives the keypoints")
    private String pose = KeypointSource.NONE;

    @Parameter(label = "Keypoints", required = false,
            description = "10 numbers x0 y0 ... x4 y4 in output pixels (eyes, nose, mouth corners); overrides the pose image")
    private String keypoints = "";

    @Parameter(label = "Prompt", required = false, description = "what the picture shows")
    private String prompt = "";

    @Parameter(label = "Negative prompt", required = false,
            description = "empty = none (zero embeddings with plain prompts; the empty prompt with weighted prompts)")
    private String negative = "";

    @Parameter(label = "Style template", required = false,
            description = "InstantID app's styles: the prompt goes into the template, the template's negative before yours")
    private String style = StyleTemplates.NONE;

    @Parameter(label = "Prompts", choices = {PROMPTS_WEIGHTED, PROMPTS_PLAIN},
            description = "weighted: (word:1.2), (word), [word], any length, as InstantID's app; plain: as infer.py, 77 tokens")
    private String prompts = PROMPTS_WEIGHTED;

    @Parameter(label = "Enhance non-face region",
            description = "as InstantID's app: IdentityNet and the image adapter act only on the face box")
    private boolean enhance = true;

    @Parameter(label = "Width (0 = from image)", min = "0", description = "0: as the InstantID app, the size of the pose (else face)"
            + " image after resize_img(max_side 1280, min_side 1024), multiples of 64")
    private int width = 0;

    @Parameter(label = "Height (0 = from image)", min = "0", description = "0: see Width")
    private int height = 0;

    @Parameter(label = "Steps", min = "1", description = "denoising steps (30 is usual; 4-8 in fast mode)")
    private int steps = 30;

    @Parameter(label = "Guidance (CFG scale)", min = "0", stepSize = "0.5", description = "how strongly the prompt is followed")
    private double guidance = 5.0;

    @Parameter(label = "IP_scale (identity adapter)", min = "0", stepSize = "0.05",
            description = "weight of the face embedding in every cross-attention")
    private double ip_scale = 0.8;

    @Parameter(label = "IdentityNet_scale", min = "0", stepSize = "0.05",
            description = "weight of IdentityNet, the keypoint ControlNet")
    private double identitynet_scale = 0.8;

    @Parameter(label = "Start of IdentityNet", min = "0", max = "1", stepSize = "0.05",
            description = "fraction of the steps at which IdentityNet starts acting")
    private double start = 0.0;

    @Parameter(label = "End of IdentityNet", min = "0", max = "1", stepSize = "0.05",
            description = "fraction of the steps at which it stops")
    private double end = 1.0;

    @Parameter(label = "Sampler", description = "the denoising schedule") // choices: offerSamplers()
    private String sampler = "euler";

    @Parameter(label = "Seed (-1 = random)",
            description = "the same seed, settings and models give the same pixels; the seed used is in the image's Info")
    protected long seed = -1;

    @Parameter(label = "Images (how many)", min = "1", max = "64", description = "several images: a stack, seeds seed, seed+1, ...")
    protected int images = 1;

    @Parameter(label = "LoRAs (file:scale;...)", required = false,
            description = "LoRA files fused for this run only, e.g. /path/style.safetensors:0.8")
    private String loras = "";

    @Parameter(label = "Fast mode (LCM-LoRA, 4-8 steps)",
            description = "adds the LCM-LoRA set in Settings / Models, sampler lcm, 4-8 steps, guidance 1-2")
    private boolean fast = false;

    @Parameter(label = "Preview window (each step)", description = "shows the picture forming; closed at the end")
    protected boolean preview = true;

    @Parameter(label = "Id_map (ID-attention overlay)", description = "overlay where the identity acts: the IP path's share of the "
            + "cross-attention output, averaged over steps and layers")
    protected boolean id_map = false;

    @Parameter(label = "Style_source (image)", required = false,
            description = "Style: an open image (its selection, if any) whose style the portrait takes (InstantStyle); none = no style")
    private String style_source = ImagePromptSource.NONE;

    @Parameter(label = "Style_scale", min = "0", stepSize = "0.05")
    private double style_scale = 1.0;

    @Parameter(label = "Style_blocks", choices = {"style", "style+layout", "all"},
            description = "style: up_blocks.0.attentions.1 only; style+layout: also down_blocks.2.attentions.1; all: every block")
    private String style_blocks = "style";

    @Parameter(label = "Style_content (prompt)", required = false,
            description = "what the style image shows, subtracted so its content does not leak (plain IP-Adapter SDXL)")
    private String style_content = "";

    @Parameter(label = "Style_content_scale", min = "0", stepSize = "0.05")
    private double style_content_scale = 0.5;

    @Parameter(label = "Style_adapter (empty = from the models folder)", required = false,
            description = "h94/IP-Adapter sdxl_models/ip-adapter_sdxl.safetensors")
    private java.io.File style_adapter;

    @Parameter(label = "Style_encoder (image encoder; empty = from the models folder)", required = false, style = "directory",
            description = "h94/IP-Adapter sdxl_models/image_encoder (ViT-bigG)")
    private java.io.File style_encoder;

    /** The shown output (null when the run failed or was cancelled). */
    protected ImagePlus output;

    protected void init() {
        offerImages("pose", KeypointSource.NONE);
        offerSamplers();
        org.scijava.module.MutableModuleItem<String> st = getInfo().getMutableInput("style", String.class);
        if (st != null) st.setChoices(StyleTemplates.names());
        offerImages("style_source", ImagePromptSource.NONE);
    }

    public ImagePlus output() {
        return output;
    }

    /** A checked request, the seed it starts from and the output size: everything before the pipeline. */
    record Prepared(InstantIdRequest request, long seed, int[] size) {
    }

    @Override
    protected void execute() {
        Prepared pr = prepare();
        int[] size = pr.size();
        long s = pr.seed();
        InstantIdRequest request = pr.request();

        // 3. the pipeline (loaded once per settings), progress, cancel; a window only for a finished run
        Result result;
        try (FijiProgress progress = new FijiProgress(this, events, preview, size[0], size[1], images)) {
            result = instantId.generate(request, progress, id_map);
        }
        if (isCanceled()) return;
        result = instantId.scored(result, request, threshold);
        String title = Titles.unique("InstantID-" + stripExtension(image.getTitle()));
        output = Images.toImagePlus(title, result, macroLine(s, size).toString());
        ImagePlus map = id_map ? IdMapOverlay.add(output, result) : null;
        output.show();
        if (map != null) map.show();
    }

    /** Steps 1 and 2: inputs checked, the face found and embedded, size and keypoints; no pipeline yet. */
    Prepared prepare() {
        // 1. everything that needs no model
        if (image == null) throw new IllegalArgumentException("no image: open a portrait first");
        FijiSettings settings = instantId.settings();
        FastMode.Sampling o = sampling(settings);
        String missing = settings.missingForGeneration();
        if (missing != null) throw new IllegalArgumentException(missing);
        Rectangle area = FaceSource.searchArea(image, face, row);
        KeypointSource kpsSource = KeypointSource.parse(pose, keypoints);
        StyleTemplates.Prompts p = StyleTemplates.apply(style == null || style.isBlank() ? StyleTemplates.NONE : style,
                prompt, negative.isEmpty() ? null : negative);

        int[] size = OutputSize.of(width, height, kpsSource.referenceSize(image));

        // 2. faces (small models), then the keypoints
        PreparedPhoto photo = ImageConversion.prepare(image);
        PhotoFaces.Found f = FaceSource.choose(instantId.faces(), image, photo, area, threshold);
        Identity id = FaceIdentity.of(List.of(f.embedding()), Embeddings.Combine.MEAN,
                kpsSource.pose(instantId.faces(), f, photo, threshold), size[0], size[1], ip_scale, identitynet_scale,
                photo.conversion() == null ? List.of() : List.of(image.getTitle() + ": " + photo.conversion()));
        long s = Seeds.resolve(seed);
        GenerationSettings g = new GenerationSettings(p.prompt(), p.negativePrompt(), o.steps(), o.guidance(), size[0],
                size[1], s, o.sampler(), images, o.loras(), PROMPTS_PLAIN.equals(prompts) ? PromptEncoder.PLAIN : PromptEncoder.LPW);
        InstantIdRequest request = new InstantIdRequest(g, List.of(id), start, end, null, enhance);
        if (style_source != null && !style_source.equals(ImagePromptSource.NONE) && !style_source.isEmpty()) {
            request = request.withImagePrompts(List.of(ImagePromptSource.style(ImagePromptSource.open(style_source, "style"),
                    style_adapter, style_encoder, settings, style_scale, style_blocks, style_content, style_content_scale)));
        }
        return new Prepared(request, s, size);
    }

    MacroLine macroLine(long usedSeed, int[] size) {
        return macroLine(MenuEntries.labelOf(getClass()), usedSeed, size);
    }

    /** The macro line of these inputs for the command labelled {@code label} (a sweep's best image: Generate from Face's). */
    MacroLine macroLine(String label, long usedSeed, int[] size) {
        MacroLine line = new MacroLine(label).put("image", image.getTitle()).put("face", face).put("row", row.isEmpty() ? null : row)
                .put("threshold", threshold).put("pose", pose).put("keypoints", keypoints.isEmpty() ? null : keypoints)
                .put("prompt", prompt).put("negative", negative)
                .put("style", style == null || StyleTemplates.NONE.equals(style) ? null : style).put("prompts", prompts)
                .flag("enhance", enhance).put("width", size[0]).put("height", size[1])
                .put("steps", steps).put("guidance", guidance).put("ip_scale", ip_scale)
                .put("identitynet_scale", identitynet_scale).put("start", start).put("end", end)
                .put("sampler", sampler).put("seed", usedSeed).put("images", images)
                .put("loras", loras.isEmpty() ? null : loras).flag("fast", fast).flag("preview", preview).flag("id_map", id_map);
        if (style_source == null || style_source.isEmpty() || style_source.equals(ImagePromptSource.NONE)) return line;
        return line.put("style_source", style_source).put("style_scale", style_scale).put("style_blocks", style_blocks)
                .put("style_content", style_content == null || style_content.isEmpty() ? null : style_content).put("style_content_scale", style_content_scale)
                .put("style_adapter", style_adapter == null ? null : style_adapter.getPath())
                .put("style_encoder", style_encoder == null ? null : style_encoder.getPath());
    }

    static String stripExtension(String t) {
        int i = t.lastIndexOf('.');
        return i > 0 && t.length() - i <= 5 ? t.substring(0, i) : t;
    }

    /** The sampling inputs after fast mode is applied. */
    FastMode.Sampling sampling(FijiSettings settings) {
        if (!fast) Samplers.require(sampler, "sampler"); // fast mode samples with lcm whatever is chosen
        return FastMode.apply(fast, new FastMode.Sampling(steps, guidance, sampler, LoraList.parse(loras)), settings.lcmLora(),
                "set it in Plugins > InstantID > Settings / Models...");
    }
}
