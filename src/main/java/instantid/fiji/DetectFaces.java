package instantid.fiji;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;

import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.image.PhotoFaces;

import java.util.List;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins › InstantID › Detect Faces: every face (box, score, numbered keypoints) as an overlay
 * (pixels untouched), one ROI per face in the ROI Manager ({@code face-1}, ...; where no ROI
 * Manager can exist the overlay's boxes carry those names), and a Results table. Searches inside
 * the image's selection when there is one.
 */
@Plugin(type = Command.class, headless = true,
        description = "Finds every face of the current image (inside its selection if any): an overlay with boxes, scores"
                + " and five keypoints (pixels untouched), face-1, face-2, ... in the ROI Manager, and a Results table.")
public class DetectFaces extends InstantIdCommand {

    public static final String TABLE = "Faces";

    @Parameter
    private InstantIdService instantId;

    @Parameter(label = "Image")
    private ImagePlus image;

    @Parameter(label = "Threshold (face detection)", min = "0", max = "1", stepSize = "0.05",
            description = "the detector's minimum score for a face")
    private double threshold = 0.5;

    @Parameter(label = "Detector_size (pixels)", min = "32", max = "4096",
            description = "the square the image is scaled into for detection; a multiple of 32")
    private int detector_size = 640;

    @Parameter(label = "ROI_Manager (add the faces)", description = "one row per face, named face-1, face-2, ...")
    private boolean roi_manager = true;

    private List<Face> faces;

    public List<Face> faces() {
        return faces;
    }

    @Override
    protected void execute() {
        if (image == null) throw new IllegalArgumentException("no image: open one first");
        if (detector_size % 32 != 0) {
            throw new IllegalArgumentException("detector_size=" + detector_size + ": use a multiple of 32 (640 is usual)");
        }
        DetectOptions o = DetectOptions.defaults().withThreshold((float) threshold).withDetSize(detector_size, detector_size);
        DetectOptions.Rect area = ImageConversion.roiRect(image);
        if (area != null) o = o.withRoi(area);
        // found as the app finds them (on the image after resize_img), drawn in this image's pixels
        faces = new java.util.ArrayList<>();
        for (PhotoFaces.Found f : PhotoFaces.detect(instantId.faces(), ImageConversion.prepare(image), o)) {
            faces.add(f.inOriginal());
        }
        FaceOverlay.draw(image, faces);
        if (roi_manager) {
            for (Roi r : FaceOverlay.rois(faces)) {
                r.setPosition(image.getCurrentSlice());
                if (!Rois.addToManager(r)) break;
            }
        }
        table(faces).show("Results");
        ij.IJ.showStatus("InstantID: " + faces.size() + " face(s) in " + image.getTitle());
    }

    static ResultsTable table(List<Face> faces) {
        ResultsTable rt = ResultsTable.getResultsTable() == null ? new ResultsTable() : ResultsTable.getResultsTable();
        rt.reset();
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            rt.incrementCounter();
            rt.addValue("Face", FaceOverlay.PREFIX + (i + 1));
            rt.addValue("X", f.x1());
            rt.addValue("Y", f.y1());
            rt.addValue("Width", f.width());
            rt.addValue("Height", f.height());
            rt.addValue("Score", f.score());
            float[] k = f.kps();
            for (int j = 0; k != null && j < 5; j++) {
                rt.addValue("KP" + (j + 1) + "X", k[2 * j]);
                rt.addValue("KP" + (j + 1) + "Y", k[2 * j + 1]);
            }
        }
        return rt;
    }
}
