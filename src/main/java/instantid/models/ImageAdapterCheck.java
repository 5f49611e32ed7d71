package instantid.models;

import instantid.io.TensorSource;
import instantid.io.TensorSources;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@link FileCheck} for IP-Adapter SDXL files and their CLIP image encoder folders. */
final class ImageAdapterCheck {

    private ImageAdapterCheck() {
    }

    static FileCheck.Result adapter(Role role, Path p) {
        if (Files.isDirectory(p)) return bad(role, p, "is a folder: give the IP-Adapter file itself (.safetensors or .bin)");
        boolean plus;
        try (TensorSource s = TensorSources.open(p)) {
            boolean proj = s.names().stream().anyMatch(k -> k.startsWith("image_proj."));
            boolean ip = s.names().stream().anyMatch(k -> k.startsWith("ip_adapter."));
            if (!proj || !ip) return bad(role, p, "not an IP-Adapter (no image_proj.* and ip_adapter.* tensors)");
            plus = s.names().contains("image_proj.latents");
        }
        if (role == Role.STYLE_ADAPTER && plus) {
            return bad(role, p, "an IP-Adapter Plus (Resampler): styles use the plain ip-adapter_sdxl (content subtraction needs it);"
                    + " give it as the reference adapter");
        }
        if (role == Role.REFERENCE_ADAPTER && !plus) {
            return bad(role, p, "a plain IP-Adapter: reference objects use IP-Adapter Plus (ip-adapter-plus_sdxl_vit-h)");
        }
        return new FileCheck.Result(role, p, true, plus ? "IP-Adapter Plus (Resampler)" : "IP-Adapter (ImageProjModel)");
    }

    static FileCheck.Result encoder(Role role, Path p) {
        if (!Files.isDirectory(p)) return bad(role, p, "give the image_encoder folder (config.json + model.safetensors)");
        if (!Files.isRegularFile(p.resolve("config.json"))) return bad(role, p, "has no config.json: not a transformers image encoder folder");
        try {
            String c = Files.readString(p.resolve("config.json"));
            if (!c.contains("hidden_size") || !c.contains("patch_size")) return bad(role, p, "config.json is not a CLIP vision config");
        } catch (java.io.IOException e) {
            return bad(role, p, "config.json cannot be read: " + e.getMessage());
        }
        if (!Files.isRegularFile(p.resolve("model.safetensors")) && !Files.isRegularFile(p.resolve("pytorch_model.bin"))) {
            return bad(role, p, "has no model.safetensors");
        }
        return new FileCheck.Result(role, p, true, "CLIP image encoder folder");
    }

    private static FileCheck.Result bad(Role role, Path p, String why) {
        return new FileCheck.Result(role, p, false, p + ": " + why);
    }
}
