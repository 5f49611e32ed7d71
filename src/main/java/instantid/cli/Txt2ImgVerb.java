package instantid.cli;

import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SdxlPipeline;

import java.nio.file.Path;

/** {@code txt2img}: plain SDXL text-to-image (no identity), with generate's generation options. */
public final class Txt2ImgVerb implements Verb {

    static final Options OPTIONS = Options.of("txt2img",
            "SDXL text-to-image (no identity), with the same generation options as generate; in an image's style (--style) or with a reference object (--reference).",
            Help.JAR + " txt2img --models demo/sdxl --prompt \"a lighthouse at dusk\" --size 128x128 --steps 4 --out out/lighthouse.png",
            CommonOptions.MODELS, CommonOptions.GENERATION, CommonOptions.RUNTIME, CommonOptions.MEMORY, CommonOptions.output("txt2img.png"), ImagePromptOptions.SPECS);

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Args a) throws Exception {
        GenerationSettings base = a.has("settings") ? SettingsFile.generation(a.path("settings")) : null;
        GenerationSettings g = CliModels.generation(a, base);
        g.requireFiles();
        OutputTarget target = OutputTarget.check(a.path("out"), g.numImages(), a.flag("overwrite"));
        ModelPaths paths = CliModels.paths(a);
        java.util.List<instantid.pipeline.ImagePrompt> prompts = ImagePromptOptions.prompts(a, paths, a.has("settings")
                ? instantid.pipeline.SettingsJson.readImagePrompts(java.nio.file.Files.readString(a.path("settings"))) : java.util.List.of());
        for (instantid.pipeline.ImagePrompt p : prompts) p.requireFiles();
        RuntimeOptions rt = new RuntimeOptions(a.get("device"), a.get("dtype"), a.get("memory"));
        CliProgress progress = new CliProgress(g.numImages());
        progress.loading("SDXL", paths);
        try (SdxlPipeline p = SdxlPipeline.load(paths, rt, progress)) {
            progress.loaded(p.models().runtime.description());
            Result r = p.generate(g, prompts, progress);
            for (Path f : target.write(r)) System.out.println("wrote " + f);
        }
        return 0;
    }
}
