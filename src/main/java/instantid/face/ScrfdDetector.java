package instantid.face;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * insightface's SCRFD face detector ({@code model_zoo/scrfd.py}) on an ONNX Runtime session:
 * letterbox resize into the detector's input, {@code (x - 127.5) / 128} in RGB order, decoding of
 * the 6 / 9 / 10 / 15 output layouts (batched or not), NMS, back to image coordinates.
 */
public final class ScrfdDetector implements AutoCloseable {

    /** insightface's default when the model's input size is dynamic. */
    public static final int DEFAULT_SIZE = 640;
    public static final float INPUT_MEAN = 127.5f, INPUT_STD = 128.0f;

    /** The network as a function: NCHW blob of 1 x 3 x h x w in, the outputs flattened out. */
    interface Net {
        List<float[]> run(float[] blob, int width, int height);
    }

    private final Path file;
    private OrtSession session;
    private final Net net;
    private final String inputName;
    private final List<String> outputNames;
    private final ScrfdDecoder.Layout layout;
    private final int staticWidth, staticHeight;

    public ScrfdDetector(Path file, Device device, Consumer<String> log) {
        this.file = file;
        this.session = OnnxModels.open(file, device, log);
        try {
            Map<String, NodeInfo> in = session.getInputInfo();
            List<long[]> outShapes = OnnxModels.outputShapes(session);
            long[] inShape = in.isEmpty() ? new long[0] : OnnxModels.shape(in.values().iterator().next());
            int n = outShapes.size();
            if (in.size() != 1 || inShape.length != 4 || (n != 6 && n != 9 && n != 10 && n != 15)) {
                throw new FaceModelException(file + ": not an SCRFD face detector — expected 1 image input [1, 3, H, W] "
                        + "and 6, 9, 10 or 15 outputs (scores, boxes[, keypoints] per stride), found "
                        + OnnxModels.describe(session)
                        + (n == 1 ? " (this looks like a recognizer; give it as the recognizer)" : ""));
            }
            this.inputName = in.keySet().iterator().next();
            this.outputNames = new ArrayList<>(session.getOutputInfo().keySet());
            this.layout = ScrfdDecoder.Layout.forOutputs(n, outShapes.get(0).length == 3);
            this.staticWidth = inShape[3] > 0 ? (int) inShape[3] : -1;
            this.staticHeight = inShape[2] > 0 ? (int) inShape[2] : -1;
            this.net = this::runSession;
        } catch (OrtException e) {
            close();
            throw new FaceModelException(file + ": cannot read the model's inputs/outputs (" + OnnxModels.firstLine(e) + ")", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A detector over any network function (tests use synthetic ones); no session to close. */
    ScrfdDetector(String name, ScrfdDecoder.Layout layout, int staticWidth, int staticHeight, Net net) {
        this.file = Path.of(name);
        this.layout = layout;
        this.staticWidth = staticWidth;
        this.staticHeight = staticHeight;
        this.net = net;
        this.inputName = null;
        this.outputNames = List.of();
    }

    public Path file() {
        return file;
    }

    public ScrfdDecoder.Layout layout() {
        return layout;
    }

    /** True when the detector has keypoint outputs (needed for alignment). */
    public boolean hasKeypoints() {
        return layout.useKps();
    }

    /** The input size used: the model's own when fixed, else {@code requested} (width, height). */
    public int[] inputSize(int[] requested) {
        if (staticWidth > 0 && staticHeight > 0) return new int[] {staticWidth, staticHeight};
        if (requested != null && requested.length == 2 && requested[0] > 0 && requested[1] > 0) return requested.clone();
        return new int[] {DEFAULT_SIZE, DEFAULT_SIZE};
    }

    /**
     * {@code SCRFD.detect(img, input_size, max_num, metric)}: detections in image coordinates,
     * best first (or ranked by the max_num metric when it cut).
     */
    public List<ScrfdDecoder.Detection> detect(RgbImage img, int[] detSize, float threshold, float nmsThresh,
                                               int maxNum, boolean areaOnlyMetric) {
        if (closed) throw new IllegalStateException(file + ": detector already closed");
        int[] size = inputSize(detSize);
        int iw = size[0], ih = size[1];
        // _detect_candidates: keep aspect ratio, top-left on a black canvas
        double imRatio = (double) img.height() / img.width();
        double modelRatio = (double) ih / iw;
        int newW, newH;
        if (imRatio > modelRatio) {
            newH = ih;
            newW = (int) (newH / imRatio);
        } else {
            newW = iw;
            newH = (int) (newW * imRatio);
        }
        newW = Math.max(1, newW);
        newH = Math.max(1, newH);
        double detScale = (double) newH / img.height();
        RgbImage canvas = img.resize(newW, newH).padTo(iw, ih);
        List<float[]> outs = run(canvas);
        List<ScrfdDecoder.Detection> cands = ScrfdDecoder.candidates(layout, outs, iw, ih, threshold, detScale);
        // detect() sorts the candidates of all input sizes once more before NMS
        List<ScrfdDecoder.Detection> kept = ScrfdDecoder.nms(ScrfdDecoder.argsortDescending(cands), nmsThresh);
        return ScrfdDecoder.limit(kept, maxNum, img.width(), img.height(), areaOnlyMetric);
    }

    /** blobFromImage(swapRB=True): our pixels are already RGB, so plain planar (x - mean) / std. */
    private List<float[]> run(RgbImage canvas) {
        int w = canvas.width(), h = canvas.height(), hw = w * h;
        float[] blob = new float[3 * hw];
        byte[] p = canvas.rgb();
        float inv = (float) (1.0 / INPUT_STD);
        for (int i = 0; i < hw; i++) {
            for (int c = 0; c < 3; c++) blob[c * hw + i] = ((p[i * 3 + c] & 0xff) - INPUT_MEAN) * inv;
        }
        return net.run(blob, w, h);
    }

    private List<float[]> runSession(float[] blob, int w, int h) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(blob), new long[] {1, 3, h, w});
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            List<float[]> outs = new ArrayList<>();
            for (String name : outputNames) {
                OnnxValue v = r.get(name).orElseThrow();
                FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
                float[] a = new float[fb.remaining()];
                fb.get(a);
                outs.add(a);
            }
            return outs;
        } catch (OrtException e) {
            throw new FaceModelException(file + ": detector failed on a " + w + "x" + h + " input ("
                    + OnnxModels.firstLine(e) + ")", e);
        }
    }

    /** Closes the session; calling it again does nothing. */
    @Override
    public synchronized void close() {
        closed = true;
        OnnxModels.close(session);
        session = null;
    }

    public boolean isClosed() {
        return closed;
    }

    private volatile boolean closed;

    @Override
    public String toString() {
        return "SCRFD " + file.getFileName() + " " + layout.outputs() + " outputs, strides "
                + Arrays.toString(layout.strides()) + ", " + layout.anchors() + " anchor(s)";
    }
}
