package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;

import instantid.face.Face;
import instantid.face.RgbImage;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.Result;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.scijava.command.Command;
import org.scijava.event.EventService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Generate from Face: one face (selection / ROI Manager row / largest in
 * the image) → a new image window (RGB stack for several images, slices labelled with their seed)
 * whose Info holds every setting and the macro line that reproduces it. The source is never
 * modified. Everything is checked before the pipeline loads.
 */
@Plugin(type = Command.class, menuPath = "Plugins>InstantID>Generate from Face", headless = true,
        initializer = "init")
public class GenerateFromFace extends InstantIdCommand {

    public static final String LABEL = "Generate from Face";
    public static final String[] SAMPLERS = {"euler", "euler_a", "dpmpp_2m_karras", "ddim", "lcm"};

    @Parameter
    protected InstantIdService instantId;

    @Parameter(required = false)
    protected EventService events;

    @Parameter(label = "Image")
    protected ImagePlus image;

    @Parameter(label = "Face", choices = {FaceSource.SELECTION, FaceSource.WHOLE, FaceSource.MANAGER},
            description = "selection: the face in the image's ROI (largest face when there is none); "
                    + "roi manager: the face in the ROI Manager row named below")
    private String face = FaceSource.SELECTION;

    @Parameter(label = "ROI Manager row", required = false, description = "row name (face-1) or number")
    private String row = "";

    @Parameter(label = "Detection threshold", min = "0", max = "1", stepSize = "0.05")
    protected double threshold = 0.5;

    @Parameter(label = "Pose image", required = false, description = "an open image whose face gives the keypoints")
    private String pose = KeypointSource.NONE;

    @Parameter(label = "Keypoints", required = false,
            description = "10 numbers x0 y0 ... x4 y4 in output pixels (eyes, nose, mouth corners); overrides the pose image")
    private String keypoints = "";

    @Parameter(label = "Prompt", required = false)
    private String prompt = "";

    @Parameter(label = "Negative prompt", required = false, description = "empty = none (zero embeddings)")
    private String negative = "";

    @Parameter(label = "Width (0 = from image)", min = "0")
    private int width = 0;

    @Parameter(label = "Height (0 = from image)", min = "0")
    private int height = 0;

    @Parameter(label = "Steps", min = "1")
    private int steps = 30;

    @Parameter(label = "Guidance", min = "0", stepSize = "0.5")
    private double guidance = 5.0;

    @Parameter(label = "IP-adapter scale", min = "0", stepSize = "0.05")
    private double ip_scale = 0.8;

    @Parameter(label = "IdentityNet scale", min = "0", stepSize = "0.05")
    private double identitynet_scale = 0.8;

    @Parameter(label = "IdentityNet start", min = "0", max = "1", stepSize = "0.05")
    private double start = 0.0;

    @Parameter(label = "IdentityNet end", min = "0", max = "1", stepSize = "0.05")
    private double end = 1.0;

    @Parameter(label = "Sampler", choices = {"euler", "euler_a", "dpmpp_2m_karras", "ddim", "lcm"})
    private String sampler = "euler";

    @Parameter(label = "Seed (-1 = random)")
    protected long seed = -1;

    @Parameter(label = "Number of images", min = "1", max = "64")
    protected int images = 1;

    @Parameter(label = "LoRAs (file:scale;...)", required = false)
    private String loras = "";

    @Parameter(label = "Fast mode (LCM-LoRA, 4-8 steps)")
    private boolean fast = false;

    @Parameter(label = "Show preview")
    protected boolean preview = true;

    @Parameter(label = "ID-attention map", description = "overlay where the identity acts: the IP path's share of the "
            + "cross-attention output, averaged over steps and layers")
    protected boolean id_map = false;

    /** The shown output (null when the run failed or was cancelled). */
    protected ImagePlus output;

    protected void init() {
        offerImages("pose", KeypointSource.NONE);
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
        String title = WindowManager.getUniqueName("InstantID-" + stripExtension(image.getTitle()));
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
        Options o = Options.of(this, settings);
        String missing = settings.missingForGeneration();
        if (missing != null) throw new IllegalArgumentException(missing);
        Rectangle area = FaceSource.searchArea(image, face, row);
        KeypointSource kpsSource = KeypointSource.parse(pose, keypoints);

        // 2. faces (small models), then the output size and keypoints
        RgbImage rgb = ImageConversion.toRgb(image);
        Face f = FaceSource.choose(instantId.faces(), image, rgb, area, threshold);
        int[] size = OutputSize.of(width, height, kpsSource.referenceSize(image));
        float[] kps = kpsSource.keypoints(instantId.faces(), f, image, size[0], size[1], threshold);
        long s = seed < 0 ? new Random().nextInt(Integer.MAX_VALUE) : seed;
        GenerationSettings g = new GenerationSettings(prompt, negative.isEmpty() ? null : negative, o.steps,
                o.guidance, size[0], size[1], s, o.sampler, images, o.loras);
        InstantIdRequest request = new InstantIdRequest(g,
                List.of(new Identity(f.embedding(), kps, ip_scale, identitynet_scale)), start, end, null);
        request.validate();
        return new Prepared(request, s, size);
    }

    MacroLine macroLine(long usedSeed, int[] size) {
        return new MacroLine(LABEL).put("image", image.getTitle()).put("face", face).put("row", row.isEmpty() ? null : row)
                .put("threshold", threshold).put("pose", pose).put("keypoints", keypoints.isEmpty() ? null : keypoints)
                .put("prompt", prompt).put("negative", negative).put("width", size[0]).put("height", size[1])
                .put("steps", steps).put("guidance", guidance).put("ip_scale", ip_scale)
                .put("identitynet_scale", identitynet_scale).put("start", start).put("end", end)
                .put("sampler", sampler).put("seed", usedSeed).put("images", images)
                .put("loras", loras.isEmpty() ? null : loras).flag("fast", fast).flag("preview", preview).flag("id_map", id_map);
    }

    static String stripExtension(String t) {
        int i = t.lastIndexOf('.');
        return i > 0 && t.length() - i <= 5 ? t.substring(0, i) : t;
    }

    /** The sampling options after fast mode is applied. */
    record Options(int steps, double guidance, String sampler, List<instantid.pipeline.LoraSpec> loras) {

        static Options of(GenerateFromFace c, FijiSettings settings) {
            List<instantid.pipeline.LoraSpec> l = new ArrayList<>(LoraList.parse(c.loras));
            if (!c.fast) {
                if (!List.of(SAMPLERS).contains(c.sampler)) {
                    throw new IllegalArgumentException("sampler='" + c.sampler + "': use " + String.join(", ", SAMPLERS));
                }
                return new Options(c.steps, c.guidance, c.sampler, l);
            }
            if (settings.lcmLora() == null || !java.nio.file.Files.isRegularFile(settings.lcmLora())) {
                throw new IllegalArgumentException("fast mode needs an LCM-LoRA file (e.g. lcm-lora-sdxl"
                        + " pytorch_lora_weights.safetensors): set it in Plugins > InstantID > Settings / Models"
                        + (settings.lcmLora() == null ? "" : " (" + settings.lcmLora() + " does not exist)"));
            }
            l.add(new instantid.pipeline.LoraSpec(settings.lcmLora(), 1.0));
            return new Options(Math.max(4, Math.min(8, c.steps)), Math.max(1, Math.min(2, c.guidance)), "lcm", l);
        }
    }
}
