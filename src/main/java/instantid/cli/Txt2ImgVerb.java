package instantid.cli;

import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SdxlPipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code txt2img}: plain SDXL text-to-image (no identity), with the same flags as generate. */
public final class Txt2ImgVerb implements Verb {

    static final Set<String> KNOWN = Set.of("models", "checkpoint", "prompt", "negative-prompt", "steps", "guidance",
            "size", "seed", "sampler", "lora", "device", "dtype", "out", "num-images", "style-template", "prompt-encoding", "help");

    @Override
    public String name() {
        return "txt2img";
    }

    @Override
    public String summary() {
        return "txt2img --models DIR --prompt P --out F.png [--size WxH --steps N --seed S ...]  plain SDXL";
    }

    @Override
    public int run(Args a) throws Exception {
        List<String> unknown = a.unknown(KNOWN);
        if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + " for txt2img; known: " + KNOWN);
        if (a.has("help")) {
            System.out.println(summary() + "\n" + CliModels.promptHelp());
            return 0;
        }
        GenerationSettings g = CliModels.generation(a, "euler");
        g.validate();
        ModelPaths paths = CliModels.paths(a);
        RuntimeOptions rt = new RuntimeOptions(a.get("device", "auto"), a.get("dtype", "fp32"));
        CliProgress progress = new CliProgress();
        try (SdxlPipeline p = SdxlPipeline.load(paths, rt, progress)) {
            Result r = p.generate(g, progress);
            for (Path f : Outputs.write(Path.of(a.get("out", "txt2img.png")), r)) System.out.println("wrote " + f);
        }
        return 0;
    }
}
