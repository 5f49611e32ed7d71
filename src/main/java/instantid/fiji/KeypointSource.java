package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;

import instantid.image.PhotoFaces;
import instantid.image.PreparedPhoto;
import instantid.face.FaceAnalysis;

import java.util.Locale;

/**
 * Where IdentityNet's five keypoints come from, in output pixels: numbers typed by the user
 * (already in output pixels), else the largest face of a pose image, else the identity's own
 * face; a face's keypoints are found on its image after resize_img (as the app detects) and
 * scaled from that size to the output size.
 */
final class KeypointSource {

    static final String NONE = "none";

    private final ImagePlus poseImage;
    private final float[] typed;
    private Pose pose;

    private KeypointSource(ImagePlus poseImage, float[] typed) {
        this.poseImage = poseImage;
        this.typed = typed;
    }

    static KeypointSource parse(String pose, String numbers) {
        float[] typed = null;
        if (numbers != null && !numbers.isBlank()) {
            String[] parts = numbers.trim().split("[\\s,;]+");
            if (parts.length != 10) {
                throw new IllegalArgumentException("keypoints='" + numbers + "': give 10 numbers x0 y0 x1 y1 ... x4 y4"
                        + " (eyes, nose, mouth corners) in output pixels; got " + parts.length);
            }
            typed = new float[10];
            for (int i = 0; i < 10; i++) {
                try {
                    typed[i] = Float.parseFloat(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("keypoints: '" + parts[i] + "' is not a number");
                }
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
     * IdentityNet's keypoints in output pixels: typed, else the pose image's largest face, else
     * {@code face}; a face's keypoints come from its resized image (as the app draws them) and
     * are scaled from that size to the output size (the identity when the size is automatic).
     */
    float[] keypoints(FaceAnalysis fa, PhotoFaces.Found face, PreparedPhoto facePhoto, int outW, int outH, double threshold) {
        if (typed != null) {
            for (int i = 0; i < 10; i++) {
                float lim = i % 2 == 0 ? outW : outH;
                if (!(typed[i] >= 0 && typed[i] <= lim)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "keypoint %d (%.1f) lies outside the %dx%d output", i / 2 + 1, typed[i], outW, outH));
                }
            }
            return typed.clone();
        }
        if (poseImage != null) {
            Pose pose = pose(fa, threshold);
            return PhotoFaces.keypointsFor(pose.photo(), pose.face(), outW, outH);
        }
        return PhotoFaces.keypointsFor(facePhoto, face, outW, outH);
    }

    /**
     * The box (x1 y1 x2 y2, output pixels) of the face the keypoints come from, for "enhance
     * non-face region"; null for typed keypoints (no face).
     */
    float[] faceBox(FaceAnalysis fa, PhotoFaces.Found face, PreparedPhoto facePhoto, int outW, int outH, double threshold) {
        if (typed != null) return null;
        if (poseImage != null) {
            Pose pose = pose(fa, threshold);
            return PhotoFaces.boxFor(pose.photo(), pose.face(), outW, outH);
        }
        return PhotoFaces.boxFor(facePhoto, face, outW, outH);
    }

    /** The pose image prepared as the app prepares it and its largest face, found once. */
    private record Pose(PreparedPhoto photo, PhotoFaces.Found face) {
    }

    private Pose pose(FaceAnalysis fa, double threshold) {
        if (pose == null) {
            PreparedPhoto photo = ImageConversion.prepare(poseImage);
            pose = new Pose(photo, FaceSource.choose(fa, poseImage, photo, null, threshold));
        }
        return pose;
    }
}
