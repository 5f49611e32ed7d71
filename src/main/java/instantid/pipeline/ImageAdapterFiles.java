package instantid.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An IP-Adapter file and the image encoder folder it was trained with, and where they are found
 * when the user names neither: h94/IP-Adapter's layout ({@code sdxl_models/ip-adapter_sdxl.safetensors}
 * with {@code sdxl_models/image_encoder/} for styles, {@code sdxl_models/ip-adapter-plus_sdxl_vit-h.safetensors}
 * with {@code models/image_encoder/} for references) inside an {@code IP-Adapter/} folder in or beside
 * the SDXL folder (the model manager's layout), or directly in it.
 */
public record ImageAdapterFiles(Path adapter, Path encoder) {

    public static final String STYLE_ADAPTER = "sdxl_models/ip-adapter_sdxl.safetensors";
    public static final String STYLE_ENCODER = "sdxl_models/image_encoder";
    public static final String REFERENCE_ADAPTER = "sdxl_models/ip-adapter-plus_sdxl_vit-h.safetensors";
    public static final String REFERENCE_ENCODER = "models/image_encoder";

    /**
     * The files for {@code use} ("style" or "reference"): each given path wins; a missing one is
     * looked up from {@code base} (the SDXL folder, may be null); what is still missing is an error
     * that says which option gives it and how to download it.
     */
    public static ImageAdapterFiles find(String use, Path adapter, Path encoder, Path base) {
        boolean style = !ImagePrompt.REFERENCE.equals(use);
        if (adapter == null) adapter = lookup(base, style ? STYLE_ADAPTER : REFERENCE_ADAPTER, true);
        if (encoder == null) encoder = lookup(base, style ? STYLE_ENCODER : REFERENCE_ENCODER, false);
        if (encoder == null && adapter != null) {
            // a folder laid out as sdxl_models/ beside models/ (h94/IP-Adapter), or an image_encoder/ beside the file
            Path dir = adapter.toAbsolutePath().getParent();
            for (Path c : List.of(dir.resolve(style ? "image_encoder" : "../models/image_encoder"), dir.resolve("image_encoder"))) {
                if (Files.isRegularFile(c.resolve("config.json"))) {
                    encoder = c.normalize();
                    break;
                }
            }
        }
        String opt = style ? "--style-adapter" : "--reference-adapter";
        String eopt = style ? "--image-encoder" : "--reference-encoder";
        if (adapter == null || encoder == null) {
            throw new IllegalArgumentException("no " + (style ? "style" : "reference") + " adapter"
                    + (adapter == null ? "" : " image encoder") + " found: give " + (adapter == null ? opt + " FILE (h94/IP-Adapter "
                    + (style ? STYLE_ADAPTER : REFERENCE_ADAPTER) + ")" : "") + (adapter == null && encoder == null ? " and " : "")
                    + (encoder == null ? eopt + " DIR (h94/IP-Adapter " + (style ? STYLE_ENCODER : REFERENCE_ENCODER) + ")" : "")
                    + ", or download them: models --download --with " + (style ? "style" : "reference"));
        }
        return new ImageAdapterFiles(adapter, encoder);
    }

    private static Path lookup(Path base, String rel, boolean file) {
        if (base == null) return null;
        Path b = base.toAbsolutePath().normalize();
        List<Path> roots = new ArrayList<>(List.of(b.resolve("IP-Adapter"), b.resolveSibling("IP-Adapter"), b));
        for (Path r : roots) {
            Path p = r.resolve(rel);
            if (file ? Files.isRegularFile(p) : Files.isRegularFile(p.resolve("config.json"))) return p;
            Path flat = r.resolve(Path.of(rel).getFileName());
            if (file ? Files.isRegularFile(flat) : false) return flat;
        }
        return null;
    }
}
