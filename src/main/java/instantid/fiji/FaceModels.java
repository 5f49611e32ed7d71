package instantid.fiji;

import java.util.List;

/**
 * The face models as the commands use them: detection (boxes, scores, keypoints) and the identity
 * embedding of one detected face. Images are interleaved 8-bit RGB. Owned and cached by
 * {@link InstantIdService}; {@link FaceAnalysisModels} implements it on {@code instantid.face}.
 */
public interface FaceModels extends AutoCloseable {

    /** Every face scoring at least {@code threshold}, best first; {@code detSize} is the detector's input side. */
    List<FoundFace> detect(int width, int height, byte[] rgb, double threshold, int detSize);

    /** The raw (unnormalised) ArcFace embedding of {@code face}, aligned by its keypoints. */
    float[] embedding(int width, int height, byte[] rgb, FoundFace face);

    @Override
    void close();

    /** Cosine similarity of two embeddings (the paper's identity metric). */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("embeddings of different sizes");
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.max(Math.sqrt(aa * bb), 1e-12);
    }
}
