package instantid.cli;

import instantid.face.FaceModelFiles;
import instantid.lora.LoraSpec;
import instantid.models.ModelManager;
import instantid.models.Role;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ModelPaths;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the generating verbs share: model locations, generation settings and number lists from flags. */
final class CliModels {

    private CliModels() {
    }

    /** --models / --checkpoint / --face-models, else the model manager's folder. */
    static ModelPaths paths(Args a) throws IOException {
        Path ck = a.has("checkpoint") ? Path.of(a.get("checkpoint", null)) : null;
        Path faces = a.has("face-models") ? Path.of(a.get("face-models", null)) : null;
        if (a.has("models")) return ModelPaths.inFolder(Path.of(a.get("models", null)), ck, faces);
        ModelManager mm = ModelManager.open();
        mm.requireTrusted(); // pinned sizes and first-use hashes: a file changed since its download is not used
        return new ModelPaths(mm.location(Role.BASE), ck, mm.location(Role.IDENTITYNET), mm.location(Role.ADAPTER),
                faces != null ? faces : mm.location(Role.FACE_DETECTOR).getParent());
    }

    /** How to get the models: with --models, what the folder must hold; without, the model manager's report. */
    static String hint(Args a) {
        if (!a.has("models")) {
            try {
                return "\n\n" + ModelManager.open().report();
            } catch (IOException e) {
                // fall through to the generic hint
            }
        }
        return "\n  give --models DIR (a diffusers SDXL folder with InstantID's ControlNetModel/ and ip-adapter.bin),"
                + "\n  or download them: java -jar target/instantid.jar models --download (see README)";
    }

    static FaceModelFiles faceModels(Args a, ModelPaths paths) {
        if (paths.faceModels() == null) {
            throw new IllegalArgumentException("no face models: give --face-models DIR (insightface antelopev2: "
                    + "scrfd_10g_bnkps.onnx and glintr100.onnx), or --kps and --settings to skip face analysis");
        }
        return FaceModelFiles.in(paths.faceModels());
    }

    static GenerationSettings generation(Args a, String defaultSampler) {
        int w = 1024, h = 1024;
        if (a.has("size")) {
            int[] s = size(a.get("size", null));
            w = s[0];
            h = s[1];
        }
        List<LoraSpec> loras = new ArrayList<>();
        for (String l : a.all("lora")) loras.add(LoraSpec.parse(l));
        String neg = a.has("negative-prompt") ? a.get("negative-prompt", null) : null;
        return new GenerationSettings(a.get("prompt", ""), neg, a.getInt("steps", 30), a.getDouble("guidance", 5.0),
                w, h, a.getLong("seed", -1), a.get("sampler", defaultSampler), a.getInt("num-images", 1), loras);
    }

    static int[] size(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("--size expects WIDTHxHEIGHT (e.g. 1024x1024), got '" + s + "'");
    }

    static float[] floats(String s, int n, String flag) {
        String[] p = s.trim().split("[,\\s]+");
        if (p.length != n) throw new IllegalArgumentException(flag + " expects " + n + " numbers, got " + p.length + ": '" + s + "'");
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            try {
                v[i] = Float.parseFloat(p[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": '" + p[i] + "' is not a number");
            }
        }
        return v;
    }

    /**
     * --ip-blocks: "all" (every block, the reference), "style" (InstantStyle's style block
     * up_blocks.0.attentions.1 only), "style+layout" (plus the layout block
     * down_blocks.2.attentions.1), or "PREFIX=SCALE,..." with "*" for the rest.
     */
    static Map<String, Double> blockScales(String spec) {
        switch (spec.toLowerCase(Locale.ROOT)) {
            case "all": return Map.of();
            case "style": return Map.of("up_blocks.0.attentions.1", 1.0, "*", 0.0);
            case "style+layout": case "layout+style":
                return Map.of("up_blocks.0.attentions.1", 1.0, "down_blocks.2.attentions.1", 1.0, "*", 0.0);
            default:
                Map<String, Double> m = new java.util.LinkedHashMap<>();
                for (String kv : spec.split(",")) {
                    String[] p = kv.split("=");
                    if (p.length != 2) throw new IllegalArgumentException("--ip-blocks: '" + kv + "' is not PREFIX=SCALE (or use all, style, style+layout)");
                    m.put(p[0].trim(), Double.parseDouble(p[1].trim()));
                }
                return m;
        }
    }
}
