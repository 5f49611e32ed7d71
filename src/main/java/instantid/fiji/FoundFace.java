package instantid.fiji;

/**
 * One detected face in the pixel coordinates of the image it was found in: its box
 * ({@code x0,y0}–{@code x1,y1}), detector score and five keypoints (x0 y0 ... x4 y4: eyes, nose,
 * mouth corners, as insightface orders them).
 */
public record FoundFace(double x0, double y0, double x1, double y1, double score, float[] kps) {

    public double area() {
        return Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
    }

    /** This face moved by (dx, dy): from a cropped search area back into the whole image. */
    public FoundFace shifted(double dx, double dy) {
        float[] k = kps.clone();
        for (int i = 0; i < k.length; i += 2) {
            k[i] += (float) dx;
            k[i + 1] += (float) dy;
        }
        return new FoundFace(x0 + dx, y0 + dy, x1 + dx, y1 + dy, score, k);
    }
}
