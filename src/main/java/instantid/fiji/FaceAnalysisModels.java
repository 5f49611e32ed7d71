package instantid.fiji;

import instantid.pipeline.RuntimeOptions;

import java.nio.file.Path;

/**
 * {@link FaceModels} on {@code instantid.face.FaceAnalysis} (SCRFD detector + ArcFace recogniser
 * ONNX files found in one folder). PLACEHOLDER until branch {@code face} is merged: opening reports
 * that the face models are not part of this build.
 */
final class FaceAnalysisModels {

    private FaceAnalysisModels() {
    }

    static FaceModels open(Path folder, RuntimeOptions runtime) {
        throw new IllegalStateException("face analysis is not part of this build yet (branch face not merged)");
    }
}
