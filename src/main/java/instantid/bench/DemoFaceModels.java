package instantid.bench;

import instantid.io.OnnxWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tiny ONNX face models in insightface's layouts, so a clone of the repository can run
 * {@code generate} end to end without downloading anything. <b>Not face models</b>: the detector
 * ({@code det_demo.onnx}: SCRFD's 9 outputs — scores, boxes, keypoints at strides 8/16/32 with 2
 * anchors — on a fixed 640x640 input) is a patch convolution with small random weights plus a
 * fixed prior, so it reports one face near the centre of its 640x640 canvas whatever the picture
 * shows; the recogniser ({@code rec_demo.onnx}: [1,3,112,112] → [1,512], ArcFace's interface) is
 * a random network. Real faces need the real models (README, {@code models --download}).
 */
public final class DemoFaceModels {

    static final int SIZE = 640;
    static final int[] STRIDES = {8, 16, 32};
    /** Keypoints of the demo face in stride-32 units from the anchor centre: eyes, nose, mouth corners. */
    static final float[] KPS = {-1.2f, -1.0f, 1.2f, -1.0f, 0f, 0.3f, -0.9f, 1.4f, 0.9f, 1.4f};
    static final float BOX = 4f; // half the face size, in stride units

    private DemoFaceModels() {
    }

    /** Writes det_demo.onnx and rec_demo.onnx into {@code folder}. */
    public static void write(Path folder, long seed) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("det_demo.onnx"), detector(seed));
        Files.write(folder.resolve("rec_demo.onnx"), recognizer(seed + 1));
    }

    static byte[] detector(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        OnnxWriter w = new OnnxWriter("scrfd_demo").input("input.1", 1, 3, SIZE, SIZE);
        String[] heads = {"score", "bbox", "kps"};
        int[] widths = {1, 4, 10};
        for (int h = 0; h < 3; h++) {
            for (int s : STRIDES) {
                int k = widths[h], c = 2 * k, cells = SIZE / s;
                String p = heads[h] + "_" + s;
                w.initializer(p + ".w", new long[] {c, 3, s, s}, uniform(r, c * 3 * s * s, 1e-3f));
                float[] bias = new float[c];
                for (int a = 0; a < 2; a++) {
                    for (int j = 0; j < k; j++) bias[a * k + j] = h == 0 ? -10f : h == 1 ? BOX : KPS[j];
                }
                w.initializer(p + ".b", new long[] {c}, bias);
                w.node("Conv", p + ".conv", List.of("input.1", p + ".w", p + ".b"), List.of(p + ".raw"),
                        "kernel_shape", new long[] {s, s}, "strides", new long[] {s, s});
                String last = p + ".raw";
                if (h == 0) {
                    if (s == 32) { // the one face: anchor 0 of the centre cell
                        float[] prior = new float[c * cells * cells];
                        prior[(cells / 2) * cells + cells / 2] = 20f;
                        w.initializer(p + ".prior", new long[] {1, c, cells, cells}, prior);
                        w.node("Add", p + ".add", List.of(last, p + ".prior"), List.of(p + ".logit"));
                        last = p + ".logit";
                    }
                    w.node("Sigmoid", p + ".sigmoid", List.of(last), List.of(p + ".prob"));
                    last = p + ".prob";
                }
                w.node("Transpose", p + ".nhwc", List.of(last), List.of(p + ".t"), "perm", new long[] {0, 2, 3, 1});
                w.initializerInt64(p + ".shape", new long[] {-1, k});
                w.node("Reshape", p + ".reshape", List.of(p + ".t", p + ".shape"), List.of(p));
                w.output(p, (long) cells * cells * 2, k);
            }
        }
        return w.toBytes();
    }

    static byte[] recognizer(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int c = 16;
        return new OnnxWriter("arcface_demo").input("input.1", 1, 3, 112, 112)
                .initializer("conv.w", new long[] {c, 3, 8, 8}, uniform(r, c * 3 * 64, (float) (1 / Math.sqrt(192))))
                .initializer("conv.b", new long[] {c}, uniform(r, c, 0.1f))
                .initializer("fc.w", new long[] {512, c}, uniform(r, 512 * c, 0.25f))
                .initializer("fc.b", new long[] {512}, uniform(r, 512, 0.1f))
                .node("Conv", "conv", List.of("input.1", "conv.w", "conv.b"), List.of("conv"),
                        "kernel_shape", new long[] {8, 8}, "strides", new long[] {8, 8})
                .node("Relu", "relu", List.of("conv"), List.of("relu"))
                .node("GlobalAveragePool", "pool", List.of("relu"), List.of("pool"))
                .node("Flatten", "flatten", List.of("pool"), List.of("flat"), "axis", 1)
                .node("Gemm", "fc", List.of("flat", "fc.w", "fc.b"), List.of("embedding"), "transB", 1)
                .output("embedding", 1, 512)
                .toBytes();
    }

    private static float[] uniform(SplittableRandom r, int n, float a) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1) * a;
        return v;
    }
}
