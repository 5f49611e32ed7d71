package instantid.cli;

import instantid.models.ModelManager;
import instantid.models.Role;
import instantid.pipeline.ImageAdapterFiles;
import instantid.pipeline.ImagePrompt;
import instantid.pipeline.ImagePrompts;
import instantid.pipeline.ModelPaths;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The image-prompt options txt2img and generate share: {@code --style IMG} (InstantStyle: IP-Adapter
 * SDXL in the style blocks, {@code --style-scale}, {@code --style-blocks}, {@code --content-prompt},
 * {@code --content-scale}) and {@code --reference IMG} (IP-Adapter Plus, {@code --reference-scale});
 * the adapter files from {@code --style-adapter}/{@code --image-encoder} and
 * {@code --reference-adapter}/{@code --reference-encoder}, else from the models folder.
 */
final class ImagePromptOptions {

    static final List<OptionSpec> SPECS = List.of(
            OptionSpec.path("style", "IMG", null, "take this image's style (InstantStyle: IP-Adapter SDXL + ViT-bigG)"),
            OptionSpec.number("style-scale", ImagePrompts.STYLE_SCALE, 0, 10, "the style adapter's scale (0 = off)"),
            OptionSpec.text("style-blocks", "style|style+layout|all|JSON", "style", "where the style acts: style = "
                    + "up_blocks.0.attentions.1, style+layout adds down_blocks.2.attentions.1, all, or a diffusers scale dict"),
            OptionSpec.text("content-prompt", "TEXT", null, "what the style image shows, subtracted from its embedding"),
            OptionSpec.number("content-scale", ImagePrompts.CONTENT_SCALE, 0, 10, "how much of the content prompt is subtracted"),
            OptionSpec.path("style-adapter", "FILE", null, "IP-Adapter SDXL file (default: IP-Adapter/ in or beside the models folder)"),
            OptionSpec.path("image-encoder", "DIR", null, "its image encoder folder (sdxl_models/image_encoder)"),
            OptionSpec.path("reference", "IMG", null, "put this object in the picture (IP-Adapter Plus + ViT-H)"),
            OptionSpec.number("reference-scale", ImagePrompts.REFERENCE_SCALE, 0, 10, "the reference adapter's scale (0 = off)"),
            OptionSpec.path("reference-adapter", "FILE", null, "IP-Adapter Plus SDXL file (ip-adapter-plus_sdxl_vit-h)"),
            OptionSpec.path("reference-encoder", "DIR", null, "its image encoder folder (models/image_encoder)"));

    private ImagePromptOptions() {
    }

    /**
     * The image prompts of a run: those the options ask for when --style / --reference is given,
     * else those of the settings file ({@code fromSettings}) with typed paths and scales in place.
     */
    static List<ImagePrompt> prompts(Args a, ModelPaths paths, List<ImagePrompt> fromSettings) throws Exception {
        return a.has("style") || a.has("reference") ? read(a, paths) : override(a, fromSettings);
    }

    /** The image prompts the options ask for (none without --style / --reference); images read and preprocessed. */
    static List<ImagePrompt> read(Args a, ModelPaths paths) throws Exception {
        for (String k : List.of("style-scale", "style-blocks", "content-prompt", "content-scale", "style-adapter", "image-encoder")) {
            if (a.has(k) && !a.has("style") && !k.endsWith("scale")) throw new UsageException("--" + k + " needs --style IMAGE");
        }
        for (String k : List.of("reference-scale", "reference-adapter", "reference-encoder")) {
            if (a.has(k) && !a.has("reference") && !k.endsWith("scale")) throw new UsageException("--" + k + " needs --reference IMAGE");
        }
        List<ImagePrompt> out = new ArrayList<>();
        Path base = paths == null ? null : paths.base();
        if (a.has("style")) {
            ImageAdapterFiles f = ImageAdapterFiles.find(ImagePrompt.STYLE, or(path(a, "style-adapter"), a, Role.STYLE_ADAPTER),
                    or(path(a, "image-encoder"), a, Role.STYLE_ENCODER), base);
            String img = a.get("style");
            String content = a.get("content-prompt");
            ImagePrompt p = ImagePrompts.style(image(img, "--style"), f, a.number("style-scale"),
                    a.get("style-blocks"), content, a.number("content-scale"),
                    Path.of(img).getFileName().toString());
            out.add(p);
        }
        if (a.has("reference")) {
            ImageAdapterFiles f = ImageAdapterFiles.find(ImagePrompt.REFERENCE, or(path(a, "reference-adapter"), a, Role.REFERENCE_ADAPTER),
                    or(path(a, "reference-encoder"), a, Role.REFERENCE_ENCODER), base);
            String img = a.get("reference");
            ImagePrompt p = ImagePrompts.reference(image(img, "--reference"), f,
                    a.number("reference-scale"), Path.of(img).getFileName().toString());
            out.add(p);
        }
        return out;
    }

    /**
     * The image prompts of a settings file, with adapter / encoder paths replaced by the options
     * that are given (the files moved) and scales overridden by --style-scale / --reference-scale.
     */
    static List<ImagePrompt> override(Args a, List<ImagePrompt> fromSettings) {
        List<ImagePrompt> out = new ArrayList<>();
        for (ImagePrompt p : fromSettings) {
            boolean style = !p.use().equals(ImagePrompt.REFERENCE);
            Path ad = path(a, style ? "style-adapter" : "reference-adapter");
            Path en = path(a, style ? "image-encoder" : "reference-encoder");
            String so = style ? "style-scale" : "reference-scale";
            double scale = a.has(so) ? a.number(so) : p.scale();
            out.add(new ImagePrompt(p.use(), ad != null ? ad : p.adapter(), en != null ? en : p.imageEncoder(), p.pixels(),
                    p.height(), p.width(), scale, p.blocks(), p.contentPrompt(), p.contentScale(), p.source()));
        }
        return out;
    }

    /** The given path, else (without --models) the model manager's location for the role when it is there. */
    private static Path or(Path given, Args a, Role role) {
        if (given != null || a.has("models")) return given;
        try {
            Path p = ModelManager.open().location(role);
            return java.nio.file.Files.exists(p) ? p : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path path(Args a, String k) {
        return a.has(k) ? a.path(k) : null;
    }

    /** A style / reference photo read as diffusers' load_image does (EXIF orientation applied, RGB). */
    private static instantid.face.RgbImage image(String file, String option) {
        Photos.requireFile(Path.of(file), option);
        instantid.image.LoadedImage l = instantid.photo.PhotoReader.read(Path.of(file));
        if (l.conversion() != null) System.err.println("image " + file + ": " + l.conversion());
        return l.image();
    }
}
