package instantid.fiji;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * Named ROIs as the commands read them: a ROI Manager row (by name, or by 1-based index), else —
 * where no ROI Manager can exist (headless without imagej-legacy) — an element of the image's
 * overlay with that name (Detect Faces puts its face-1, face-2, ... in both places). Any shape
 * counts by its bounds; coordinates are pixels (calibration is ignored).
 */
final class Rois {

    private Rois() {
    }

    /** The ROI Manager if one is open (or the batch-mode one inside a macro), else null; never creates a window. */
    static RoiManager manager() {
        try {
            return RoiManager.getInstance();
        } catch (RuntimeException | Error e) {
            return null; // no ROI Manager possible here (headless AWT)
        }
    }

    /** The ROI Manager, created if needed and possible (GUI, or a batch-mode macro), else null. */
    static RoiManager managerCreating() {
        RoiManager rm = manager();
        if (rm != null || java.awt.GraphicsEnvironment.isHeadless()) return rm;
        try {
            return RoiManager.getRoiManager();
        } catch (RuntimeException | Error e) {
            return null;
        }
    }

    /** The ROI called {@code name} (or row number), looked up in the ROI Manager then in {@code imp}'s overlay. */
    static Roi find(String name, ImagePlus imp) {
        String n = name == null ? "" : name.trim();
        if (n.isEmpty()) throw new IllegalArgumentException("no ROI name given (a ROI Manager row name such as face-1)");
        RoiManager rm = manager();
        if (rm != null) {
            Roi[] rois = rm.getRoisAsArray();
            for (Roi r : rois) if (n.equals(r.getName())) return r;
            if (n.matches("\\d+")) {
                int i = Integer.parseInt(n) - 1;
                if (i >= 0 && i < rois.length) return rois[i];
            }
        }
        if (imp != null && imp.getOverlay() != null) {
            Overlay o = imp.getOverlay();
            int i = o.getIndex(n);
            if (i >= 0) return o.get(i);
        }
        throw new IllegalArgumentException("no ROI called '" + n + "' in the ROI Manager"
                + (imp == null ? "" : " or in the overlay of '" + imp.getTitle() + "'")
                + ": add it to the ROI Manager (or run Detect Faces, which names faces face-1, face-2, ...)");
    }

    /**
     * Every area ROI of the ROI Manager (all of them when {@code prefix} is null), else the
     * overlay elements named {@code prefix} + a number (face-1, face-2, ...: not their labels).
     */
    static List<Roi> all(ImagePlus imp, String prefix) {
        List<Roi> out = new ArrayList<>();
        RoiManager rm = manager();
        if (rm != null && rm.getCount() > 0) {
            for (Roi r : rm.getRoisAsArray()) if (r.isArea() && (prefix == null || name(r).startsWith(prefix))) out.add(r);
            return out;
        }
        if (imp != null && imp.getOverlay() != null) {
            String p = prefix == null ? "face-" : prefix;
            for (Roi r : imp.getOverlay().toArray()) {
                if (name(r).matches(java.util.regex.Pattern.quote(p) + "\\d+") && r.isArea()) out.add(r);
            }
        }
        return out;
    }

    static String name(Roi r) {
        return r.getName() == null ? "" : r.getName();
    }

    /**
     * The bounds of a ROI of any shape (pixels). Not clipped: a face box may reach past the image
     * edge; the detector searches the part that lies inside (widened by its margin).
     */
    static Rectangle bounds(Roi roi, ImagePlus imp) {
        Rectangle b = roi.getBounds();
        if (b.width <= 0 || b.height <= 0) {
            throw new IllegalArgumentException("ROI '" + name(roi) + "' on '" + imp.getTitle()
                    + "' has no area (a point or line): draw a rectangle or any area around the face");
        }
        return b;
    }

    /** Adds {@code roi} to the ROI Manager when one exists or can be created; false when none can. */
    static boolean addToManager(Roi roi) {
        RoiManager rm = managerCreating();
        if (rm == null) return false;
        rm.addRoi(roi);
        return true;
    }
}
