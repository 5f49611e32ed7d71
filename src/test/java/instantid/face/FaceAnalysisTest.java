package instantid.face;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facade end to end: a synthetic SCRFD network (a face wherever a stride-32 anchor sits on
 * a coloured pixel: score from red, box size from green) drives the real letterbox, decoding,
 * NMS, ROI and choice logic; the real tiny recogniser from the fixtures embeds.
 */
class FaceAnalysisTest {

    static Path models() {
        return FaceFixtures.faceModels();
    }

    /** Outputs of a 9-output SCRFD: face at every stride-32 anchor whose pixel has red > 0. */
    static ScrfdDetector brightSpotDetector() {
        ScrfdDecoder.Layout l = ScrfdDecoder.Layout.forOutputs(9, true);
        return new ScrfdDetector("synthetic-scrfd", l, -1, -1, (blob, w, h) -> {
            List<float[]> outs = new ArrayList<>();
            int hw = w * h;
            float[][] s = new float[3][], b = new float[3][], k = new float[3][];
            for (int lv = 0; lv < 3; lv++) {
                int stride = l.strides()[lv], n = (h / stride) * (w / stride) * 2;
                s[lv] = new float[n];
                b[lv] = new float[n * 4];
                k[lv] = new float[n * 10];
                if (stride != 32) continue;
                for (int a = 0; a < n; a++) {
                    int cell = a / 2, x = (cell % (w / stride)) * stride, y = (cell / (w / stride)) * stride;
                    float red = blob[y * w + x] * 128 + 127.5f, green = blob[hw + y * w + x] * 128 + 127.5f;
                    if (red < 1) continue;
                    s[lv][a] = red / 255f;
                    float d = 0.5f + 2f * green / 255f;
                    for (int j = 0; j < 4; j++) b[lv][a * 4 + j] = d;
                    float[] kp = {-0.3f, -0.3f, 0.3f, -0.3f, 0f, 0f, -0.25f, 0.35f, 0.25f, 0.35f};
                    for (int j = 0; j < 10; j++) k[lv][a * 10 + j] = kp[j] * d;
                }
            }
            for (float[] x : s) outs.add(x);
            for (float[] x : b) outs.add(x);
            for (float[] x : k) outs.add(x);
            return outs;
        });
    }

    /** Black image with filled squares (centre x, centre y, half size, red, green). */
    static RgbImage image(int w, int h, int[]... squares) {
        byte[] p = new byte[w * h * 3];
        for (int[] q : squares) {
            for (int y = Math.max(0, q[1] - q[2]); y < Math.min(h, q[1] + q[2]); y++) {
                for (int x = Math.max(0, q[0] - q[2]); x < Math.min(w, q[0] + q[2]); x++) {
                    p[(y * w + x) * 3] = (byte) q[3];
                    p[(y * w + x) * 3 + 1] = (byte) q[4];
                    p[(y * w + x) * 3 + 2] = (byte) 90;
                }
            }
        }
        return new RgbImage(w, h, p);
    }

    FaceAnalysis synthetic(List<String> log) {
        return new FaceAnalysis(brightSpotDetector(), new ArcFace(models().resolve("rec_tiny.onnx"), Device.CPU, log::add), log::add);
    }

    @Test
    void noFaceGivesAMessageNamingTheImage() {
        List<String> log = new ArrayList<>();
        try (FaceAnalysis fa = synthetic(log)) {
            RgbImage black = RgbImage.zeros(640, 480);
            assertTrue(fa.detect(black, DetectOptions.defaults()).isEmpty());
            NoFaceException e = assertThrows(NoFaceException.class, () -> fa.chooseFace(black, "portrait.png", DetectOptions.defaults()));
            assertTrue(e.getMessage().contains("portrait.png") && e.getMessage().contains("lower threshold"), e.getMessage());
            DetectOptions roi = DetectOptions.defaults().withRoi(new DetectOptions.Rect(10, 10, 50, 50));
            NoFaceException e2 = assertThrows(NoFaceException.class, () -> fa.chooseFace(black, "portrait.png", roi));
            assertTrue(e2.getMessage().contains("larger ROI"), e2.getMessage());
        }
    }

    @Test
    void manyFacesTheLargestIsChosenAndLogged() {
        List<String> log = new ArrayList<>();
        try (FaceAnalysis fa = synthetic(log)) {
            // 640x480: det_scale 1, anchors at multiples of 32; bright-red small, dim-red big
            RgbImage img = image(640, 480, new int[] {96, 96, 10, 250, 0}, new int[] {320, 256, 10, 120, 250},
                    new int[] {544, 384, 10, 200, 100});
            List<Face> faces = fa.detect(img, DetectOptions.defaults().withThreshold(0.3f));
            assertEquals(3, faces.size());
            assertTrue(faces.get(0).score() >= faces.get(1).score() && faces.get(1).score() >= faces.get(2).score());
            assertEquals(96, faces.get(0).centerX(), 1e-3);
            Face chosen = fa.chooseFace(img, "group.png", DetectOptions.defaults().withThreshold(0.3f));
            assertEquals(320, chosen.centerX(), 1e-3);
            assertEquals(256, chosen.centerY(), 1e-3);
            assertNotNull(chosen.embedding());
            assertEquals(fa.recognizer().embeddingSize(), chosen.embedding().length);
            assertTrue(log.stream().anyMatch(s -> s.contains("3 faces") && s.contains("group.png") && s.contains("largest")), log.toString());
            // the threshold drops the dim face
            assertEquals(2, fa.detect(img, DetectOptions.defaults().withThreshold(0.6f)).size());
            // max_num keeps the best by the area / centre metric
            assertEquals(1, fa.detect(img, DetectOptions.defaults().withThreshold(0.3f).withMaxNum(1)).size());
            // analyze embeds every face; the same face twice gives similarity 1
            List<Face> all = fa.analyze(img, DetectOptions.defaults().withThreshold(0.3f));
            assertEquals(3, all.size());
            Face same = all.stream().filter(x -> Math.abs(x.centerX() - 320) < 1e-3).findFirst().orElseThrow();
            assertEquals(1.0, Faces.cosineSimilarity(same.embedding(), chosen.embedding()), 1e-6);
            Face other = all.stream().filter(x -> Math.abs(x.centerX() - 96) < 1e-3).findFirst().orElseThrow();
            assertTrue(Faces.cosineSimilarity(other.embedding(), chosen.embedding()) < 1 - 1e-6);
        }
    }

    @Test
    void roiPicksTheFaceInsideItEvenAtTheImageBorder() {
        List<String> log = new ArrayList<>();
        try (FaceAnalysis fa = synthetic(log)) {
            // big face in the middle, small one in the bottom-right corner, cut by the border
            RgbImage img = image(640, 480, new int[] {320, 224, 40, 200, 250}, new int[] {620, 460, 30, 220, 10});
            Face whole = fa.chooseFace(img, "x", DetectOptions.defaults().withThreshold(0.3f));
            assertTrue(Math.abs(whole.centerX() - 320) < 40, whole.toString());
            DetectOptions.Rect corner = new DetectOptions.Rect(590, 430, 80, 80); // reaches past the border
            Face f = fa.chooseFace(img, "x", DetectOptions.defaults().withThreshold(0.3f).withRoi(corner));
            assertTrue(corner.contains(f.centerX(), f.centerY()), f.toString());
            assertTrue(f.centerX() > 580 && f.centerY() > 420, "mapped back to image coordinates: " + f);
            for (int i = 0; i < 10; i += 2) {
                assertTrue(Math.abs(f.kps()[i] - f.centerX()) < f.width() && Math.abs(f.kps()[i + 1] - f.centerY()) < f.height());
            }
            assertThrows(IllegalArgumentException.class, () -> fa.detect(img,
                    DetectOptions.defaults().withRoi(new DetectOptions.Rect(2000, 2000, 10, 10), 0)));
        }
    }

    @Test
    void largestFollowsTheAppsSort() {
        Face a = new Face(0, 0, 10, 10, 0.9f, null, null), b = new Face(0, 0, 20, 5, 0.5f, null, null),
                c = new Face(0, 0, 11, 10, 0.1f, null, null);
        assertSame(c, FaceAnalysis.largest(List.of(a, b, c)));
        assertSame(a, FaceAnalysis.largest(List.of(b, a))); // equal areas: the later one
        assertSame(b, FaceAnalysis.largest(List.of(a, b)));
        assertThrows(NoFaceException.class, () -> FaceAnalysis.largest(List.of()));
    }

    @Test
    void recognizerGivenAsDetectorIsNamed() {
        Path rec = models().resolve("rec_tiny.onnx");
        FaceModelException e = assertThrows(FaceModelException.class, () -> new ScrfdDetector(rec, Device.CPU, s -> { }));
        assertTrue(e.getMessage().contains("rec_tiny.onnx") && e.getMessage().contains("recognizer")
                && e.getMessage().contains("6, 9, 10 or 15 outputs"), e.getMessage());
        Path det = models().resolve("det_tiny.onnx");
        FaceModelException e2 = assertThrows(FaceModelException.class, () -> new ArcFace(det, Device.CPU, s -> { }));
        assertTrue(e2.getMessage().contains("det_tiny.onnx") && e2.getMessage().contains("detector"), e2.getMessage());
        assertThrows(FaceModelException.class, () -> new FaceAnalysis(rec, det));
    }

    @Test
    void corruptAndMissingFilesAreNamed(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("broken.onnx");
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Files.write(bad, junk);
        FaceModelException e = assertThrows(FaceModelException.class, () -> new ScrfdDetector(bad, Device.CPU, s -> { }));
        assertTrue(e.getMessage().contains("broken.onnx"), e.getMessage());
        FaceModelException e2 = assertThrows(FaceModelException.class, () -> new ArcFace(bad, Device.CPU, s -> { }));
        assertTrue(e2.getMessage().contains("broken.onnx"), e2.getMessage());
        // a truncated real model
        byte[] rec = Files.readAllBytes(models().resolve("rec_tiny.onnx"));
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(rec, rec.length / 3));
        FaceModelException e3 = assertThrows(FaceModelException.class, () -> new ArcFace(cut, Device.CPU, s -> { }));
        assertTrue(e3.getMessage().contains("cut.onnx"), e3.getMessage());
        FaceModelException e4 = assertThrows(FaceModelException.class,
                () -> new ScrfdDetector(tmp.resolve("nothere.onnx"), Device.CPU, s -> { }));
        assertTrue(e4.getMessage().contains("nothere.onnx") && e4.getMessage().contains("not found"), e4.getMessage());
    }

    @Test
    void sessionsCloseOnceAndRefuseWorkAfterwards() {
        FaceAnalysis fa = new FaceAnalysis(models().resolve("det_tiny.onnx"), models().resolve("rec_tiny.onnx"));
        assertFalse(fa.isClosed());
        fa.close();
        assertTrue(fa.isClosed() && fa.detector().isClosed() && fa.recognizer().isClosed());
        fa.close(); // idempotent
        RgbImage img = RgbImage.zeros(64, 64);
        assertThrows(IllegalStateException.class, () -> fa.detect(img, DetectOptions.defaults()));
        assertThrows(IllegalStateException.class, () -> fa.recognizer().embedAligned(RgbImage.zeros(112, 112)));
    }

    @Test
    void cudaRequestFallsBackToCpuWithAMessage() {
        List<String> log = new ArrayList<>();
        try (FaceAnalysis fa = new FaceAnalysis(models().resolve("det_tiny.onnx"), models().resolve("rec_tiny.onnx"),
                Device.CUDA, log::add)) {
            // the CPU build of ONNX Runtime has no CUDA provider: the models still open and run
            assertEquals(fa.recognizer().embeddingSize(), fa.recognizer().embedAligned(RgbImage.zeros(112, 112)).length);
            boolean cuda = ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
            if (!cuda) assertFalse(log.isEmpty(), "no fallback message although this ONNX Runtime has no CUDA");
            assertTrue(log.stream().allMatch(s -> s.startsWith("CUDA not available, using CPU")), log.toString());
        }
    }
}
