package instantid.parity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every case kind the parity command can run. A kind not listed here is a SKIP, never a PASS. */
public final class Runners {

    private Runners() {
    }

    public static Map<String, CaseRunner> all() {
        Map<String, CaseRunner> m = new LinkedHashMap<>();
        for (CaseRunner r : List.<CaseRunner>of(
                new TorchPickleCase(),
                new ClipTokenizerCase(),
                new SchedulerCase(),
                new FaceAnalysisCase(),
                new ClipTextRunner(),
                new VaeRunner(),
                new ResamplerRunner(),
                new UNetRunner(),
                new ControlNetRunner(),
                new PipelineSdxlCase(),
                new PipelineInstantIdCase(),
                new LoraCase(),
                new DrawKpsCase(),
                new ImageLoadCase(),
                new ClipImagePreprocessCase(),
                new ClipVisionRunner(),
                new ImageProjRunner(),
                new ContentSubtractionRunner()
        )) {
            m.put(r.kind(), r);
        }
        return m;
    }
}
