package instantid.request;

import instantid.face.Keypoints;
import instantid.pipeline.Embeddings;
import instantid.pipeline.Identity;

import java.util.List;

/**
 * Faces → the {@link Identity} InstantID keeps, as the app builds it: the embeddings of the person's
 * photos (found after resize_img) combined into one, the keypoints (and the face box for "enhance
 * non-face region") from the pose in the output's pixels, the two scales, and a note on photos whose
 * values were converted. The one assembly the CLI's generate and Fiji's Generate from Face share.
 */
public final class FaceIdentity {

    private FaceIdentity() {
    }

    /**
     * @param embeddings the raw ArcFace embeddings of the person's photos (one or more)
     * @param combine    how several combine (one is taken as it is)
     * @param pose       where the keypoints come from
     * @param width      output width
     * @param height     output height
     * @param notes      how photos' values were converted (empty: none)
     */
    public static Identity of(List<float[]> embeddings, Embeddings.Combine combine, Pose pose, int width, int height,
                              double ipScale, double identityNetScale, List<String> notes) {
        float[] embedding = Embeddings.combine(embeddings, combine);
        Keypoints kps = pose.keypoints(width, height);
        return new Identity(embedding, kps.flat(), ipScale, identityNetScale)
                .withFaceBox(pose.faceBox(width, height))
                .withPhotoNote(notes == null ? null : String.join("; ", notes));
    }
}
