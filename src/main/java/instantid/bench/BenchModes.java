package instantid.bench;

import instantid.pipeline.GenerationSettings;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.MemoryMode;
import instantid.pipeline.SdxlModels;
import instantid.pipeline.SdxlPipeline;
import instantid.tensor.Residency;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One whole image per memory mode on the loaded model, each in its own measuring window: the peak
 * anonymous RSS (CPU), the peak device memory in use (GPU, from DJL's CUDA utilities), the peak of
 * weight bytes resident ({@link Residency}) and the time. Modes run from the leanest to the fullest
 * (sequential, offload, full), since memory an allocator keeps after one mode would inflate the next
 * one's RSS; read the resident-weight figure for the plan itself.
 */
final class BenchModes {

    private BenchModes() {
    }

    static Map<String, Object> run(Bench.Options o, SdxlModels m, InstantIdPipeline iid, Consumer<String> log) {
        Map<String, Object> r = new LinkedHashMap<>();
        List<MemoryMode> modes = o.memoryModes().stream().sorted(Comparator.comparingInt(BenchModes::order)).toList();
        for (MemoryMode mode : modes) {
            m.memory.ask(mode);
            for (var w : List.of(m.unet.weights(), m.vae.weights())) w.unload();
            Residency res = new Residency();
            m.memory.track(res);
            Memory.window(m.runtime.device());
            GenerationSettings g = new GenerationSettings("a portrait photo", null, Math.max(1, o.imageSteps()), 5.0,
                    o.width(), o.height(), 1, "euler", 1, List.of());
            long t0 = System.nanoTime();
            if (iid != null) iid.generate(new InstantIdRequest(g, Bench.identities(o), 0, 1, Map.of()), Bench.progress(log));
            else new SdxlPipeline(m).generate(g, Bench.progress(log));
            String k = mode.id();
            r.put(k + "_plan", m.memory.plan().reason());
            r.put(k + "_image_s", Bench.secs(t0));
            r.put(k + "_anon_rss_peak_mb", Memory.windowAnonPeakMb());
            long gpu = Memory.windowGpuPeakMb();
            if (gpu >= 0) r.put(k + "_device_peak_mb", gpu);
            r.put(k + "_weights_resident_peak_mb", res.peakBytes() >> 20);
            log.accept(k + ": " + r.get(k + "_image_s") + " s, anon RSS peak " + r.get(k + "_anon_rss_peak_mb") + " MB, weights resident peak "
                    + r.get(k + "_weights_resident_peak_mb") + " MB");
        }
        m.memory.ask(o.runtime().memoryMode());
        return r;
    }

    private static int order(MemoryMode m) {
        return switch (m) {
            case SEQUENTIAL -> 0;
            case OFFLOAD -> 1;
            case FULL -> 2;
            default -> 3;
        };
    }
}
