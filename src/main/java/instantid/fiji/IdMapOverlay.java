package instantid.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;

import instantid.pipeline.IdMap;
import instantid.pipeline.Result;

import java.util.Locale;

/**
 * The ID-attention maps of a result in ImageJ: a semi-transparent overlay (ImageJ's Fire colours,
 * one per slice, named {@code ID-attention}) on the output, and the numbers as a 32-bit image of
 * the output's size (the share of the cross-attention output that comes from the identity, 0..1)
 * for measuring.
 */
final class IdMapOverlay {

    private IdMapOverlay() {
    }

    /** Adds the overlay to {@code out} and returns the 32-bit map image (not shown); null when the result has no maps. */
    static ImagePlus add(ImagePlus out, Result r) {
        if (r.idMap(0) == null) return null;
        Overlay o = out.getOverlay() == null ? new Overlay() : out.getOverlay();
        ImageStack values = new ImageStack(out.getWidth(), out.getHeight());
        StringBuilder info = new StringBuilder("ID-attention map: share |ip|/(|text|+|ip|) of the cross-attention output,"
                + " mean over steps and IP layers (docs/identity-score.md)\n");
        for (int i = 0; i < r.images().size(); i++) {
            IdMap m = r.idMap(i);
            ByteProcessor bp = new ByteProcessor(m.width(), m.height(), m.grey8());
            ImageRoi roi = new ImageRoi(0, 0, fire(bp));
            roi.setOpacity(0.5);
            roi.setName("ID-attention");
            if (r.images().size() > 1) roi.setPosition(i + 1);
            o.add(roi);
            values.addSlice("seed=" + r.images().get(i).seed(), new FloatProcessor(m.width(), m.height(), m.values()));
            info.append(String.format(Locale.ROOT, "  seed %d: mean %.4f, max %.4f (%d steps, %d layers)%n",
                    r.images().get(i).seed(), m.mean(), m.max(), m.steps(), m.layers()));
        }
        out.setOverlay(o);
        out.setProperty("Info", out.getProperty("Info") + info.toString());
        ImagePlus map = new ImagePlus(out.getTitle() + "-ID-map", values);
        map.setDisplayRange(0, 1);
        return map;
    }

    /** The grey map in ImageJ's "Fire" look-up table, as RGB. */
    private static ij.process.ImageProcessor fire(ByteProcessor grey) {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        int[] rr = {0, 0, 1, 25, 49, 73, 98, 122, 146, 162, 173, 184, 195, 207, 217, 229, 240, 252, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};
        int[] gg = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 35, 57, 79, 101, 117, 133, 147, 161, 175, 190, 205, 219, 234, 248, 255, 255, 255, 255};
        int[] bb = {0, 61, 96, 130, 165, 192, 220, 227, 210, 181, 151, 122, 93, 64, 35, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 35, 98, 160, 223, 255};
        for (int i = 0; i < 256; i++) {
            int k = i * 31 / 255;
            r[i] = (byte) rr[k];
            g[i] = (byte) gg[k];
            b[i] = (byte) bb[k];
        }
        ByteProcessor c = (ByteProcessor) grey.duplicate();
        c.setLut(new LUT(r, g, b));
        return c.convertToRGB();
    }
}
