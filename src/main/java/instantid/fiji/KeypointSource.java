package instantid.fiji;

import ij.ImagePlus;
import ij.WindowManager;

import instantid.face.Face;
import instantid.face.FaceAnalysis;

import java.util.Locale;

/**
 * Where IdentityNet's five keypoints come from, in output pixels: numbers typed by the user
 * (already in output pixels), else the largest face of a pose image, else the identity's own
 * face; a face's keypoints are scaled from its image's size to the output size (as the app
 * resizes the image before detecting).
 */
final class KeypointSource {

    static final String NONE = "none";

    private final ImagePlus poseImage;
    private final float[] typed;
    private Face poseFace;

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

    float[] keypoints(FaceAnalysis fa, Face face, ImagePlus faceImage, int outW, int outH, double threshold) {
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
        if (poseImage != null) return scale(poseFace(fa, threshold).kps(), poseImage, outW, outH);
        return scale(face.kps(), faceImage, outW, outH);
    }

    /**
     * The box (x1 y1 x2 y2, output pixels) of the face the keypoints come from, for "enhance
     * non-face region"; null for typed keypoints (no face).
     */
    float[] faceBox(FaceAnalysis fa, Face face, ImagePlus faceImage, int outW, int outH, double threshold) {
        if (typed != null) return null;
        Face f = poseImage != null ? poseFace(fa, threshold) : face;
        ImagePlus from = poseImage != null ? poseImage : faceImage;
        return scale(new float[] {f.x1(), f.y1(), f.x2(), f.y2()}, from, outW, outH);
    }

    private Face poseFace(FaceAnalysis fa, double threshold) {
        if (poseFace == null) poseFace = FaceSource.choose(fa, poseImage, ImageConversion.toRgb(poseImage), null, threshold);
        return poseFace;
    }

    /** Points (x0 y0 x1 y1 ...) on {@code from} in output pixels. */
    static float[] scale(float[] kps, ImagePlus from, int outW, int outH) {
        int n = kps.length / 2;
        float[][] pts = new float[n][];
        for (int i = 0; i < n; i++) pts[i] = new float[] {kps[2 * i], kps[2 * i + 1]};
        float[][] m = instantid.pipeline.SizeRule.mapKeypoints(pts, from.getWidth(), from.getHeight(), outW, outH);
        float[] k = new float[2 * n];
        for (int i = 0; i < n; i++) {
            k[2 * i] = m[i][0];
            k[2 * i + 1] = m[i][1];
        }
        return k;
    }
}
