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
import java.util.Set;

/**
 * The image-prompt options txt2img and generate share: {@code --style IMG} (InstantStyle: IP-Adapter
 * SDXL in the style blocks, {@code --style-scale}, {@code --style-blocks}, {@code --content-prompt},
 * {@code --content-scale}) and {@code --reference IMG} (IP-Adapter Plus, {@code --reference-scale});
 * the adapter files from {@code --style-adapter}/{@code --image-encoder} and
 * {@code --reference-adapter}/{@code --reference-encoder}, else from the models folder.
 */
final class ImagePromptOptions {

    static final Set<String> OPTIONS = Set.of("style", "style-scale", "style-blocks", "content-prompt", "content-scale",
            "style-adapter", "image-encoder", "reference", "reference-scale", "reference-adapter", "reference-encoder");

    private ImagePromptOptions() {
    }

    /** The image prompts the options ask for (none without --style / --reference); images read and preprocessed. */
    static List<ImagePrompt> read(Args a, ModelPaths paths) throws Exception {
        for (String k : List.of("style-scale", "style-blocks", "content-prompt", "content-scale", "style-adapter", "image-encoder")) {
            if (a.has(k) && !a.has("style")) throw new IllegalArgumentException("--" + k + " needs --style IMAGE");
        }
        for (String k : List.of("reference-scale", "reference-adapter", "reference-encoder")) {
            if (a.has(k) && !a.has("reference")) throw new IllegalArgumentException("--" + k + " needs --reference IMAGE");
        }
        List<ImagePrompt> out = new ArrayList<>();
        Path base = paths == null ? null : paths.base();
        if (a.has("style")) {
            ImageAdapterFiles f = ImageAdapterFiles.find(ImagePrompt.STYLE, or(path(a, "style-adapter"), a, Role.STYLE_ADAPTER),
                    or(path(a, "image-encoder"), a, Role.STYLE_ENCODER), base);
            String img = a.get("style", null);
            String content = a.get("content-prompt", null);
            ImagePrompt p = ImagePrompts.style(ImageFiles.read(Path.of(img)), f, a.getDouble("style-scale", ImagePrompts.STYLE_SCALE),
                    a.get("style-blocks", "style"), content, a.getDouble("content-scale", ImagePrompts.CONTENT_SCALE),
                    Path.of(img).getFileName().toString());
            p.validate();
            out.add(p);
        }
        if (a.has("reference")) {
            ImageAdapterFiles f = ImageAdapterFiles.find(ImagePrompt.REFERENCE, or(path(a, "reference-adapter"), a, Role.REFERENCE_ADAPTER),
                    or(path(a, "reference-encoder"), a, Role.REFERENCE_ENCODER), base);
            String img = a.get("reference", null);
            ImagePrompt p = ImagePrompts.reference(ImageFiles.read(Path.of(img)), f,
                    a.getDouble("reference-scale", ImagePrompts.REFERENCE_SCALE), Path.of(img).getFileName().toString());
            p.validate();
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
            double scale = a.getDouble(style ? "style-scale" : "reference-scale", p.scale());
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
        return a.has(k) ? Path.of(a.get(k, null)) : null;
    }
}
