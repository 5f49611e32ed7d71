package instantid.fiji;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import instantid.pipeline.Preview;

/**
 * The one preview window of a run: the pipeline's cheap latent→RGB picture (8x smaller than the
 * output) scaled up to the output size and updated in place; closed when the run ends. Only in a
 * GUI (in headless or batch mode there is nothing to look at).
 */
final class PreviewWindow {

    private final int width, height;
    private ImagePlus imp;

    PreviewWindow(int width, int height) {
        this.width = width;
        this.height = height;
    }

    static boolean possible() {
        return !java.awt.GraphicsEnvironment.isHeadless() && ij.IJ.getInstance() != null
                && !ij.macro.Interpreter.isBatchMode();
    }

    synchronized void show(Preview p, String label) {
        ImageProcessor ip = Images.colorProcessor(p.width(), p.height(), p.rgb());
        ip.setInterpolationMethod(ImageProcessor.BILINEAR);
        ColorProcessor big = (ColorProcessor) ip.resize(width, height);
        if (imp == null) {
            imp = new ImagePlus("InstantID preview", big);
            imp.show();
        } else {
            imp.setProcessor(big);
        }
        imp.setTitle("InstantID preview (" + label + ")");
        imp.updateAndDraw();
    }

    synchronized void close() {
        if (imp != null) {
            imp.changes = false;
            imp.close();
            imp = null;
        }
    }
}
