package instantid.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import instantid.io.Safetensors;
import instantid.io.WeightFileException;
import instantid.load.ComponentFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks that a file or folder is the right kind for a role, cheaply (headers, key names, ONNX
 * input/output signatures; no weights are loaded), and says what is wrong otherwise — "this is
 * an SD 1.5 checkpoint", "this ONNX model has 1 output: it is a recogniser, not a detector".
 */
public final class FileCheck {

    /** The verdict: {@code ok}, the path as given, and a sentence (what it is, or what is wrong and what to give instead). */
    public record Result(Role role, Path path, boolean ok, String message) {
    }

    private FileCheck() {
    }

    public static Result check(Role role, Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.exists(p)) return bad(role, p, "does not exist");
        try {
            return switch (role) {
                case BASE -> base(p);
                case IDENTITYNET -> identityNet(p);
                case ADAPTER -> adapter(p);
                case FACE_DETECTOR, FACE_RECOGNISER -> onnx(role, p);
                case STYLE_ADAPTER, REFERENCE_ADAPTER -> ImageAdapterCheck.adapter(role, p);
                case STYLE_ENCODER, REFERENCE_ENCODER -> ImageAdapterCheck.encoder(role, p);
            };
        } catch (WeightFileException e) {
            return bad(role, p, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return bad(role, p, "cannot be read: " + e.getMessage());
        }
    }

    private static Result ok(Role role, Path p, String what) {
        return new Result(role, p, true, what);
    }

    private static Result bad(Role role, Path p, String why) {
        return new Result(role, p, false, p + ": " + why);
    }

    // --- SDXL base: a diffusers folder or a single-file checkpoint ---------------------------

    private static Result base(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            List<String> missing = new ArrayList<>();
            for (String f : List.of("unet/config.json", "vae/config.json", "text_encoder/config.json",
                    "text_encoder_2/config.json", "tokenizer/vocab.json", "tokenizer/merges.txt",
                    "tokenizer_2/vocab.json", "tokenizer_2/merges.txt")) {
                if (!Files.isRegularFile(p.resolve(f))) missing.add(f);
            }
            for (String[] w : new String[][]{{"unet", "diffusion_pytorch_model"}, {"vae", "diffusion_pytorch_model"},
                    {"text_encoder", "model"}, {"text_encoder_2", "model"}}) {
                if (ComponentFiles.find(p.resolve(w[0]), false) == null) missing.add(w[0] + "/" + w[1] + "[.fp16].safetensors");
            }
            if (!missing.isEmpty()) {
                return bad(Role.BASE, p, "not a complete SDXL diffusers folder: missing " + String.join(", ", missing)
                        + ". Give the folder that holds model_index.json, unet/, vae/, text_encoder(_2)/, tokenizer(_2)/, or a single-file .safetensors checkpoint");
            }
            Path unet = ComponentFiles.find(p.resolve("unet"), false);
            if (unet.toString().endsWith(".index.json")) return ok(Role.BASE, p, "SDXL diffusers folder (sharded UNet)");
            Set<String> keys = keys(unet);
            if (keys.contains("controlnet_cond_embedding.conv_in.weight")) {
                return bad(Role.BASE, p, "unet/ holds a ControlNet, not a UNet");
            }
            if (!keys.contains("add_embedding.linear_1.weight")) {
                return bad(Role.BASE, p, "the UNet in unet/ has no add_embedding (text_time conditioning): an SD 1.x/2.x model, not SDXL");
            }
            return ok(Role.BASE, p, "SDXL diffusers folder (" + p.relativize(unet) + ")");
        }
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ckpt") || name.endsWith(".pt") || name.endsWith(".pth")) {
            return bad(Role.BASE, p, "pickle checkpoints are not read (loading them could run code): use the .safetensors version of this model");
        }
        if (!name.endsWith(".safetensors")) {
            return bad(Role.BASE, p, "expected a diffusers folder or a single-file .safetensors SDXL checkpoint");
        }
        Set<String> keys = keys(p);
        boolean unet = any(keys, "model.diffusion_model.");
        if (any(keys, "cond_stage_model.")) {
            return bad(Role.BASE, p, "an SD 1.x/2.x checkpoint (cond_stage_model.*), not SDXL");
        }
        if (unet && any(keys, "conditioner.embedders.1.model.") && any(keys, "conditioner.embedders.0.transformer.")) {
            if (!any(keys, "first_stage_model.")) {
                return bad(Role.BASE, p, "an SDXL checkpoint without its VAE (first_stage_model.*): use a full checkpoint or the diffusers folder");
            }
            return ok(Role.BASE, p, "single-file SDXL checkpoint");
        }
        if (unet && any(keys, "conditioner.embedders.0.model.")) {
            return bad(Role.BASE, p, "an SDXL refiner checkpoint (one OpenCLIP encoder only): InstantID needs the SDXL base model");
        }
        if (keys.contains("add_embedding.linear_1.weight") && !any(keys, "controlnet_")) {
            return bad(Role.BASE, p, "a diffusers UNet file on its own: give the whole model folder (with vae/, text_encoder/, ...)");
        }
        return bad(Role.BASE, p, "not an SDXL checkpoint (" + describe(keys) + ")");
    }

    // --- IdentityNet: the ControlNetModel folder, or its safetensors with config.json beside ----

    private static Result identityNet(Path p) throws IOException {
        Path dir = Files.isDirectory(p) ? p : p.getParent();
        Path file = Files.isDirectory(p) ? ComponentFiles.find(p, false) : p;
        if (file == null) {
            return bad(Role.IDENTITYNET, p, "no diffusion_pytorch_model.safetensors in this folder: give InstantID's ControlNetModel folder");
        }
        if (!file.getFileName().toString().endsWith(".safetensors")) {
            return bad(Role.IDENTITYNET, p, "expected InstantID's ControlNetModel folder or its diffusion_pytorch_model.safetensors");
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            return bad(Role.IDENTITYNET, p, "config.json is missing next to the weights (" + dir + "): the network's shape is read from it");
        }
        Set<String> keys = keys(file);
        if (!keys.contains("controlnet_cond_embedding.conv_in.weight") || !keys.contains("controlnet_down_blocks.0.weight")) {
            return bad(Role.IDENTITYNET, p, "not a ControlNet (" + describe(keys) + ")");
        }
        if (!keys.contains("add_embedding.linear_1.weight")) {
            return bad(Role.IDENTITYNET, p, "a ControlNet for SD 1.x/2.x (no add_embedding): InstantID's IdentityNet is an SDXL ControlNet");
        }
        return ok(Role.IDENTITYNET, p, "SDXL ControlNet (IdentityNet) with config.json");
    }

    // --- ip-adapter.bin: a torch.save zip whose pickle names image_proj and ip_adapter ----------

    private static Result adapter(Path p) throws IOException {
        if (Files.isDirectory(p)) return bad(Role.ADAPTER, p, "is a folder: give the ip-adapter.bin file itself");
        byte[] pkl = null;
        try (ZipFile z = new ZipFile(p.toFile())) {
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
                    try (InputStream in = z.getInputStream(e)) {
                        pkl = in.readNBytes(64 << 20);
                    }
                    break;
                }
            }
        } catch (java.util.zip.ZipException e) {
            return bad(Role.ADAPTER, p, "not a torch.save zip archive (" + e.getMessage() + "): give InstantID's ip-adapter.bin");
        }
        if (pkl == null) return bad(Role.ADAPTER, p, "a zip without data.pkl: not a torch.save file");
        String text = new String(pkl, StandardCharsets.ISO_8859_1);
        boolean proj = text.contains("image_proj");
        boolean ip = text.contains("ip_adapter");
        if (!proj || !ip) {
            return bad(Role.ADAPTER, p, "a torch file without " + (proj ? "" : "'image_proj' ") + (ip ? "" : "'ip_adapter' ")
                    + "entries: not an IP-adapter in InstantID's layout");
        }
        return ok(Role.ADAPTER, p, "IP-adapter (torch zip with image_proj + ip_adapter)");
    }

    // --- insightface ONNX models ------------------------------------------------------------

    private static Result onnx(Role role, Path p) {
        if (Files.isDirectory(p)) return bad(role, p, "is a folder: give the .onnx file");
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(p.toString(), new OrtSession.SessionOptions())) {
            long outs = s.getNumOutputs();
            long ins = s.getNumInputs();
            long[] in = shape(s.getInputInfo().values().iterator().next());
            if (ins != 1 || in == null || in.length != 4 || in[1] != 3) {
                return bad(role, p, "expects " + ins + " input(s) of shape " + java.util.Arrays.toString(in)
                        + ": insightface models take one NCHW image with 3 channels");
            }
            if (role == Role.FACE_DETECTOR) {
                if (outs == 9) return ok(role, p, "SCRFD face detector with keypoints (9 outputs)");
                if (outs == 6) return bad(role, p, "an SCRFD detector WITHOUT keypoints (6 outputs): InstantID needs the 5 keypoints (scrfd_*_bnkps)");
                if (outs == 1) return bad(role, p, "has 1 output: this looks like a face recogniser, not the detector");
                return bad(role, p, "has " + outs + " outputs; an SCRFD detector with keypoints has 9");
            }
            if (outs == 9 || outs == 6) return bad(role, p, "has " + outs + " outputs: this looks like the face detector, not the recogniser");
            long[] out = shape(s.getOutputInfo().values().iterator().next());
            if (outs != 1 || out == null || out.length != 2 || out[1] != 512) {
                return bad(role, p, "output " + java.util.Arrays.toString(out) + ": an ArcFace recogniser gives one 512-d embedding");
            }
            if (in[2] != 112 || in[3] != 112) {
                return bad(role, p, "input " + java.util.Arrays.toString(in) + ": the ArcFace recogniser takes 112x112 crops");
            }
            return ok(role, p, "ArcFace recogniser (112x112 -> 512)");
        } catch (OrtException e) {
            return bad(role, p, "ONNX Runtime cannot open it as a model (" + e.getMessage() + ")");
        }
    }

    private static long[] shape(NodeInfo n) {
        return n.getInfo() instanceof TensorInfo t ? t.getShape() : null;
    }

    // --- helpers ----------------------------------------------------------------------------

    private static Set<String> keys(Path safetensors) {
        try (Safetensors s = Safetensors.open(safetensors)) {
            return Set.copyOf(s.names());
        }
    }

    private static boolean any(Set<String> keys, String prefix) {
        for (String k : keys) if (k.startsWith(prefix)) return true;
        return false;
    }

    private static String describe(Set<String> keys) {
        List<String> some = keys.stream().sorted().limit(3).toList();
        if (any(keys, "decoder.") && any(keys, "encoder.") && !any(keys, "down_blocks.")) {
            return "it holds a VAE: decoder.*, encoder.*";
        }
        if (any(keys, "text_model.") || any(keys, "embeddings.token_embedding")) return "it holds a text encoder";
        return keys.size() + " tensors, e.g. " + String.join(", ", some);
    }
}
