package instantid.request;

import instantid.face.Keypoints;
import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;

/**
 * Where an identity's pose comes from, i.e. the keypoints IdentityNet draws: numbers the user typed
 * (already in output pixels), or a face found on a photo prepared as InstantID's app prepares it
 * (detected after resize_img; its keypoints and box are scaled from that resized size to the output
 * size). The CLI's --pose / --kps and Fiji's pose image / keypoints field both map onto it.
 */
public final class Pose {

    private final Keypoints typed;
    private final String typedParameter;
    private final PreparedPhoto photo;
    private final PhotoFaces.Found face;

    private Pose(Keypoints typed, String typedParameter, PreparedPhoto photo, PhotoFaces.Found face) {
        this.typed = typed;
        this.typedParameter = typedParameter;
        this.photo = photo;
        this.face = face;
    }

    /** Typed keypoints in output pixels; {@code parameter} names them in messages (--kps, keypoints). */
    public static Pose typed(Keypoints k, String parameter) {
        if (k == null) throw new IllegalArgumentException("no keypoints");
        return new Pose(k, parameter, null, null);
    }

    /** The face {@code f} found on {@code photo}. */
    public static Pose face(PreparedPhoto photo, PhotoFaces.Found f) {
        if (photo == null || f == null) throw new IllegalArgumentException("a pose face needs its photo and the face");
        return new Pose(null, null, photo, f);
    }

    public boolean isTyped() {
        return typed != null;
    }

    /** The size of the resized photo (the app's output size); null for typed keypoints. */
    public int[] photoSize() {
        return typed != null ? null : new int[] {photo.resized().width(), photo.resized().height()};
    }

    /**
     * The keypoints in a {@code width x height} output: typed ones checked to lie on it (a point
     * outside draws nothing: a typo), a face's scaled from its resized photo.
     */
    public Keypoints keypoints(int width, int height) {
        if (typed != null) return typed.requireInside(width, height, typedParameter);
        return PhotoFaces.keypointsFor(photo, face, width, height);
    }

    /**
     * The box {x1, y1, x2, y2} of the face the keypoints come from in a {@code width x height} output
     * (for "enhance non-face region"); null for typed keypoints (no face).
     */
    public float[] faceBox(int width, int height) {
        return typed != null ? null : PhotoFaces.boxFor(photo, face, width, height);
    }
}
