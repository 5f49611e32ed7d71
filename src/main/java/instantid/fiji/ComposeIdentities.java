package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.Roi;

import instantid.face.Face;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.Region;
import instantid.pipeline.Result;
import instantid.request.Placement;
import instantid.sample.Samplers;
import instantid.sample.Seeds;

import java.awt.Color;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

import org.scijava.command.Command;
import org.scijava.event.EventService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Compose Identities (issue 9): several people in one picture. Each
 * identity is {@code faceRoi@image>regionRoi}: a face ROI (ROI Manager row or overlay name) on an
 * open image, and a target region ROI drawn on the canvas image. Its keypoints are its own face's,
 * placed in its region (face box centred horizontally in the upper part of the region, scaled to
 * half the region's shorter side). Output: the composed image with one overlay ROI per region,
 * named {@code identity-k: face}.
 */
@Plugin(type = Command.class, headless = true, initializer = "init",
        description = "Several people in one picture: each face (a ROI on an open image) is placed in its own region"
                + " (a ROI on the canvas, the current image).")
public class ComposeIdentities extends InstantIdCommand {


    @Parameter
    private InstantIdService instantId;

    @Parameter(required = false)
    private EventService events;

    @Parameter(label = "Canvas (regions drawn on it)")
    private ImagePlus canvas;

    @Parameter(label = "Identities", description = "face@image>region; face@image>region — ROI names (ROI Manager rows"
            + " or overlay names); @image names the image of the face (default: the current image)")
    private String identities = "";

    @Parameter(label = "IP_scales", description = "one number, or one per identity (comma separated)")
    private String ip_scales = "0.8";

    @Parameter(label = "IdentityNet_scales", description = "one number, or one per identity")
    private String identitynet_scales = "0.8";

    @Parameter(label = "Feather (region edge, pixels)", min = "0", description = "soft edge of each region")
    private double feather = 16;

    @Parameter(label = "Threshold (face detection)", min = "0", max = "1")
    private double threshold = 0.5;

    @Parameter(label = "Prompt", required = false)
    private String prompt = "";

    @Parameter(label = "Negative prompt", required = false, description = "empty = none")
    private String negative = "";

    @Parameter(label = "Width (0 = canvas)", min = "0")
    private int width = 0;

    @Parameter(label = "Height (0 = canvas)", min = "0")
    private int height = 0;

    @Parameter(label = "Steps", min = "1")
    private int steps = 30;

    @Parameter(label = "Guidance (CFG scale)", min = "0")
    private double guidance = 5.0;

    @Parameter(label = "Sampler") // choices: offerSamplers()
    private String sampler = "euler";

    @Parameter(label = "Seed (-1 = random)")
    private long seed = -1;

    @Parameter(label = "Preview window (each step)")
    private boolean preview = true;

    private ImagePlus output;

    public ImagePlus output() {
        return output;
    }

    protected void init() {
        offerSamplers();
    }

    /** One parsed {@code face@image>region} entry. */
    record Entry(String face, String image, String region) {
        static List<Entry> parse(String text) {
            List<Entry> out = new ArrayList<>();
            for (String part : text.split(";")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int gt = p.indexOf('>');
                if (gt < 0) throw new IllegalArgumentException("identity '" + p + "': write face@image>region");
                String left = p.substring(0, gt).trim(), region = p.substring(gt + 1).trim();
                int at = left.indexOf('@');
                out.add(new Entry(at < 0 ? left : left.substring(0, at).trim(), at < 0 ? null : left.substring(at + 1).trim(), region));
            }
            if (out.isEmpty()) throw new IllegalArgumentException("no identities: give face@image>region; face@image>region");
            return out;
        }
    }

    static double[] scales(String text, int n, String name) {
        String[] p = text.trim().split("[,\\s]+");
        if (p.length != 1 && p.length != n) throw new IllegalArgumentException(name + ": give one number or " + n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            try {
                out[i] = Double.parseDouble(p[p.length == 1 ? 0 : i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": '" + p[p.length == 1 ? 0 : i] + "' is not a number");
            }
        }
        return out;
    }

    @Override
    protected void execute() {
        if (canvas == null) throw new IllegalArgumentException("no canvas image: open or create one and draw the regions on it");
        List<Entry> entries = Entry.parse(identities);
        int n = entries.size();
        double[] ip = scales(ip_scales, n, "ip_scales"), idn = scales(identitynet_scales, n, "identitynet_scales");
        int w = width > 0 ? width : canvas.getWidth(), h = height > 0 ? height : canvas.getHeight();
        int[] size = OutputSize.of(w, h, new int[] {w, h});
        FijiSettings settings = instantId.settings();
        String missing = settings.missingForGeneration();
        if (missing != null) throw new IllegalArgumentException(missing);
        long s = Seeds.resolve(seed);
        Samplers.require(sampler, "sampler");
        GenerationSettings g = new GenerationSettings(prompt, negative.isEmpty() ? null : negative, steps, guidance,
                size[0], size[1], s, sampler, 1, List.of()); // checked before any face is searched
        double sx = (double) size[0] / canvas.getWidth(), sy = (double) size[1] / canvas.getHeight();
        List<Region> regions = new ArrayList<>();
        for (Entry e : entries) {
            Rectangle r = Rois.bounds(Rois.find(e.region(), canvas), canvas);
            regions.add(Placement.region(r.x, r.y, r.width, r.height, sx, sy, feather));
        }
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            ImagePlus src = e.image() == null ? WindowManager.getCurrentImage() : WindowManager.getImage(e.image());
            if (src == null) throw new IllegalArgumentException("identity " + (i + 1) + ": image '" + e.image() + "' is not open");
            Rectangle area = Rois.bounds(Rois.find(e.face(), src), src);
            Face f = FaceSource.choose(instantId.faces(), src, ImageConversion.prepare(src), area, threshold).inOriginal();
            ids.add(Placement.identity(f, regions.get(i), ip[i], idn[i]));
        }
        InstantIdRequest request = new InstantIdRequest(g, ids, 0.0, 1.0, null);
        Result result;
        try (FijiProgress progress = new FijiProgress(this, events, preview, size[0], size[1], 1)) {
            result = instantId.generate(request, progress);
        }
        if (isCanceled()) return;
        result = instantId.scored(result, request, threshold);
        MacroLine line = new MacroLine(MenuEntries.labelOf(getClass())).put("canvas", canvas.getTitle()).put("identities", identities)
                .put("ip_scales", ip_scales).put("identitynet_scales", identitynet_scales).put("feather", feather)
                .put("threshold", threshold).put("prompt", prompt).put("negative", negative).put("width", size[0])
                .put("height", size[1]).put("steps", steps).put("guidance", guidance).put("sampler", sampler)
                .put("seed", s).flag("preview", preview);
        output = Images.toImagePlus(Titles.unique("InstantID-composition"), result, line.toString());
        Overlay o = new Overlay();
        for (int i = 0; i < n; i++) {
            Region r = regions.get(i);
            Roi roi = new Roi(r.x(), r.y(), r.width(), r.height());
            roi.setName("identity-" + (i + 1) + ": " + entries.get(i).face());
            roi.setStrokeColor(Color.getHSBColor(i / (float) Math.max(1, n), 0.9f, 1f));
            o.add(roi);
        }
        output.setOverlay(o);
        output.show();
    }
}
