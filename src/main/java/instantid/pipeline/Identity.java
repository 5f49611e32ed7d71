package instantid.pipeline;

/**
 * One person to keep: the ArcFace embedding (insightface's raw 512-d output, or a combination of
 * several photos' embeddings), the five keypoints in output pixels (x0, y0, ..., x4, y4) that
 * IdentityNet is conditioned on, its IP-adapter and IdentityNet scales, the region it acts in,
 * and an optional phrase appended to the global prompt for this person.
 */
public record Identity(float[] embedding, float[] kps, double ipScale, double identityNetScale,
                       Region region, String phrase) {

    public Identity {
        if (embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("an identity needs a face embedding");
        }
        if (kps == null || kps.length != 10) {
            throw new IllegalArgumentException("an identity needs five keypoints (10 numbers: x0 y0 ... x4 y4)");
        }
        region = region == null ? Region.WHOLE : region;
        phrase = phrase == null ? "" : phrase;
    }

    public Identity(float[] embedding, float[] kps, double ipScale, double identityNetScale) {
        this(embedding, kps, ipScale, identityNetScale, Region.WHOLE, "");
    }
}
