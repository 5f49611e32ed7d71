package instantid.fiji;

import instantid.face.FaceAnalysis;
import instantid.pipeline.InstantIdPipeline;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.Progress;
import instantid.pipeline.Result;

import org.scijava.service.SciJavaService;

/**
 * Owns the loaded InstantID models for a SciJava context: loaded on first use, kept between runs
 * (a second generation does not reload gigabytes), reloaded only when a model path, the device or
 * the precision changes, released by "Release models" and when the context is disposed.
 */
public interface InstantIdService extends SciJavaService {

    /** The persisted settings (model locations, device, precision). */
    FijiSettings settings();

    /** Stores new settings; loaded models stay until they are next needed with different ones. */
    void setSettings(FijiSettings settings);

    /** The pipeline for the current settings, loading it (with progress) if needed. */
    InstantIdPipeline pipeline(Progress progress);

    /** The face models for the current settings, loading them if needed. */
    FaceAnalysis faces();

    /** Checks the request's files exist, then runs one request on the (cached) pipeline, holding the run lock (see {@link #exclusive}). */
    default Result generate(InstantIdRequest request, Progress progress) {
        return generate(request, progress, false);
    }

    /** As {@link #generate(InstantIdRequest, Progress)}; with {@code idMaps} each image gets its ID-attention map. */
    default Result generate(InstantIdRequest request, Progress progress, boolean idMaps) {
        request.requireFiles(); // the values were checked when the request was made
        return exclusive(() -> pipeline(progress).generate(request, progress, idMaps),
                instantid.common.CancelToken.of(progress::cancelled));
    }

    /**
     * {@code r} with every image's identity score: the faces in each output found and embedded by
     * {@link #faces()} at the detection {@code threshold} the input faces used (under the run lock,
     * like every use of the shared face models).
     */
    default Result scored(Result r, InstantIdRequest request, double threshold) {
        return exclusive(() -> new instantid.pipeline.IdentityScorer(faces(),
                instantid.face.DetectOptions.defaults().withThreshold((float) threshold)).score(r, request),
                instantid.common.CancelToken.NONE);
    }

    /**
     * Runs {@code work} holding the service's run lock: one InstantID command at a time (generations,
     * face detection, Release Models), because the loaded models are shared and a LoRA is fused into
     * their weights for the length of one run. Re-entrant; waits its turn in order, giving up with a
     * CancellationException when {@code cancel} is cancelled while waiting.
     */
    <T> T exclusive(java.util.function.Supplier<T> work, instantid.common.CancelToken cancel);

    /** Whether a pipeline / face models are loaded right now. */
    boolean pipelineLoaded();

    boolean facesLoaded();

    /** Frees every loaded model (GPU and native memory); waits for a running command to finish first. */
    void release();
}
