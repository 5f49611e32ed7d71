package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;

import instantid.face.FaceAnalysis;
import instantid.face.Keypoints;
import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;
import instantid.request.Pose;

/**
 * The command's pose inputs mapped onto a {@link Pose}: numbers typed by the user (already in output
 * pixels), else the largest face of a pose image, else the identity's own face.
 */
final class KeypointSource {

    static final String NONE = "none";

    private final ImagePlus poseImage;
    private final Keypoints typed;

    private KeypointSource(ImagePlus poseImage, Keypoints typed) {
        this.poseImage = poseImage;
        this.typed = typed;
    }

    static KeypointSource parse(String pose, String numbers) {
        Keypoints typed = null;
        if (numbers != null && !numbers.isBlank()) {
            try {
                typed = Keypoints.parse(numbers);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keypoints='" + numbers + "': " + e.getMessage()
                        + "; give x0 y0 x1 y1 ... x4 y4 in output pixels");
            }
        }
        ImagePlus p = null;
        if (typed == null && pose != null && !pose.isBlank() && !NONE.equalsIgnoreCase(pose.trim())) {
            p = WindowManager.getImage(pose.trim());
            if (p == null) throw new IllegalArgumentException("pose image '" + pose + "' is not open");
        }
        return new KeypointSource(p, typed);
    }

    /** The image whose size the automatic output size follows. */
    int[] referenceSize(ImagePlus faceImage) {
        ImagePlus r = poseImage != null ? poseImage : faceImage;
        return new int[] {r.getWidth(), r.getHeight()};
    }

    /**
     * The pose: typed keypoints, else the pose image's largest face (prepared and found as the app
     * does), else {@code face} on {@code facePhoto}.
     */
    Pose pose(FaceAnalysis fa, PhotoFaces.Found face, PreparedPhoto facePhoto, double threshold) {
        if (typed != null) return Pose.typed(typed, "keypoints");
        if (poseImage != null) {
            PreparedPhoto photo = ImageConversion.prepare(poseImage);
            return Pose.face(photo, FaceSource.choose(fa, poseImage, photo, null, threshold));
        }
        return Pose.face(facePhoto, face);
    }
}
