package instantid.pipeline;

import instantid.face.RgbImage;
import instantid.image.ClipImageProcessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes {@link ImagePrompt}s from images for the front ends: the image encoder's
 * {@code CLIPImageProcessor} (its {@code preprocessor_config.json} when the folder has one, else
 * the CLIP defaults every IP-Adapter encoder uses: 224, bicubic, center crop, OpenAI mean/std).
 */
public final class ImagePrompts {

    /** InstantStyle's defaults: scale 1 in the style block, content scale 0.5 when a content prompt is given. */
    public static final double STYLE_SCALE = 1.0;
    public static final double CONTENT_SCALE = 0.5;
    /** IP-Adapter Plus for an object: 0.6 leaves the prompt room to place it in a new scene. */
    public static final double REFERENCE_SCALE = 0.6;

    private ImagePrompts() {
    }

    /** A style reference (plain IP-Adapter SDXL + ViT-bigG, InstantStyle's blocks and content subtraction). */
    public static ImagePrompt style(RgbImage image, ImageAdapterFiles files, double scale, String blocks,
                                    String contentPrompt, double contentScale, String source) {
        return new ImagePrompt(ImagePrompt.STYLE, files.adapter(), files.encoder(), pixels(image, files.encoder()),
                size(files.encoder())[0], size(files.encoder())[1], scale, blocks, contentPrompt, contentScale, source);
    }

    /** A reference object (IP-Adapter Plus + ViT-H, every block). */
    public static ImagePrompt reference(RgbImage image, ImageAdapterFiles files, double scale, String source) {
        return new ImagePrompt(ImagePrompt.REFERENCE, files.adapter(), files.encoder(), pixels(image, files.encoder()),
                size(files.encoder())[0], size(files.encoder())[1], scale, "all", null, 0, source);
    }

    /** The encoder's preprocessing of {@code image}: 3 x crop height x crop width, CHW. */
    public static float[] pixels(RgbImage image, Path encoder) {
        return processor(encoder).preprocess(image);
    }

    /** {crop height, crop width} of the encoder's preprocessing. */
    static int[] size(Path encoder) {
        ClipImageProcessor p = processor(encoder);
        return new int[] {p.cropHeight(), p.cropWidth()};
    }

    static ClipImageProcessor processor(Path encoder) {
        Path cfg = encoder == null ? null : encoder.resolve("preprocessor_config.json");
        if (cfg == null || !Files.isRegularFile(cfg)) {
            ClipImageProcessor d = ClipImageProcessor.defaults();
            int s = encoderImageSize(encoder);
            if (s <= 0 || s == d.cropHeight()) return d;
            // an encoder of another size without a preprocessor config: the same steps at its size
            return new ClipImageProcessor(s, s, s, d.resample(), d.rescaleFactor(), d.mean(), d.std(), d.doCenterCrop());
        }
        try {
            return ClipImageProcessor.read(cfg);
        } catch (IOException e) {
            throw new UncheckedIOException(cfg + ": " + e.getMessage(), e);
        }
    }

    private static int encoderImageSize(Path encoder) {
        Path c = encoder == null ? null : encoder.resolve("config.json");
        if (c == null || !Files.isRegularFile(c)) return -1;
        return instantid.nn.ClipVisionConfig.fromJson(SdxlModels.json(c)).imageSize();
    }
}
