package instantid.face;

/**
 * How to look for faces. {@code detWidth x detHeight}: the detector input when the model's is
 * dynamic (insightface's det_size; 640 x 640 by default). {@code threshold}: minimum detector
 * score (det_thresh, 0.5). {@code nmsThreshold}: IoU above which the weaker box is dropped (0.4).
 * {@code maxNum}: keep at most this many (0 = all), ranked as insightface's max_num.
 * {@code roi}: search only in this rectangle (image pixels), widened by {@code roiMargin} times
 * its longer side on every side; faces whose box centre lies inside the rectangle are kept.
 */
public record DetectOptions(int detWidth, int detHeight, float threshold, float nmsThreshold, int maxNum,
                            Rect roi, double roiMargin) {

    /** An axis-aligned rectangle in image pixels. */
    public record Rect(int x, int y, int width, int height) {
        public Rect {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("ROI must have a positive size, got " + width + "x" + height);
            }
        }

        public boolean contains(double px, double py) {
            return px >= x && py >= y && px < x + width && py < y + height;
        }
    }

    public DetectOptions {
        if (detWidth <= 0 || detHeight <= 0) {
            throw new IllegalArgumentException("detector size must be positive, got " + detWidth + "x" + detHeight);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("detection threshold must be in 0..1, got " + threshold);
        }
        if (!(nmsThreshold > 0 && nmsThreshold <= 1)) {
            throw new IllegalArgumentException("NMS threshold must be in (0, 1], got " + nmsThreshold);
        }
        if (!(roiMargin >= 0)) throw new IllegalArgumentException("ROI margin must be >= 0, got " + roiMargin);
    }

    /** insightface's defaults: 640 x 640, threshold 0.5, NMS 0.4, all faces, whole image, margin 0.5. */
    public static DetectOptions defaults() {
        return new DetectOptions(640, 640, 0.5f, 0.4f, 0, null, 0.5);
    }

    public DetectOptions withDetSize(int w, int h) {
        return new DetectOptions(w, h, threshold, nmsThreshold, maxNum, roi, roiMargin);
    }

    public DetectOptions withThreshold(float t) {
        return new DetectOptions(detWidth, detHeight, t, nmsThreshold, maxNum, roi, roiMargin);
    }

    public DetectOptions withNmsThreshold(float t) {
        return new DetectOptions(detWidth, detHeight, threshold, t, maxNum, roi, roiMargin);
    }

    public DetectOptions withMaxNum(int n) {
        return new DetectOptions(detWidth, detHeight, threshold, nmsThreshold, n, roi, roiMargin);
    }

    public DetectOptions withRoi(Rect r) {
        return new DetectOptions(detWidth, detHeight, threshold, nmsThreshold, maxNum, r, roiMargin);
    }

    public DetectOptions withRoi(Rect r, double margin) {
        return new DetectOptions(detWidth, detHeight, threshold, nmsThreshold, maxNum, r, margin);
    }
}
