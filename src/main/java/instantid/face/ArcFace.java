package instantid.face;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * insightface's ArcFaceONNX recogniser: {@code norm_crop} to the model's input size, RGB planes
 * normalised by (x - mean) / std, the raw (not normalised) embedding. mean/std are chosen as
 * insightface does: 0 / 1 when one of the graph's first 8 nodes is named Sub* / _minus* and one
 * Mul* / _mul* (mxnet exports that normalise inside the graph), else 127.5 / 127.5.
 */
public final class ArcFace implements AutoCloseable {

    private final Path file;
    private OrtSession session;
    private final String inputName;
    private final int inputSize;
    private final int embeddingSize;
    private final float inputMean, inputStd;

    public ArcFace(Path file, Device device, Consumer<String> log) {
        this.file = file;
        float[] ms = normalisation(OnnxGraph.firstNodes(file, 8));
        this.inputMean = ms[0];
        this.inputStd = ms[1];
        this.session = OnnxModels.open(file, device, log);
        try {
            Map<String, NodeInfo> in = session.getInputInfo();
            List<long[]> outs = OnnxModels.outputShapes(session);
            long[] inShape = in.size() == 1 ? OnnxModels.shape(in.values().iterator().next()) : new long[0];
            long[] outShape = outs.size() == 1 ? outs.get(0) : new long[0];
            boolean ok = inShape.length == 4 && inShape[1] == 3 && inShape[2] > 0 && inShape[2] == inShape[3]
                    && outShape.length == 2 && outShape[1] > 0;
            if (!ok) {
                throw new FaceModelException(file + ": not an ArcFace recognizer — expected 1 input [1, 3, S, S] "
                        + "(S = 112) and 1 output [1, D] (the embedding), found " + OnnxModels.describe(session)
                        + (outs.size() >= 6 ? " (this looks like a detector; give it as the detector)" : ""));
            }
            this.inputName = in.keySet().iterator().next();
            this.inputSize = (int) inShape[2];
            this.embeddingSize = (int) outShape[1];
            FaceAlign.template(inputSize); // rejects sizes norm_crop cannot align to
        } catch (OrtException e) {
            close();
            throw new FaceModelException(file + ": cannot read the model's inputs/outputs (" + OnnxModels.firstLine(e) + ")", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** insightface's mean/std rule over the first graph nodes: {mean, std}. */
    static float[] normalisation(List<OnnxGraph.Node> firstNodes) {
        boolean sub = false, mul = false;
        for (OnnxGraph.Node n : firstNodes) {
            if (n.name().startsWith("Sub") || n.name().startsWith("_minus")) sub = true;
            if (n.name().startsWith("Mul") || n.name().startsWith("_mul")) mul = true;
        }
        return sub && mul ? new float[] {0f, 1f} : new float[] {127.5f, 127.5f};
    }

    public Path file() {
        return file;
    }

    public int inputSize() {
        return inputSize;
    }

    public int embeddingSize() {
        return embeddingSize;
    }

    public float inputMean() {
        return inputMean;
    }

    public float inputStd() {
        return inputStd;
    }

    /** The aligned crop the recogniser sees for keypoints {@code kps}. */
    public RgbImage align(RgbImage img, float[] kps) {
        return FaceAlign.normCrop(img, kps, inputSize);
    }

    /** The raw embedding of the face with keypoints {@code kps} in {@code img}. */
    public float[] embed(RgbImage img, float[] kps) {
        return embedAligned(align(img, kps));
    }

    /** The raw embedding of an already aligned {@code inputSize x inputSize} crop. */
    public float[] embedAligned(RgbImage crop) {
        if (session == null) throw new IllegalStateException(file + ": recognizer already closed");
        if (crop.width() != inputSize || crop.height() != inputSize) {
            throw new IllegalArgumentException("aligned crop is " + crop.width() + "x" + crop.height() + ", the recognizer "
                    + file.getFileName() + " takes " + inputSize + "x" + inputSize);
        }
        int hw = inputSize * inputSize;
        float[] blob = new float[3 * hw];
        byte[] p = crop.rgb();
        float inv = (float) (1.0 / inputStd);
        for (int i = 0; i < hw; i++) {
            for (int c = 0; c < 3; c++) blob[c * hw + i] = ((p[i * 3 + c] & 0xff) - inputMean) * inv;
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(blob), new long[] {1, 3, inputSize, inputSize});
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] e = new float[fb.remaining()];
            fb.get(e);
            return e;
        } catch (OrtException e) {
            throw new FaceModelException(file + ": recognizer failed (" + OnnxModels.firstLine(e) + ")", e);
        }
    }

    /** Closes the session; calling it again does nothing. */
    @Override
    public synchronized void close() {
        OnnxModels.close(session);
        session = null;
    }

    public boolean isClosed() {
        return session == null;
    }
}
