package instantid.cli;

import instantid.face.DetectOptions;
import instantid.face.FaceAnalysis;
import instantid.face.FaceModelFiles;
import instantid.pipeline.IdentityScorer;
import instantid.pipeline.IdentityScores;
import instantid.pipeline.InstantIdRequest;
import instantid.pipeline.ModelPaths;
import instantid.pipeline.Result;

import java.util.ArrayList;
import java.util.List;

/**
 * The verbs' identity scoring: the face models (opened once per command, shared by the input
 * faces and the scoring of every output) and the detection options of the input faces
 * ({@code --det-thresh}) applied to the outputs.
 */
final class Scoring {

    static final String NO_MODELS = "no face models to score with (give --face-models DIR)";

    private Scoring() {
    }

    /** The face models of {@code paths}, or null when none are given. */
    static FaceAnalysis open(ModelPaths paths) {
        if (paths.faceModels() == null) return null;
        FaceModelFiles fm = FaceModelFiles.in(paths.faceModels());
        return new FaceAnalysis(fm.detector(), fm.recognizer());
    }

    static DetectOptions options(Args a) {
        return DetectOptions.defaults().withThreshold((float) a.number("det-thresh"));
    }

    /** {@code r} with every image scored against the request's identities (absent, with the reason, without face models). */
    static Result score(Result r, InstantIdRequest request, FaceAnalysis faces, DetectOptions o) {
        if (faces == null) {
            List<IdentityScores> none = new ArrayList<>();
            for (int i = 0; i < r.images().size(); i++) none.add(IdentityScores.none(request.identities().size(), NO_MODELS));
            return r.withScores(none);
        }
        return new IdentityScorer(faces, o).score(r, request);
    }
}
