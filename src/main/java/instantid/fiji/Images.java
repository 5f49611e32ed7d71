package instantid.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;

import instantid.pipeline.Image;
import instantid.pipeline.Result;

import java.util.List;

/**
 * Generated pictures as ImageJ images: one RGB image, or an RGB stack when several, each slice
 * labelled {@code seed=...}; the Info property holds every setting plus the macro line that
 * reproduces the picture (ImageJ's Image > Show Info shows it, and TIFF keeps it).
 */
public final class Images {

    /** The property holding the pipeline's settings JSON (also inside Info). */
    public static final String SETTINGS_PROPERTY = "InstantID.settings";

    private Images() {
    }

    static ColorProcessor colorProcessor(int w, int h, byte[] rgb) {
        int[] px = new int[w * h];
        for (int i = 0, j = 0; i < px.length; i++, j += 3) {
            px[i] = 0xff000000 | (rgb[j] & 0xff) << 16 | (rgb[j + 1] & 0xff) << 8 | (rgb[j + 2] & 0xff);
        }
        return new ColorProcessor(w, h, px);
    }

    /** The output image of a run (not shown). */
    public static ImagePlus toImagePlus(String title, Result result, String macroLine) {
        List<Image> images = result.images();
        if (images.isEmpty()) throw new IllegalStateException("the pipeline returned no image");
        Image first = images.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int i = 0; i < images.size(); i++) {
            Image im = images.get(i);
            stack.addSlice(label(result, i), colorProcessor(im.width(), im.height(), im.rgb()));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setProperty("Info", info(result, macroLine));
        imp.setProp(SETTINGS_PROPERTY, images.size() == 1 ? result.settingsJson(0) : result.settingsJson());
        return imp;
    }

    /** A slice label: {@code seed=7 score=0.731} (or {@code score=none (no face in the output)}). */
    static String label(Result result, int i) {
        String s = "seed=" + result.images().get(i).seed();
        return result.scored() ? s + " score=" + result.scores(i).text() : s;
    }

    static String info(Result result, String macroLine) {
        StringBuilder sb = new StringBuilder();
        sb.append("InstantID settings:\n").append(result.settingsJson()).append('\n');
        sb.append("Seeds:");
        for (Image im : result.images()) sb.append(' ').append(im.seed());
        if (result.scored()) {
            sb.append("\nIdentity scores (ArcFace cosine, source vs. generated face):");
            for (int i = 0; i < result.images().size(); i++) {
                sb.append("\n  seed ").append(result.images().get(i).seed()).append(": ").append(result.scores(i).text());
            }
        }
        sb.append("\nMacro (reproduces this image):\n").append(macroLine).append('\n');
        return sb.toString();
    }
}
