package instantid.face;

/**
 * One detected face in image pixel coordinates: box corners, detector score, five keypoints
 * (left eye, right eye, nose, left and right mouth corner as x0, y0, ..., x4, y4; null when the
 * detector has none) and the raw ArcFace embedding (null until computed).
 */
public record Face(float x1, float y1, float x2, float y2, float score, float[] kps, float[] embedding) {

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    /** Box area as the InstantID app ranks faces: (x2 - x1) * (y2 - y1). */
    public float area() {
        return (x2 - x1) * (y2 - y1);
    }

    public float centerX() {
        return (x1 + x2) / 2;
    }

    public float centerY() {
        return (y1 + y2) / 2;
    }

    public Face withEmbedding(float[] e) {
        return new Face(x1, y1, x2, y2, score, kps, e);
    }

    /** The same face moved by (dx, dy) (from a crop's coordinates back to the image's). */
    public Face translate(float dx, float dy) {
        float[] k = null;
        if (kps != null) {
            k = kps.clone();
            for (int i = 0; i < k.length; i += 2) { k[i] += dx; k[i + 1] += dy; }
        }
        return new Face(x1 + dx, y1 + dy, x2 + dx, y2 + dy, score, k, embedding);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Face[%.1f,%.1f,%.1f,%.1f score %.3f]", x1, y1, x2, y2, score);
    }
}
