package instantid.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.face.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ImagePlus → RgbImage by the documented rule, and the face overlay, headless. */
class ImageConversionTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void rgbKeepsValues() {
        ColorProcessor cp = new ColorProcessor(3, 2);
        cp.set(2, 1, (10 << 16) | (200 << 8) | 30);
        RgbImage r = ImageConversion.toRgb(new ImagePlus("rgb", cp));
        assertEquals(3, r.width());
        assertArrayEquals(new int[] {10, 200, 30}, new int[] {r.get(2, 1, 0), r.get(2, 1, 1), r.get(2, 1, 2)});
        assertEquals(0, r.get(0, 0, 1));
    }

    @Test
    void eightBitIsReplicatedIgnoringLutAndDisplayRange() {
        ByteProcessor bp = new ByteProcessor(2, 2);
        bp.set(1, 0, 77);
        bp.invertLut();
        bp.setMinAndMax(50, 100);
        RgbImage r = ImageConversion.toRgb(new ImagePlus("grey8", bp));
        assertEquals(77, r.get(1, 0, 0));
        assertEquals(77, r.get(1, 0, 2));
    }

    @Test
    void sixteenAndThirtyTwoBitUseTheDisplayRange() {
        ShortProcessor sp = new ShortProcessor(4, 1);
        sp.set(0, 0, 50);
        sp.set(1, 0, 100);
        sp.set(2, 0, 600);
        sp.set(3, 0, 5000);
        sp.setMinAndMax(100, 1100);
        RgbImage r = ImageConversion.toRgb(new ImagePlus("grey16", sp));
        assertArrayEquals(new int[] {0, 0, 128, 255}, new int[] {r.get(0, 0, 1), r.get(1, 0, 1), r.get(2, 0, 1), r.get(3, 0, 1)});
        FloatProcessor fp = new FloatProcessor(3, 1, new float[] {-1f, 0.25f, Float.NaN});
        fp.setMinAndMax(-1, 1);
        RgbImage f = ImageConversion.toRgb(new ImagePlus("grey32", fp));
        assertArrayEquals(new int[] {0, 159, 0}, new int[] {f.get(0, 0, 0), f.get(1, 0, 0), f.get(2, 0, 0)});
    }

    @Test
    void currentSliceAndFrameOfAHyperstackCalibrationIgnored() {
        ImageStack st = new ImageStack(5, 4);
        for (int i = 1; i <= 6; i++) {
            ByteProcessor bp = new ByteProcessor(5, 4);
            bp.setValue(i * 10);
            bp.fill();
            st.addSlice("s" + i, bp);
        }
        ImagePlus imp = new ImagePlus("hyper", st);
        imp.setDimensions(1, 3, 2); // c=1, z=3, t=2
        imp.setOpenAsHyperStack(true);
        Calibration cal = new Calibration();
        cal.pixelWidth = 0.25;
        cal.setUnit("micron");
        imp.setCalibration(cal);
        imp.setPosition(1, 2, 2); // stack index (t-1)*3 + z = 5
        RgbImage r = ImageConversion.toRgb(imp);
        assertEquals(50, r.get(0, 0, 0));
        assertEquals(5, r.width(), "pixels, not microns");
        imp.setPosition(1, 1, 1);
        assertEquals(10, ImageConversion.toRgb(imp).get(4, 3, 2));
    }

    @Test
    void roiBoundsAreTheSearchRectangle() {
        ImagePlus imp = new ImagePlus("roi", new ByteProcessor(100, 80));
        assertNull(ImageConversion.roiRect(imp));
        imp.setRoi(new OvalRoi(90, 10, 30, 20)); // reaches past the right border
        DetectOptions.Rect r = ImageConversion.roiRect(imp);
        assertEquals(new DetectOptions.Rect(90, 10, 10, 20), r);
        imp.setRoi(new Line(0, 0, 50, 50));
        assertNull(ImageConversion.roiRect(imp), "a line has no area");
    }

    static Roi named(Overlay o, String name) {
        for (int i = 0; i < o.size(); i++) if (name.equals(o.get(i).getName())) return o.get(i);
        return null;
    }

    @Test
    void overlayDrawsFacesWithoutTouchingPixels() {
        ColorProcessor cp = new ColorProcessor(64, 48);
        cp.setColor(new java.awt.Color(20, 40, 60));
        cp.fill();
        ImagePlus imp = new ImagePlus("faces", cp);
        int[] before = ((int[]) cp.getPixels()).clone();
        Roi mine = new Roi(1, 1, 2, 2);
        mine.setName("user-annotation");
        Overlay existing = new Overlay(mine);
        imp.setOverlay(existing);
        float[] kps = {10, 10, 20, 10, 15, 15, 11, 20, 19, 20};
        List<Face> faces = List.of(new Face(5, 5, 25, 25, 0.9f, kps, null), new Face(30, 5, 50, 30, 0.7f, null, null));
        Overlay o = FaceOverlay.draw(imp, faces);
        assertArrayEquals(before, (int[]) imp.getProcessor().getPixels(), "pixels unchanged");
        // user item + face 1 (box, score, 5 dots, 5 numbers) + face 2 (box, score)
        assertEquals(1 + 12 + 2, o.size());
        assertTrue(named(o, "user-annotation") != null);
        assertEquals(new java.awt.Rectangle(30, 5, 20, 25), named(o, "face-2").getBounds());
        // a redraw replaces the faces, it does not pile them up
        assertEquals(1 + 2, FaceOverlay.draw(imp, faces.subList(1, 2)).size());
        List<Roi> rois = FaceOverlay.rois(faces);
        assertEquals("face-1", rois.get(0).getName());
        assertEquals("face-2", rois.get(1).getName());
        assertEquals(new java.awt.Rectangle(5, 5, 20, 20), rois.get(0).getBounds());
    }
}
