package instantid.pipeline;

import instantid.face.DetectOptions;
import instantid.face.Face;
import instantid.face.FaceAnalysis;
import instantid.face.Faces;
import instantid.face.RgbImage;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores generated images by identity, as the InstantID paper measures it: the faces in the
 * output are found and embedded with the same face models and detection options as the input
 * faces, and each identity gets the cosine similarity between its source embedding and its
 * best-matching face. For a composition an identity is matched only against the faces whose box
 * centre lies inside its region; one identity on the whole canvas matches every face. No face
 * (in the image, or in the identity's region) gives no score and the reason, never 0. Of the
 * detections only the {@value #MAX_CANDIDATES} most confident per identity are embedded.
 * Does not own the face models.
 */
public final class IdentityScorer {

    /** At most this many detections (the most confident first) are embedded per identity. */
    public static final int MAX_CANDIDATES = 16;

    private final FaceAnalysis faces;
    private final DetectOptions options;

    public IdentityScorer(FaceAnalysis faces, DetectOptions options) {
        if (faces == null) throw new IllegalArgumentException("scoring needs the face models");
        this.faces = faces;
        this.options = options == null ? DetectOptions.defaults() : options;
    }

    /** The scores of one image for the given identities (their embeddings and regions). */
    public IdentityScores score(RgbImage img, List<Identity> ids) {
        List<Face> found = faces.detect(img, options.withRoi(null));
        Face[] embedded = new Face[found.size()];
        List<IdentityScore> out = new ArrayList<>();
        for (Identity id : ids) {
            IdentityScore best = null;
            int considered = 0;
            for (int i = 0; i < found.size() && considered < MAX_CANDIDATES; i++) {
                Face f = found.get(i);
                if (!inRegion(f, id.region(), img.width(), img.height())) continue;
                considered++;
                if (embedded[i] == null) embedded[i] = faces.embed(img, f); // each face embedded once
                double cos = Math.max(-1, Math.min(1, Faces.cosineSimilarity(id.embedding(), embedded[i].embedding())));
                if (best == null || cos > best.value()) best = IdentityScore.of(cos, new float[] {f.x1(), f.y1(), f.x2(), f.y2()});
            }
            out.add(best != null ? best : IdentityScore.none(found.isEmpty() || id.region().isWhole()
                    ? IdentityScore.NO_FACE : IdentityScore.NO_FACE + " inside this identity's region"));
        }
        return new IdentityScores(out);
    }

    /** Every image of a result scored against the request's identities: the same result with its scores. */
    public Result score(Result r, InstantIdRequest request) {
        List<IdentityScores> s = new ArrayList<>();
        for (Image im : r.images()) s.add(score(new RgbImage(im.width(), im.height(), im.rgb()), request.identities()));
        return r.withScores(s);
    }

    /** Whether the face's box centre lies in the region (the whole image for {@link Region#WHOLE}). */
    static boolean inRegion(Face f, Region r, int w, int h) {
        Region c = r.clip(w, h); // a detection centred in the detector's padding is no face of the image
        double cx = f.centerX(), cy = f.centerY();
        return cx >= c.x() && cy >= c.y() && cx < c.x() + c.width() && cy < c.y() + c.height();
    }
}
