package instantid.load;

import instantid.io.TensorSource;
import instantid.io.TensorSources;
import instantid.io.WeightFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a model folder or file is and where each network's tensors are in it: a diffusers SDXL
 * folder ({@code unet/ vae/ text_encoder/ text_encoder_2/ tokenizer*}, plus InstantID's
 * {@code ControlNetModel/} and {@code ip-adapter.bin} when they sit inside), a single-file SGM
 * checkpoint ({@code model.diffusion_model.*}, {@code first_stage_model.*},
 * {@code conditioner.embedders.0.transformer.*}, {@code conditioner.embedders.1.model.*}), one
 * component folder or file (ControlNetModel/, a UNet, a VAE, a text encoder) or ip-adapter.bin.
 * Files are recognised by their keys, not their names; a file of the wrong kind (a VAE given as a
 * UNet, an SD 1.x checkpoint given as SDXL, an ONNX model) is an error that names what it is.
 */
public final class ModelLayout {

    /** The networks a layout can hold. */
    public enum Net {
        UNET("UNet"), VAE("VAE"), TEXT_ENCODER("text encoder (CLIP ViT-L)"),
        TEXT_ENCODER_2("second text encoder (OpenCLIP ViT-bigG)"), CONTROLNET("ControlNet (IdentityNet)"),
        IP_ADAPTER("ip-adapter");

        public final String label;

        Net(String label) {
            this.label = label;
        }
    }

    /** How a part's keys are spelled. */
    public enum Naming { DIFFUSERS, SGM, HF_CLIP, OPENCLIP, IP_ADAPTER }

    /** What a layout is as a whole. */
    public enum Kind { DIFFUSERS_FOLDER, SGM_SINGLE_FILE, COMPONENT }

    /** Where one network is: its file, the key prefix inside it, the naming, its config.json (or null). */
    public record Part(Net net, Path file, String prefix, Naming naming, Path config) {
    }

    private final Path path;
    private final Kind kind;
    private final Map<Net, Part> parts;

    private ModelLayout(Path path, Kind kind, Map<Net, Part> parts) {
        this.path = path;
        this.kind = kind;
        this.parts = Collections.unmodifiableMap(parts);
    }

    public Path path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    public Map<Net, Part> parts() {
        return parts;
    }

    public boolean has(Net net) {
        return parts.containsKey(net);
    }

    /** The part of {@code net}; an error naming the model and what it does hold when absent. */
    public Part part(Net net) {
        Part p = parts.get(net);
        if (p == null) {
            throw WeightFileException.of(path, "has no " + net.label + " (it holds: "
                    + parts.keySet().stream().map(n -> n.label).toList() + ")");
        }
        return p;
    }

    /** A tokenizer folder of a diffusers model ({@code tokenizer/} for 1, {@code tokenizer_2/} for 2), or null. */
    public Path tokenizer(int which) {
        if (kind != Kind.DIFFUSERS_FOLDER) return null;
        Path t = path.resolve(which == 1 ? "tokenizer" : "tokenizer_2");
        return Files.isRegularFile(t.resolve("vocab.json")) ? t : null;
    }

    /** Detects the layout of a folder or file. */
    public static ModelLayout detect(Path path) {
        if (Files.isDirectory(path)) return folder(path);
        if (!Files.isRegularFile(path)) throw WeightFileException.of(path, "no such file or folder");
        try (TensorSource src = TensorSources.open(path)) {
            return file(path, src, null);
        }
    }

    /**
     * Detects a folder or file given for one network (e.g. a user's "VAE" choice) and checks that it
     * holds that network; a file of another kind is an error naming both.
     */
    public static ModelLayout detect(Path path, Net expected) {
        ModelLayout l;
        if (Files.isDirectory(path)) {
            l = folder(path);
        } else {
            if (!Files.isRegularFile(path)) throw WeightFileException.of(path, "no such file or folder");
            try (TensorSource src = TensorSources.open(path)) {
                l = file(path, src, expected);
            }
        }
        if (!l.has(expected)) {
            throw WeightFileException.of(path, "is " + l.describe() + ", not a " + expected.label);
        }
        return l;
    }

    /** A phrase for error messages: what this layout holds. */
    public String describe() {
        if (kind == Kind.SGM_SINGLE_FILE) return "an SDXL single-file checkpoint";
        if (kind == Kind.DIFFUSERS_FOLDER) return "a diffusers SDXL model folder";
        return "a " + parts.keySet().stream().map(n -> n.label).reduce((a, b) -> a + " + " + b).orElse("?")
                + " (" + parts.values().iterator().next().naming() + " layout)";
    }

    /** Checks that an open file holds {@code net} as {@code part} says (the wrong-kind check when loading). */
    public static void expect(TensorSource src, Part part) {
        ModelLayout l = file(part.file(), src, part.net());
        if (!l.has(part.net())) throw WeightFileException.of(part.file(), "is " + l.describe() + ", not a " + part.net().label);
    }

    private static ModelLayout folder(Path dir) {
        Map<Net, Part> parts = new EnumMap<>(Net.class);
        boolean pipeline = Files.isDirectory(dir.resolve("unet")) || Files.isRegularFile(dir.resolve("model_index.json"));
        if (pipeline) {
            component(dir.resolve("unet"), Net.UNET, parts);
            component(dir.resolve("vae"), Net.VAE, parts);
            component(dir.resolve("text_encoder"), Net.TEXT_ENCODER, parts);
            component(dir.resolve("text_encoder_2"), Net.TEXT_ENCODER_2, parts);
            component(dir.resolve("ControlNetModel"), Net.CONTROLNET, parts);
            Path ip = dir.resolve("ip-adapter.bin");
            if (Files.isRegularFile(ip)) parts.put(Net.IP_ADAPTER, new Part(Net.IP_ADAPTER, ip, "", Naming.IP_ADAPTER, null));
            if (!parts.containsKey(Net.UNET)) {
                throw WeightFileException.of(dir, "looks like a diffusers model folder but has no unet/ weights");
            }
            return new ModelLayout(dir, Kind.DIFFUSERS_FOLDER, parts);
        }
        Path w = ComponentFiles.find(dir, false);
        if (w == null) {
            throw WeightFileException.of(dir, "is neither a diffusers model folder (unet/, vae/, text_encoder/ ...)"
                    + " nor a component folder with a weight file");
        }
        try (TensorSource src = TensorSources.open(w)) {
            ModelLayout l = file(w, src, null);
            Map<Net, Part> withConfig = new EnumMap<>(Net.class);
            Path cfg = Files.isRegularFile(dir.resolve("config.json")) ? dir.resolve("config.json") : null;
            for (Part p : l.parts.values()) withConfig.put(p.net(), new Part(p.net(), p.file(), p.prefix(), p.naming(), cfg));
            return new ModelLayout(dir, l.kind, withConfig);
        }
    }

    private static void component(Path sub, Net net, Map<Net, Part> parts) {
        if (!Files.isDirectory(sub)) return;
        Path w = ComponentFiles.find(sub, false);
        if (w == null) throw WeightFileException.of(sub, "has no weight file (diffusion_pytorch_model.safetensors, model.safetensors, ...)");
        Naming n = net == Net.TEXT_ENCODER || net == Net.TEXT_ENCODER_2 ? Naming.HF_CLIP : Naming.DIFFUSERS;
        Path cfg = Files.isRegularFile(sub.resolve("config.json")) ? sub.resolve("config.json") : null;
        parts.put(net, new Part(net, w, "", n, cfg));
    }

    /** Recognises one file by its keys. */
    static ModelLayout file(Path file, TensorSource src, Net wanted) {
        Set<String> k = src.names();
        Map<Net, Part> parts = new EnumMap<>(Net.class);
        String what = FileKinds.wrongKind(k);
        if (what != null) {
            throw WeightFileException.of(file, "is " + what + (wanted == null ? "" : ", not a " + wanted.label));
        }
        if (any(k, "model.diffusion_model.")) {
            if (!any(k, "conditioner.embedders.0.transformer.") || !any(k, "conditioner.embedders.1.model.")
                    || !any(k, "model.diffusion_model.label_emb.")) {
                throw WeightFileException.of(file, "is a single-file checkpoint but not an SDXL base model"
                        + " (it lacks the SDXL text encoders or added conditioning)");
            }
            parts.put(Net.UNET, new Part(Net.UNET, file, "model.diffusion_model.", Naming.SGM, null));
            if (any(k, "first_stage_model.")) parts.put(Net.VAE, new Part(Net.VAE, file, "first_stage_model.", Naming.SGM, null));
            parts.put(Net.TEXT_ENCODER, new Part(Net.TEXT_ENCODER, file, "conditioner.embedders.0.transformer.", Naming.HF_CLIP, null));
            parts.put(Net.TEXT_ENCODER_2, new Part(Net.TEXT_ENCODER_2, file, "conditioner.embedders.1.model.", Naming.OPENCLIP, null));
            return new ModelLayout(file, Kind.SGM_SINGLE_FILE, parts);
        }
        Net net;
        Naming naming;
        if (any(k, "controlnet_down_blocks.")) {
            net = Net.CONTROLNET;
            naming = Naming.DIFFUSERS;
        } else if (any(k, "image_proj.") || any(k, "ip_adapter.")) {
            net = Net.IP_ADAPTER;
            naming = Naming.IP_ADAPTER;
        } else if (k.contains("conv_in.weight") && any(k, "up_blocks.")) {
            if (!any(k, "add_embedding.")) {
                throw WeightFileException.of(file, "is an SD 1.x/2.x UNet (no add_embedding: no SDXL size/text conditioning)"
                        + (wanted == null ? "" : ", not an SDXL " + wanted.label));
            }
            net = Net.UNET;
            naming = Naming.DIFFUSERS;
        } else if (any(k, "input_blocks.") && any(k, "output_blocks.")) {
            net = Net.UNET;
            naming = Naming.SGM;
        } else if (any(k, "encoder.down_blocks.") || any(k, "decoder.up_blocks.")) {
            net = Net.VAE;
            naming = Naming.DIFFUSERS;
        } else if (any(k, "encoder.down.") || any(k, "decoder.up.")) {
            net = Net.VAE;
            naming = Naming.SGM;
        } else if (k.contains("embeddings.token_embedding.weight") || k.contains("text_model.embeddings.token_embedding.weight")) {
            net = k.contains("text_projection.weight") ? Net.TEXT_ENCODER_2 : Net.TEXT_ENCODER;
            naming = Naming.HF_CLIP;
        } else if (k.contains("token_embedding.weight") && any(k, "transformer.resblocks.")) {
            net = Net.TEXT_ENCODER_2;
            naming = Naming.OPENCLIP;
        } else {
            throw WeightFileException.of(file, "holds none of the networks this plugin reads (first keys: "
                    + k.stream().limit(3).toList() + ")");
        }
        parts.put(net, new Part(net, file, "", naming, null));
        // a text encoder file serves for whichever encoder slot it is given as, if its kind fits
        if (net == Net.TEXT_ENCODER_2 && wanted == Net.TEXT_ENCODER && naming == Naming.HF_CLIP) {
            parts.put(Net.TEXT_ENCODER, new Part(Net.TEXT_ENCODER, file, "", naming, null));
        }
        if (net == Net.TEXT_ENCODER && wanted == Net.TEXT_ENCODER_2) {
            throw WeightFileException.of(file, "is a CLIP text encoder without a text projection, not the second"
                    + " (projecting) SDXL text encoder");
        }
        return new ModelLayout(file, Kind.COMPONENT, parts);
    }

    static boolean any(Set<String> keys, String prefix) {
        for (String s : keys) if (s.startsWith(prefix)) return true;
        return false;
    }
}
