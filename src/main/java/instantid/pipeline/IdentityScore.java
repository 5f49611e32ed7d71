package instantid.pipeline;

import java.util.Locale;

/**
 * One identity's score on one generated image: the cosine similarity (insightface's
 * {@code compute_sim}, the InstantID paper's identity metric) between the source identity's ArcFace
 * embedding and the best-matching face found in the image, with that face's box
 * {@code [x1, y1, x2, y2]}; or no score and the reason ("no face in the output"). A missing
 * score is never 0: 0 would claim an unrelated face was found.
 *
 * @param value   cosine in -1..1, or null when there is no score
 * @param reason  why there is no score (null when there is one)
 * @param faceBox the matched face's box in output pixels (null when there is no score)
 */
public record IdentityScore(Double value, String reason, float[] faceBox) {

    /** The reason when the detector finds no face in the generated image (or in an identity's region). */
    public static final String NO_FACE = "no face in the output";

    public IdentityScore {
        if ((value == null) == (reason == null)) {
            throw new IllegalArgumentException("an identity score has either a value or a reason, not both or neither");
        }
        if (value != null && !(value >= -1.0001 && value <= 1.0001)) {
            throw new IllegalArgumentException("a cosine similarity lies in -1..1, got " + value);
        }
    }

    public static IdentityScore of(double cosine, float[] faceBox) {
        return new IdentityScore(cosine, null, faceBox);
    }

    public static IdentityScore none(String reason) {
        return new IdentityScore(null, reason, null);
    }

    public boolean present() {
        return value != null;
    }

    /** "0.731" or "none (no face in the output)": for CLI lines, slice labels and tiles. */
    public String text() {
        return present() ? String.format(Locale.ROOT, "%.3f", value) : "none (" + reason + ")";
    }
}
