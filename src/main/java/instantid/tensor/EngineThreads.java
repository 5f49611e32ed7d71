package instantid.tensor;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The engine's CPU threads, for the bench's record of what it measured: libtorch's intra-op
 * threads (OMP_NUM_THREADS, or DJL's {@code ai.djl.pytorch.num_threads}, else one per core).
 */
public final class EngineThreads {

    private EngineThreads() {
    }

    /** Intra-op threads of the PyTorch engine, or -1 when another engine runs. */
    public static int intraOp() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) return -1;
        return JniUtils.getNumThreads();
    }
}
