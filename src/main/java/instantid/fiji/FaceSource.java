package instantid.fiji;

import ij.ImagePlus;
import ij.gui.Roi;

import instantid.face.DetectOptions;
import instantid.face.FaceAnalysis;
import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;

import java.awt.Rectangle;
import java.util.Locale;

/**
 * Which face of an image a command uses: inside the image's selection, inside a named ROI
 * Manager row, or the largest in the whole image; found on the image's current plane (see
 * {@link ImageConversion}) after InstantID's resize_img, returned with its embedding, also in the
 * image's own pixel coordinates.
 */
final class FaceSource {

    static final String SELECTION = "selection";
    static final String WHOLE = "whole image";
    static final String MANAGER = "roi manager";
    static final String[] CHOICES = {SELECTION, WHOLE, MANAGER};

    private FaceSource() {
    }

    /** The search rectangle for {@code mode} (null = whole image), with a message naming what is wrong. */
    static Rectangle searchArea(ImagePlus imp, String mode, String row) {
        String m = mode == null ? SELECTION : mode.trim().toLowerCase(Locale.ROOT);
        switch (m) {
            case SELECTION: {
                Roi roi = imp.getRoi();
                return roi == null ? null : Rois.bounds(roi, imp);
            }
            case WHOLE: case "whole": case "largest":
                return null;
            case MANAGER: case "manager": case "row":
                return Rois.bounds(Rois.find(row, imp), imp);
            default:
                throw new IllegalArgumentException("face='" + mode + "': use " + String.join(", ", CHOICES));
        }
    }

    /**
     * The largest face in {@code area} (null = whole image, in the image's pixels) with its
     * embedding, found on {@code photo} (the image after resize_img, as the app detects). The
     * whole image is searched first and the largest face whose box centre lies in the area is
     * taken (the same face Detect Faces reported for a face-N ROI); only when none does is the
     * area searched on its own (a small face the whole-image pass missed).
     */
    static PhotoFaces.Found choose(FaceAnalysis fa, ImagePlus imp, PreparedPhoto photo, Rectangle area, double threshold) {
        DetectOptions o = DetectOptions.defaults().withThreshold((float) threshold);
        if (area == null) return PhotoFaces.choose(fa, photo, imp.getTitle(), o);
        java.util.List<PhotoFaces.Found> inside = new java.util.ArrayList<>();
        for (PhotoFaces.Found f : PhotoFaces.detect(fa, photo, o)) {
            if (area.contains(f.inOriginal().centerX(), f.inOriginal().centerY())) inside.add(f);
        }
        if (!inside.isEmpty()) return PhotoFaces.embed(fa, photo, PhotoFaces.largest(inside));
        return PhotoFaces.choose(fa, photo, imp.getTitle(), o.withRoi(new DetectOptions.Rect(area.x, area.y, area.width, area.height)));
    }

    static String describe(Rectangle area) {
        return area == null ? "whole image"
                : String.format(Locale.ROOT, "%d,%d %dx%d", area.x, area.y, area.width, area.height);
    }
}
