package instantid.cli;

import com.google.gson.JsonParser;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ImagePrompt;
import instantid.pipeline.SettingsJson;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SdxlPipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code txt2img}: SDXL text-to-image (no identity), with the same flags as generate; with
 * {@code --style IMG} in that image's style (InstantStyle), with {@code --reference IMG} with that
 * object (IP-Adapter Plus); {@code --settings} reproduces a previous run.
 */
public final class Txt2ImgVerb implements Verb {

    static final Set<String> KNOWN = Set.of("models", "checkpoint", "prompt", "negative-prompt", "steps", "guidance",
            "size", "seed", "sampler", "lora", "device", "dtype", "out", "num-images", "help", "settings", "style",
            "style-scale", "style-blocks", "content-prompt", "content-scale", "style-adapter", "image-encoder", "reference",
            "reference-scale", "reference-adapter", "reference-encoder");

    @Override
    public String name() {
        return "txt2img";
    }

    @Override
    public String summary() {
        return "txt2img --models DIR --prompt P --out F.png [--style IMG | --reference IMG] [--size WxH --steps N --seed S ...]  SDXL, in a style or with a reference object";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + " for txt2img; known: " + KNOWN);
        ModelPaths paths = CliModels.paths(a);
        GenerationSettings g;
        List<ImagePrompt> prompts;
        if (a.has("settings")) {
            String json = Files.readString(Path.of(a.get("settings", null)));
            g = SettingsJson.readGeneration(JsonParser.parseString(json).getAsJsonObject());
            if (a.has("seed")) g = g.withSeed(a.getLong("seed", 0));
            prompts = a.has("style") || a.has("reference") ? ImagePromptOptions.read(a, paths)
                    : ImagePromptOptions.override(a, SettingsJson.readImagePrompts(json));
        } else {
            g = CliModels.generation(a, "euler");
            g.validate();
            prompts = ImagePromptOptions.read(a, paths);
        }
        g.validate();
        for (ImagePrompt p : prompts) p.validate();
        RuntimeOptions rt = new RuntimeOptions(a.get("device", "auto"), a.get("dtype", "fp32"));
        CliProgress progress = new CliProgress();
        try (SdxlPipeline p = SdxlPipeline.load(paths, rt, progress)) {
            Result r = p.generate(g, prompts, progress);
            for (Path f : Outputs.write(Path.of(a.get("out", "txt2img.png")), r)) System.out.println("wrote " + f);
        }
        return 0;
    }
}
