package instantid.pipeline;

import instantid.face.Keypoints;

/**
 * One person to keep: the ArcFace embedding (insightface's raw 512-d output, or a combination of
 * several photos' embeddings), the five keypoints in output pixels (x0, y0, ..., x4, y4) that
 * IdentityNet is conditioned on, its IP-adapter and IdentityNet scales, the region it acts in,
 * an optional phrase appended to the global prompt for this person, and optionally the face's box
 * (x1, y1, x2, y2 in output pixels: the box of the face the keypoints come from) that "enhance
 * non-face region" confines IdentityNet and the image adapter to, and a note on how its photos'
 * values were converted where PIL would not have read them as they are (a 16-bit or float image
 * scaled by its display range), so the settings say so; null when nothing was converted.
 */
public record Identity(float[] embedding, float[] kps, double ipScale, double identityNetScale,
                       Region region, String phrase, float[] faceBox, String photoNote) {

    public Identity {
        if (embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("an identity needs a face embedding");
        }
        if (kps == null || kps.length != 10) {
            throw new IllegalArgumentException("an identity needs five keypoints (10 numbers: x0 y0 ... x4 y4)");
        }
        region = region == null ? Region.WHOLE : region;
        phrase = phrase == null ? "" : phrase;
        if (faceBox != null && faceBox.length != 4) {
            throw new IllegalArgumentException("a face box is 4 numbers x1 y1 x2 y2, got " + faceBox.length);
        }
    }

    public Identity(float[] embedding, float[] kps, double ipScale, double identityNetScale, Region region, String phrase,
                    float[] faceBox) {
        this(embedding, kps, ipScale, identityNetScale, region, phrase, faceBox, null);
    }

    public Identity(float[] embedding, float[] kps, double ipScale, double identityNetScale, Region region, String phrase) {
        this(embedding, kps, ipScale, identityNetScale, region, phrase, null);
    }

    public Identity(float[] embedding, float[] kps, double ipScale, double identityNetScale) {
        this(embedding, kps, ipScale, identityNetScale, Region.WHOLE, "");
    }

    /** The five keypoints (output pixels) as a value. */
    public Keypoints keypoints() {
        return Keypoints.of(kps);
    }

    /** The same identity with the face's box (x1, y1, x2, y2 in output pixels; null for none). */
    public Identity withFaceBox(float[] box) {
        return new Identity(embedding, kps, ipScale, identityNetScale, region, phrase, box == null ? null : box.clone(),
                photoNote);
    }

    /** The same identity with a note on its photos' value conversion (null or blank: none). */
    public Identity withPhotoNote(String note) {
        return new Identity(embedding, kps, ipScale, identityNetScale, region, phrase, faceBox,
                note == null || note.isBlank() ? null : note);
    }
}
