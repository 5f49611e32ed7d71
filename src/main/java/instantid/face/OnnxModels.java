package instantid.face;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Opening ONNX Runtime sessions for the face models, with errors that name the file. */
final class OnnxModels {

    private OnnxModels() {
    }

    /**
     * A session on {@code device}. CUDA that cannot be added (no GPU build of ONNX Runtime, no
     * driver) is reported through {@code log} as "CUDA not available, using CPU".
     */
    static OrtSession open(Path file, Device device, Consumer<String> log) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new FaceModelException("face model file not found: " + file);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (device == Device.CUDA) {
                try {
                    opts.addCUDA(0);
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    log.accept("CUDA not available, using CPU (" + firstLine(e) + ")");
                }
            }
            return env.createSession(file.toString(), opts);
        } catch (OrtException e) {
            throw new FaceModelException(file + ": not a usable ONNX model (" + firstLine(e) + ")", e);
        }
    }

    /** Closes quietly (close is called from close() methods that must not throw). */
    static void close(OrtSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (OrtException | RuntimeException e) {
            // already closed or the environment is gone: nothing left to free
        }
    }

    /** The shape of each output, in the model's order. */
    static List<long[]> outputShapes(OrtSession s) throws OrtException {
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : s.getOutputInfo().entrySet()) out.add(shape(e.getValue()));
        return out;
    }

    static long[] shape(NodeInfo n) {
        return n.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
    }

    /** "1 output [1, 512]" style summary for error messages. */
    static String describe(OrtSession s) {
        try {
            StringBuilder b = new StringBuilder();
            b.append(s.getNumInputs()).append(" input(s) ");
            for (NodeInfo n : s.getInputInfo().values()) b.append(Arrays.toString(shape(n))).append(' ');
            b.append("and ").append(s.getNumOutputs()).append(" output(s)");
            int shown = 0;
            for (NodeInfo n : s.getOutputInfo().values()) {
                if (shown++ == 4) { b.append(" ..."); break; }
                b.append(' ').append(Arrays.toString(shape(n)));
            }
            return b.toString();
        } catch (OrtException e) {
            return "(I/O not readable: " + firstLine(e) + ")";
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
