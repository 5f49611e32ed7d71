package instantid.face;

import instantid.parity.FaceAnalysisCaseAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resize, alignment, the ONNX node reader and the fixture. */
class ImageOpsTest {

    static RgbImage grey(int w, int h, int... values) {
        byte[] p = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) for (int c = 0; c < 3; c++) p[i * 3 + c] = (byte) values[i];
        return new RgbImage(w, h, p);
    }

    @Test
    void resizeMatchesOpenCvFixedPoint() {
        // cv2.resize(np.array([[0, 255]], np.uint8), (4, 1)) == [[0, 64, 191, 255]] (true values 63.75, 191.25)
        RgbImage r = grey(2, 1, 0, 255).resize(4, 1);
        assertArrayEquals(new int[] {0, 64, 191, 255}, new int[] {r.get(0, 0, 0), r.get(1, 0, 1), r.get(2, 0, 2), r.get(3, 0, 0)});
        // downscale by 2 averages pairs (centre mapping), constant stays constant
        RgbImage d = grey(4, 1, 10, 20, 30, 40).resize(2, 1);
        assertEquals(15, d.get(0, 0, 0));
        assertEquals(35, d.get(1, 0, 0));
        RgbImage c = grey(3, 3, 7, 7, 7, 7, 7, 7, 7, 7, 7).resize(5, 4);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 5; x++) assertEquals(7, c.get(x, y, 1));
    }

    @Test
    void cropAndPadKeepPixels() {
        RgbImage g = grey(3, 2, 1, 2, 3, 4, 5, 6);
        RgbImage cr = g.crop(1, -5, 10, 10);
        assertEquals(2, cr.width());
        assertEquals(6, cr.get(1, 1, 0));
        RgbImage p = g.padTo(4, 3);
        assertEquals(6, p.get(2, 1, 2));
        assertEquals(0, p.get(3, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> g.crop(5, 5, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[5]));
    }

    @Test
    void similarityRecoversAKnownTransformAndNeverReflects() {
        double[] dst = FaceAlign.template(112);
        // keypoints = inverse of (scale 0.5, rotation 30°, translation) applied to the template
        double s = 0.5, a = Math.toRadians(30), tx = 12, ty = -7;
        float[] kps = new float[10];
        for (int i = 0; i < 5; i++) {
            double x = dst[2 * i] - tx, y = dst[2 * i + 1] - ty;
            kps[2 * i] = (float) ((Math.cos(a) * x + Math.sin(a) * y) / s);
            kps[2 * i + 1] = (float) ((-Math.sin(a) * x + Math.cos(a) * y) / s);
        }
        double[] m = FaceAlign.estimateNorm(kps, 112);
        assertArrayEquals(new double[] {s * Math.cos(a), -s * Math.sin(a), tx, s * Math.sin(a), s * Math.cos(a), ty}, m, 1e-4);
        // mirrored keypoints: the best similarity is still a proper rotation (det > 0)
        float[] mirrored = kps.clone();
        for (int i = 0; i < 10; i += 2) mirrored[i] = -mirrored[i];
        double[] r = FaceAlign.estimateNorm(mirrored, 112);
        assertTrue(r[0] * r[4] - r[1] * r[3] > 0);
        assertThrows(IllegalArgumentException.class, () -> FaceAlign.estimateNorm(new float[8], 112));
        assertThrows(IllegalArgumentException.class, () -> FaceAlign.template(100));
    }

    @Test
    void warpAffineIdentityShiftAndBorder() {
        RgbImage g = grey(4, 4, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150);
        RgbImage same = FaceAlign.warpAffine(g, new double[] {1, 0, 0, 0, 1, 0}, 4, 4);
        assertArrayEquals(g.rgb(), same.rgb());
        // dst(x, y) = src(x + 1, y): M maps src to dst, so translation -1; the last column is border (black)
        RgbImage shifted = FaceAlign.warpAffine(g, new double[] {1, 0, -1, 0, 1, 0}, 4, 4);
        assertEquals(g.get(1, 2, 0), shifted.get(0, 2, 0));
        assertEquals(0, shifted.get(3, 1, 0), "outside the image is black");
        // half a pixel: the average of neighbours (OpenCV: (a + b) / 2 rounded half up in fixed point)
        RgbImage half = FaceAlign.warpAffine(g, new double[] {1, 0, -0.5, 0, 1, 0}, 4, 4);
        assertEquals(45, half.get(0, 1, 0));
    }

    @Test
    void firstNodesAreReadFromTheProtobuf(@TempDir Path tmp) throws IOException {
        // ModelProto { ir_version=7, producer_name="x", graph { name="g", node{name,op}, node{...} } }
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        field(graph, 2, "g".getBytes(StandardCharsets.UTF_8));
        field(graph, 1, node("_minus0", "Sub"));
        field(graph, 1, node("_mul0", "Mul"));
        field(graph, 1, node("conv0", "Conv"));
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        model.write(new byte[] {0x08, 0x07});
        field(model, 2, "x".getBytes(StandardCharsets.UTF_8));
        field(model, 7, graph.toByteArray());
        Path f = tmp.resolve("m.onnx");
        Files.write(f, model.toByteArray());
        List<OnnxGraph.Node> nodes = OnnxGraph.firstNodes(f, 8);
        assertEquals(List.of(new OnnxGraph.Node("_minus0", "Sub"), new OnnxGraph.Node("_mul0", "Mul"),
                new OnnxGraph.Node("conv0", "Conv")), nodes);
        assertEquals(2, OnnxGraph.firstNodes(f, 2).size());
        assertArrayEquals(new float[] {0, 1}, ArcFace.normalisation(nodes));
        assertArrayEquals(new float[] {127.5f, 127.5f}, ArcFace.normalisation(nodes.subList(1, 3)));
        // truncated file: a clear error naming it
        byte[] all = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 5));
        FaceModelException e = assertThrows(FaceModelException.class, () -> OnnxGraph.firstNodes(cut, 8));
        assertTrue(e.getMessage().contains("cut.onnx"), e.getMessage());
    }

    @Test
    void realRecognizerGraphIsReadAndNormalisationChosen() {
        Path rec = FaceFixtures.faceModels().resolve("rec_tiny.onnx");
        List<OnnxGraph.Node> nodes = OnnxGraph.firstNodes(rec, 8);
        assertTrue(!nodes.isEmpty() && nodes.stream().allMatch(n -> !n.opType().isEmpty()), nodes.toString());
        try (ArcFace a = new ArcFace(rec, Device.CPU, s -> { })) {
            assertEquals(127.5f, a.inputMean());
            assertEquals(112, a.inputSize());
        }
    }

    @Test
    void fixtureCasePasses() {
        String line = FaceAnalysisCaseAccess.runFixture(FaceFixtures.faceModels());
        assertTrue(line.startsWith("PASS face_analysis"), line);
    }

    @Test
    void cosineSimilarity() {
        assertEquals(1.0, Faces.cosineSimilarity(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
        assertEquals(0.0, Faces.cosineSimilarity(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
        assertEquals(-1.0, Faces.cosineSimilarity(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Faces.cosineSimilarity(new float[2], new float[3]));
    }

    static byte[] node(String name, String op) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        field(b, 1, "in".getBytes(StandardCharsets.UTF_8));
        field(b, 3, name.getBytes(StandardCharsets.UTF_8));
        field(b, 4, op.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    static void field(ByteArrayOutputStream out, int number, byte[] data) throws IOException {
        varint(out, (number << 3) | 2);
        varint(out, data.length);
        out.write(data);
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
