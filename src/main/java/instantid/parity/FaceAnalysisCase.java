package instantid.parity;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import instantid.face.Device;
import instantid.face.DetectOptions;
import instantid.face.FaceAlign;
import instantid.face.FaceAnalysis;
import instantid.face.RgbImage;
import instantid.face.ScrfdDecoder;
import instantid.face.ScrfdDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Kind {@code face_analysis}: SCRFD detection (boxes + scores, keypoints) on {@code image_rgb},
 * then for the first {@code embeddings_for_first} faces the norm_crop similarity matrix, the
 * aligned BGR crop (within 2 grey levels: OpenCV's fixed-point bilinear is not reproduced bit for
 * bit across its versions, as the case notes say) and the raw embedding.
 */
public final class FaceAnalysisCase implements CaseRunner {

    /** Crops may differ from OpenCV's by this many grey levels. */
    static final int CROP_LEVELS = 2;

    @Override
    public String kind() {
        return "face_analysis";
    }

    @Override
    public Outcome run(Case c, NDManager manager) {
        long[] shape = c.shape("image_rgb");
        int h = (int) shape[0], w = (int) shape[1];
        float[] px = c.floats("image_rgb");
        byte[] rgb = new byte[px.length];
        for (int i = 0; i < px.length; i++) rgb[i] = (byte) (int) px[i];
        RgbImage img = new RgbImage(w, h, rgb);

        JsonArray ds = c.array("det_size");
        int dw = ds.size() == 2 ? ds.get(0).getAsInt() : 640, dh = ds.size() == 2 ? ds.get(1).getAsInt() : 640;
        DetectOptions o = DetectOptions.defaults().withDetSize(dw, dh)
                .withThreshold((float) c.number("det_thresh", 0.5))
                .withNmsThreshold((float) c.number("nms_thresh", 0.4));
        if (c.number("input_mean", ScrfdDetector.INPUT_MEAN) != ScrfdDetector.INPUT_MEAN
                || c.number("input_std", ScrfdDetector.INPUT_STD) != ScrfdDetector.INPUT_STD) {
            return Outcome.fail("detector normalisation in case.json differs from SCRFD's fixed 127.5/128");
        }
        List<String> log = new ArrayList<>();
        try (FaceAnalysis fa = new FaceAnalysis(c.file(c.string("detector", "det.onnx")),
                c.file(c.string("recognizer", "rec.onnx")), Device.CPU, log::add)) {
            double recMean = c.number("rec_input_mean", fa.recognizer().inputMean());
            double recStd = c.number("rec_input_std", fa.recognizer().inputStd());
            if (recMean != fa.recognizer().inputMean() || recStd != fa.recognizer().inputStd()) {
                return Outcome.fail(String.format(Locale.ROOT, "recognizer normalisation chosen from the graph: %s/%s, case expects %s/%s",
                        fa.recognizer().inputMean(), fa.recognizer().inputStd(), recMean, recStd));
            }
            List<ScrfdDecoder.Detection> dets = fa.detector().detect(img, new int[] {dw, dh}, o.threshold(),
                    o.nmsThreshold(), 0, false);
            float[] eb = c.floats("bboxes"), ek = c.floats("kps");
            int n = (int) c.shape("bboxes")[0];
            if (dets.size() != n) return Outcome.fail("faces: expected " + n + ", found " + dets.size());
            float[] gb = new float[n * 5], gk = new float[n * 10];
            for (int i = 0; i < n; i++) {
                ScrfdDecoder.Detection d = dets.get(i);
                System.arraycopy(new float[] {d.x1(), d.y1(), d.x2(), d.y2(), d.score()}, 0, gb, i * 5, 5);
                System.arraycopy(d.kps(), 0, gk, i * 10, 10);
            }
            Cmp cmp = new Cmp(c.atol, c.rtol);
            cmp.check("bboxes", gb, eb);
            cmp.check("kps", gk, ek);
            int first = (int) c.number("embeddings_for_first", 0);
            int maxLevels = 0;
            for (int i = 0; i < Math.min(first, n) && cmp.failure == null; i++) {
                float[] kps = dets.get(i).kps();
                double[] m = FaceAlign.estimateNorm(kps, fa.recognizer().inputSize());
                float[] mf = new float[6];
                for (int j = 0; j < 6; j++) mf[j] = (float) m[j];
                if (c.has("similarity_matrix_" + i)) cmp.check("similarity_matrix_" + i, mf, c.floats("similarity_matrix_" + i));
                RgbImage crop = fa.recognizer().align(img, kps);
                if (c.has("aligned_bgr_" + i)) {
                    float[] e = c.floats("aligned_bgr_" + i);
                    byte[] bgr = crop.toBgr();
                    for (int j = 0; j < e.length && j < bgr.length; j++) {
                        int d = Math.abs((bgr[j] & 0xff) - (int) e[j]);
                        if (d > maxLevels) maxLevels = d;
                        if (d > CROP_LEVELS && cmp.failure == null) {
                            int p = j / 3;
                            cmp.failure = "aligned_bgr_" + i + " differs by " + d + " levels at (" + (p % crop.width())
                                    + "," + (p / crop.width()) + ") channel " + (j % 3);
                        }
                    }
                    if (e.length != bgr.length) cmp.failure = "aligned_bgr_" + i + ": size differs";
                }
                if (c.has("embedding_" + i)) cmp.check("embedding_" + i, fa.recognizer().embedAligned(crop), c.floats("embedding_" + i));
            }
            if (cmp.failure != null) return Outcome.fail(cmp.failure);
            return Outcome.pass(cmp.maxErr);
        }
    }

    /** Element-wise atol + rtol * |expected|, tracking the largest absolute error. */
    private static final class Cmp {
        final double atol, rtol;
        double maxErr;
        String failure;

        Cmp(double atol, double rtol) {
            this.atol = atol;
            this.rtol = rtol;
        }

        void check(String name, float[] got, float[] exp) {
            if (failure != null) return;
            if (got.length != exp.length) {
                failure = name + ": " + got.length + " values, expected " + exp.length;
                return;
            }
            for (int i = 0; i < got.length; i++) {
                double d = Math.abs((double) got[i] - exp[i]);
                if (!(d <= atol + rtol * Math.abs(exp[i]))) {
                    failure = String.format(Locale.ROOT, "%s[%d]: got %.6g, expected %.6g (|diff| %.3g)", name, i, got[i], exp[i], d);
                    return;
                }
                maxErr = Math.max(maxErr, d);
            }
        }
    }
}
