package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Progress;
import instantid.pipeline.RuntimeOptions;
import instantid.pipeline.SdxlPipeline;

/** Kind {@code pipeline_sdxl}: text-to-image from the case's model folder and initial noise. */
public final class PipelineSdxlCase implements CaseRunner {

    @Override
    public String kind() {
        return "pipeline_sdxl";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        GenerationSettings g = PipelineCases.settings(c);
        ModelPaths paths = new ModelPaths(c.file(c.string("model_dir", "pipeline_sdxl_tiny")), null, null, null, null);
        try (SdxlPipeline p = SdxlPipeline.load(paths, RuntimeOptions.CPU_FP32, Progress.NONE)) {
            Report report = new Report(c);
            NDArray noise = c.array(m, "latents_init");
            NDArray image = p.generate(g, noise, PipelineCases.noise(c), Progress.NONE, PipelineCases.latentsChecker(c, report));
            PipelineCases.checkImage(c, report, image);
            return report.outcome();
        }
    }
}
