package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.measure.ResultsTable;

import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;
import instantid.face.Faces;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Face Similarity: cosine similarity of ArcFace embeddings (the paper's
 * identity metric) for two faces — two ROIs on one image ({@code first}/{@code second} ROI names),
 * the largest faces of two images, or every pair of ROI Manager faces ({@code mode=all}) — into
 * the Results table (columns Face A, Face B, Similarity).
 */
@Plugin(type = Command.class, headless = true, initializer = "init",
        description = "Cosine similarity of the identity embeddings (ArcFace) of two faces, into the Results table.")
public class FaceSimilarity extends InstantIdCommand {

    static final String TWO_IMAGES = "two images", TWO_ROIS = "two rois", ALL = "all roi manager faces";

    @Parameter
    private InstantIdService instantId;

    @Parameter(label = "Image")
    private ImagePlus image;

    @Parameter(label = "Mode (what to compare)", choices = {TWO_IMAGES, TWO_ROIS, ALL},
            description = "two images: their largest faces; two rois: two ROI Manager rows of the current image;"
                    + " all: every pair of ROI Manager faces")
    private String mode = TWO_IMAGES;

    @Parameter(label = "Other image", required = false, description = "for mode=[two images]: the second image")
    private String other = "";

    @Parameter(label = "First ROI", required = false, description = "for mode=[two rois]: a ROI Manager row name")
    private String first = "";

    @Parameter(label = "Second ROI", required = false, description = "the other row")
    private String second = "";

    @Parameter(label = "Threshold (face detection)", min = "0", max = "1", stepSize = "0.05")
    private double threshold = 0.5;

    private ResultsTable table;

    protected void init() {
        offerImages("other", null);
    }

    public ResultsTable table() {
        return table;
    }

    @Override
    protected void execute() {
        if (image == null) throw new IllegalArgumentException("no image: open one first");
        List<String> names = new ArrayList<>();
        List<float[]> emb = new ArrayList<>();
        PreparedPhoto rgb = ImageConversion.prepare(image);
        switch (mode) {
            case TWO_IMAGES: {
                ImagePlus b = WindowManager.getImage(other == null ? "" : other.trim());
                if (b == null) throw new IllegalArgumentException("second image '" + other + "' is not open (other=title)");
                add(names, emb, image.getTitle(), image, rgb, null);
                add(names, emb, b.getTitle(), b, ImageConversion.prepare(b), null);
                break;
            }
            case TWO_ROIS:
                for (String n : new String[] {first, second}) {
                    add(names, emb, n, image, rgb, Rois.bounds(Rois.find(n, image), image));
                }
                break;
            case ALL: {
                List<Roi> rois = Rois.all(image, FaceOverlay.PREFIX);
                if (rois.size() < 2) throw new IllegalArgumentException("'all' needs at least two faces in the ROI"
                        + " Manager (run Detect Faces first); found " + rois.size());
                for (Roi r : rois) add(names, emb, Rois.name(r), image, rgb, Rois.bounds(r, image));
                break;
            }
            default:
                throw new IllegalArgumentException("mode='" + mode + "': use " + TWO_IMAGES + ", " + TWO_ROIS + " or " + ALL);
        }
        table = ResultsTable.getResultsTable() == null ? new ResultsTable() : ResultsTable.getResultsTable();
        table.reset();
        for (int i = 0; i < emb.size(); i++) {
            for (int j = i + 1; j < emb.size(); j++) {
                table.incrementCounter();
                table.addValue("Face A", names.get(i));
                table.addValue("Face B", names.get(j));
                table.addValue("Similarity", Faces.cosineSimilarity(emb.get(i), emb.get(j)));
            }
        }
        table.show("Results");
    }

    private void add(List<String> names, List<float[]> emb, String name, ImagePlus imp, PreparedPhoto rgb, Rectangle area) {
        PhotoFaces.Found f = FaceSource.choose(instantId.faces(), imp, rgb, area, threshold);
        names.add(name);
        emb.add(f.embedding());
    }
}
