package instantid.cli;

import instantid.face.FaceModelFiles;
import instantid.face.Keypoints;
import instantid.lora.LoraSpec;
import instantid.models.ModelManager;
import instantid.models.Role;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.PromptEncoder;
import instantid.text.StyleTemplates;

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
        Path ck = a.path("checkpoint");
        Path faces = a.options().declares("face-models") ? a.path("face-models") : null;
        if (a.has("models")) return ModelPaths.inFolder(a.path("models"), ck, faces);
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
                + "\n  make the tiny demo folder: java -jar target/instantid.jar demo-models --out demo,"
                + "\n  or download the real ones: java -jar target/instantid.jar models --download (see README)";
    }

    static FaceModelFiles faceModels(ModelPaths paths) {
        if (paths.faceModels() == null) {
            throw new UsageException("no face models: give --face-models DIR (insightface antelopev2: "
                    + "scrfd_10g_bnkps.onnx and glintr100.onnx), or --settings to skip face analysis");
        }
        return FaceModelFiles.in(paths.faceModels());
    }

    /**
     * The generation options: each typed option overrides {@code base} (an earlier image's
     * settings) or, without a base, the declared default; the size is 1024x1024 unless typed.
     */
    static GenerationSettings generation(Args a, GenerationSettings base) {
        int[] size = a.has("size") ? a.size("size") : base != null ? new int[] {base.width(), base.height()} : new int[] {1024, 1024};
        List<LoraSpec> loras = new ArrayList<>();
        for (String l : a.all("lora")) loras.add(LoraSpec.parse(l));
        String prompt = pick(a, "prompt", base == null ? null : base.prompt());
        String neg = a.has("negative-prompt") || base == null ? a.get("negative-prompt") : base.negativePrompt();
        if (a.has("style-template")) {
            // the app's apply_style: the template around the prompt, its negative before the user's
            StyleTemplates.Prompts p = StyleTemplates.apply(a.get("style-template"), prompt, neg);
            prompt = p.prompt();
            neg = p.negativePrompt();
        }
        PromptEncoder encoder = a.has("prompt-encoding") || base == null
                ? PromptEncoder.parse(a.get("prompt-encoding")) : base.promptEncoder();
        return new GenerationSettings(prompt, neg,
                a.has("steps") || base == null ? a.integer("steps") : base.steps(),
                a.has("guidance") || base == null ? a.number("guidance") : base.guidance(),
                size[0], size[1],
                a.has("seed") || base == null ? a.longValue("seed") : base.seed(),
                pick(a, "sampler", base == null ? null : base.sampler()),
                a.options().declares("num-images") ? a.integer("num-images") : 1, loras, encoder); // sweep: one per seed
    }

    private static String pick(Args a, String name, String fromBase) {
        return a.has(name) || fromBase == null ? a.get(name) : fromBase;
    }

    /** Ten finite numbers "x0,y0,...,x4,y4" (the --kps check of the parser). */
    static Keypoints kps(String s) {
        return Keypoints.parse(s);
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
                    if (p.length != 2) throw new IllegalArgumentException("'" + kv + "' is not PREFIX=SCALE (or use all, style, style+layout)");
                    try {
                        m.put(p[0].trim(), Double.parseDouble(p[1].trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + p[1] + "' is not a number");
                    }
                }
                return m;
        }
    }
}
