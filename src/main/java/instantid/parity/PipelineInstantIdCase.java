package instantid.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import instantid.pipeline.GenerationSettings;
import instantid.pipeline.Identity;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.KeypointImage;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Progress;
import instantid.pipeline.RuntimeOptions;

import java.util.List;
import java.util.Map;

/**
 * Kind {@code pipeline_instantid}: the whole InstantID pipeline from the case's face embedding,
 * keypoints and initial noise; checks the keypoint image, the latents after every step and the image.
 */
public final class PipelineInstantIdCase implements CaseRunner {

    @Override
    public String kind() {
        return "pipeline_instantid";
    }

    @Override
    public Outcome run(Case c, NDManager m) {
        GenerationSettings g = PipelineCases.settings(c);
        Identity id = new Identity(c.floats("face_embedding"), c.floats("kps"),
                c.number("ip_adapter_scale", 0.8), c.number("controlnet_conditioning_scale", 0.8));
        InstantIdRequest r = new InstantIdRequest(g, List.of(id), c.number("control_guidance_start", 0.0),
                c.number("control_guidance_end", 1.0), Map.of());
        ModelPaths paths = ModelPaths.inFolder(c.file(c.string("model_dir", "pipeline_sdxl_tiny")), null, null);
        Report report = new Report(c);
        if (c.has("kps_image")) {
            byte[] kps = KeypointImage.draw(g.width(), g.height(), id.keypoints().points());
            float[] v = new float[kps.length];
            for (int i = 0; i < v.length; i++) v[i] = kps[i] & 0xff;
            report.check("kps_image", v, 0, 0);
        }
        try (InstantIdPipeline p = InstantIdPipeline.load(paths, RuntimeOptions.CPU_FP32, Progress.NONE,
                c.config.has("resampler") ? c.config.getAsJsonObject("resampler") : null)) {
            NDArray noise = c.array(m, "latents_init");
            NDArray image = p.generate(r, noise, PipelineCases.noise(c), 0, Progress.NONE,
                    PipelineCases.latentsChecker(c, report));
            PipelineCases.checkImage(c, report, image);
            return report.outcome();
        }
    }
}
