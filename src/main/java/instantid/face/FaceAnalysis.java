package instantid.face;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Detector + recogniser, as insightface's {@code FaceAnalysis} with the two models InstantID
 * uses. Owns both ONNX Runtime sessions; {@link #close()} frees them (idempotent).
 */
public final class FaceAnalysis implements AutoCloseable {

    private final ScrfdDetector detector;
    private final ArcFace recognizer;
    private final Consumer<String> log;
    /** More faces than any photo holds: a sign of an untrained detector or a threshold set too low. */
    static final int MANY_FACES = 50;

    /** Opens both models on {@code device}; messages (CUDA fallback, choices) go to {@code log}. */
    public FaceAnalysis(Path detectorFile, Path recognizerFile, Device device, Consumer<String> log) {
        this.log = log == null ? s -> { } : log;
        this.detector = new ScrfdDetector(detectorFile, device, this.log);
        if (!detector.hasKeypoints()) {
            detector.close();
            throw new FaceModelException(detectorFile + ": this detector has no keypoint outputs ("
                    + detector.layout().outputs() + " outputs); InstantID needs the five keypoints (a *_kps / bnkps model)");
        }
        try {
            this.recognizer = new ArcFace(recognizerFile, device, this.log);
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
    }

    /** From already opened parts (tests give a synthetic detector); owns and closes both. */
    FaceAnalysis(ScrfdDetector detector, ArcFace recognizer, Consumer<String> log) {
        this.log = log == null ? s -> { } : log;
        this.detector = detector;
        this.recognizer = recognizer;
    }

    /** CPU, messages to stderr. */
    public FaceAnalysis(Path detectorFile, Path recognizerFile) {
        this(detectorFile, recognizerFile, Device.CPU, System.err::println);
    }

    public ScrfdDetector detector() {
        return detector;
    }

    public ArcFace recognizer() {
        return recognizer;
    }

    /**
     * Every face found, best score first, in image coordinates, without embeddings. With a ROI
     * only faces whose box centre lies inside it are returned (found in the ROI widened by the
     * margin, so faces cut by the ROI edge are still seen whole).
     */
    public List<Face> detect(RgbImage img, DetectOptions o) {
        RgbImage search = img;
        int ox = 0, oy = 0;
        DetectOptions.Rect roi = o.roi();
        if (roi != null) {
            int m = (int) Math.round(o.roiMargin() * Math.max(roi.width(), roi.height()));
            int x0 = Math.max(0, roi.x() - m), y0 = Math.max(0, roi.y() - m);
            int x1 = Math.min(img.width(), roi.x() + roi.width() + m), y1 = Math.min(img.height(), roi.y() + roi.height() + m);
            if (x1 <= x0 || y1 <= y0) {
                throw new IllegalArgumentException("ROI " + roi + " lies outside the " + img.width() + "x" + img.height() + " image");
            }
            search = img.crop(x0, y0, x1 - x0, y1 - y0);
            ox = x0;
            oy = y0;
        }
        List<ScrfdDecoder.Detection> dets = detector.detect(search, new int[] {o.detWidth(), o.detHeight()},
                o.threshold(), o.nmsThreshold(), roi == null ? o.maxNum() : 0, false);
        List<Face> faces = new ArrayList<>();
        for (ScrfdDecoder.Detection d : dets) {
            Face f = new Face(d.x1(), d.y1(), d.x2(), d.y2(), d.score(), d.kps(), null);
            if (roi != null) {
                f = f.translate(ox, oy);
                if (!roi.contains(f.centerX(), f.centerY())) continue;
            }
            faces.add(f);
        }
        if (roi != null && o.maxNum() > 0 && faces.size() > o.maxNum()) {
            faces = faces.subList(0, o.maxNum());
        }
        return faces;
    }

    /** The face with its raw embedding added. */
    public Face embed(RgbImage img, Face f) {
        if (f.kps() == null) throw new IllegalArgumentException("face " + f + " has no keypoints to align it");
        return f.withEmbedding(recognizer.embed(img, f.kps()));
    }

    /** insightface's {@code FaceAnalysis.get}: every face with its embedding. */
    public List<Face> analyze(RgbImage img, DetectOptions o) {
        List<Face> out = new ArrayList<>();
        for (Face f : detect(img, o)) out.add(embed(img, f));
        return out;
    }

    /**
     * The face InstantID uses: the largest one (in the ROI when given), with its embedding.
     * No face → {@link NoFaceException} naming {@code imageName}; several → the largest, logged.
     */
    public Face chooseFace(RgbImage img, String imageName, DetectOptions o) {
        List<Face> faces = detect(img, o);
        String where = o.roi() == null ? "" : " inside the ROI " + o.roi().x() + "," + o.roi().y() + " "
                + o.roi().width() + "x" + o.roi().height();
        if (faces.isEmpty()) {
            throw new NoFaceException(String.format(Locale.ROOT, "No face found in image '%s'%s at detection threshold %.2f. "
                    + "Try %sa lower threshold.", imageName, where, o.threshold(),
                    o.roi() == null ? "" : "a larger ROI or "));
        }
        Face f = largest(faces);
        if (faces.size() > 1) {
            log.accept(String.format(Locale.ROOT, "%d faces found in image '%s'%s at detection threshold %.2f; using the largest, %s%s",
                    faces.size(), imageName, where, o.threshold(), f, faces.size() > MANY_FACES
                            ? ". So many faces mean the detector's weights look untrained (a random test model) or the"
                            + " threshold is too low: raise the detection threshold (--det-thresh), or use real face models" : ""));
        }
        return embed(img, f);
    }

    /**
     * The InstantID app's choice: sorted by box area, the last (largest); among equal areas the
     * later one, as Python's stable sort + [-1] does.
     */
    public static Face largest(List<Face> faces) {
        if (faces == null || faces.isEmpty()) throw new NoFaceException("no faces to choose from");
        Face best = null;
        for (Face f : faces) {
            if (best == null || f.area() >= best.area()) best = f;
        }
        return best;
    }

    /** Closes both sessions; calling it again does nothing. */
    @Override
    public void close() {
        detector.close();
        recognizer.close();
    }

    public boolean isClosed() {
        return detector.isClosed() && recognizer.isClosed();
    }
}
