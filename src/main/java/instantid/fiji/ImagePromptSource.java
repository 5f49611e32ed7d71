package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.process.ImageProcessor;
import instantid.face.RgbImage;
import instantid.pipeline.ImageAdapterFiles;
import instantid.pipeline.ImagePrompt;
import instantid.pipeline.ImagePrompts;

import java.awt.Rectangle;
import java.io.File;
import java.nio.file.Path;

/**
 * The image of a style or reference prompt in Fiji: an open image, cropped to its selection when
 * it has one (the object: a pet, a chair), never modified; and the adapter files, from the dialog
 * or found beside the SDXL model in the settings.
 */
final class ImagePromptSource {

    static final String NONE = "none";
    static final String[] BLOCKS = {"style", "style+layout", "all"};

    private ImagePromptSource() {
    }

    /** The open image titled {@code title} (error naming it when it is not open). */
    static ImagePlus open(String title, String what) {
        ImagePlus imp = title == null || title.equals(NONE) ? null : WindowManager.getImage(title);
        if (imp == null) throw new IllegalArgumentException(what + " image '" + title + "' is not open: open it first");
        return imp;
    }

    /** The image's pixels inside its selection's bounds (the whole image without one), as RGB. */
    static RgbImage pixels(ImagePlus imp) {
        ImageProcessor ip = imp.getProcessor().duplicate();
        if (imp.getRoi() != null && imp.getRoi().isArea()) {
            Rectangle r = imp.getRoi().getBounds().intersection(new Rectangle(0, 0, imp.getWidth(), imp.getHeight()));
            if (r.width < 1 || r.height < 1) throw new IllegalArgumentException("the selection on '" + imp.getTitle() + "' lies outside the image");
            ip.setRoi(r);
            ip = ip.crop();
        }
        return ImageConversion.toRgb(ip, imp.getTitle());
    }

    static ImageAdapterFiles files(String use, File adapter, File encoder, FijiSettings settings) {
        return ImageAdapterFiles.find(use, path(adapter), path(encoder), settings.modelPaths().base());
    }

    static ImagePrompt style(ImagePlus imp, File adapter, File encoder, FijiSettings settings, double scale, String blocks,
                             String content, double contentScale) {
        return ImagePrompts.style(pixels(imp), files(ImagePrompt.STYLE, adapter, encoder, settings), scale, blocks,
                content, contentScale, imp.getTitle());
    }

    static ImagePrompt reference(ImagePlus imp, File adapter, File encoder, FijiSettings settings, double scale) {
        return ImagePrompts.reference(pixels(imp), files(ImagePrompt.REFERENCE, adapter, encoder, settings), scale, imp.getTitle());
    }

    private static Path path(File f) {
        return f == null || f.getPath().isBlank() ? null : f.toPath();
    }
}
