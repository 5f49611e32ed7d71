package instantid.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the models are. {@code base} is a diffusers SDXL folder (unet/, vae/, text_encoder, text_encoder_2,
 * tokenizer, tokenizer_2, scheduler); {@code checkpoint}, when set, is a single-file SDXL checkpoint used
 * instead of the folder's unet/vae/text encoders (the tokenizers and scheduler config still come
 * from {@code base} when it has them). {@code controlNet} is InstantID's {@code ControlNetModel/}
 * folder, {@code adapter} its {@code ip-adapter.bin}, {@code faceModels} the folder with the
 * detector and recogniser ONNX files.
 */
public record ModelPaths(Path base, Path checkpoint, Path controlNet, Path adapter, Path faceModels) {

    /**
     * The InstantID files for a base folder: {@code ControlNetModel/} and {@code ip-adapter.bin}
     * inside it (the layout of an InstantID download merged into the SDXL folder), else in the
     * sibling {@code InstantID/} folder (the model manager's layout: {@code <models>/<sdxl>/} beside
     * {@code <models>/InstantID/}).
     */
    public static ModelPaths inFolder(Path base, Path checkpoint, Path faceModels) {
        if (base == null) return new ModelPaths(null, checkpoint, null, null, faceModels);
        Path cn = base.resolve("ControlNetModel");
        Path ad = base.resolve("ip-adapter.bin");
        Path sibling = base.toAbsolutePath().normalize().resolveSibling("InstantID");
        if (!Files.isDirectory(cn) && Files.isDirectory(sibling.resolve("ControlNetModel"))) cn = sibling.resolve("ControlNetModel");
        if (!Files.isRegularFile(ad) && Files.isRegularFile(sibling.resolve("ip-adapter.bin"))) ad = sibling.resolve("ip-adapter.bin");
        return new ModelPaths(base, checkpoint, cn, ad, faceModels);
    }

    /** A message listing what is missing for InstantID, or null when everything is there. */
    public String missingForInstantId() {
        StringBuilder sb = new StringBuilder();
        if (checkpoint == null && (base == null || !Files.isDirectory(base.resolve("unet")))) {
            sb.append("\n  SDXL base model: a diffusers folder with unet/ (or --checkpoint FILE) — got ").append(base);
        }
        if (checkpoint != null && !Files.isRegularFile(checkpoint)) {
            sb.append("\n  checkpoint file ").append(checkpoint).append(" does not exist");
        }
        if (controlNet == null || !Files.isRegularFile(controlNet.resolve("config.json"))) {
            sb.append("\n  IdentityNet: ControlNetModel/ folder with config.json — got ").append(controlNet);
        }
        if (adapter == null || !Files.isRegularFile(adapter)) {
            sb.append("\n  image adapter: ip-adapter.bin — got ").append(adapter);
        }
        return sb.length() == 0 ? null : "missing models:" + sb;
    }
}
