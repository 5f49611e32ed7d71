package instantid.fiji;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import instantid.face.Face;

import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Faces drawn as an ImageJ overlay (box, score, five numbered keypoints) — never into the pixels
 * — and one rectangle ROI per face, named {@code face-1}, {@code face-2}, ... for the ROI Manager.
 * Keypoints are numbered 1..5: left eye, right eye, nose, left and right mouth corner (image
 * left/right, as insightface orders them).
 */
public final class FaceOverlay {

    /** Name prefix of every overlay element this class adds (so a redraw replaces them). */
    public static final String PREFIX = "face-";

    static final Color BOX = new Color(0, 255, 0);
    static final Color[] KPS = {Color.RED, Color.BLUE, Color.GREEN, Color.MAGENTA, Color.ORANGE};

    private FaceOverlay() {
    }

    /**
     * Adds the faces to {@code imp}'s overlay (replacing faces drawn earlier, keeping anything
     * else) and returns the overlay. The image's pixels are not touched.
     */
    public static Overlay draw(ImagePlus imp, List<Face> faces) {
        Overlay o = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
        for (int i = o.size() - 1; i >= 0; i--) {
            String n = o.get(i).getName();
            if (n != null && n.startsWith(PREFIX)) o.remove(i);
        }
        double scale = Math.max(1, Math.max(imp.getWidth(), imp.getHeight()) / 512.0);
        Font font = new Font("SansSerif", Font.PLAIN, (int) Math.round(12 * scale));
        for (int i = 0; i < faces.size(); i++) {
            Face f = faces.get(i);
            String id = PREFIX + (i + 1);
            Roi box = box(f, id);
            box.setStrokeWidth(scale);
            o.add(box);
            TextRoi label = new TextRoi(f.x1(), Math.max(0, f.y1() - font.getSize() - 2),
                    String.format(Locale.ROOT, "%d: %.2f", i + 1, f.score()), font);
            label.setStrokeColor(BOX);
            label.setName(id + "-score");
            o.add(label);
            if (f.kps() == null) continue;
            double r = 2 * scale;
            for (int k = 0; k < 5 && 2 * k + 1 < f.kps().length; k++) {
                double x = f.kps()[2 * k], y = f.kps()[2 * k + 1];
                OvalRoi dot = new OvalRoi(x - r, y - r, 2 * r, 2 * r);
                dot.setStrokeColor(KPS[k]);
                dot.setFillColor(KPS[k]);
                dot.setName(id + "-kp" + (k + 1));
                o.add(dot);
                TextRoi num = new TextRoi(x + r, y - r - font.getSize() / 2.0, Integer.toString(k + 1), font);
                num.setStrokeColor(KPS[k]);
                num.setName(id + "-kp" + (k + 1) + "-label");
                o.add(num);
            }
        }
        imp.setOverlay(o);
        return o;
    }

    /** One rectangle ROI per face, named face-1, face-2, ... (for the ROI Manager). */
    public static List<Roi> rois(List<Face> faces) {
        List<Roi> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) out.add(box(faces.get(i), PREFIX + (i + 1)));
        return out;
    }

    private static Roi box(Face f, String name) {
        Roi r = new Roi(f.x1(), f.y1(), f.width(), f.height());
        r.setName(name);
        r.setStrokeColor(BOX);
        return r;
    }
}
