package instantid.pipeline;

/**
 * The InstantID pipeline (SDXL + IdentityNet + IP-adapter) — API fixed here, implementation
 * arriving with the networks: load once, generate many times, close to free native memory.
 */
public final class InstantIdPipeline implements AutoCloseable {

    private InstantIdPipeline() {
    }

    /** Loads every model named by {@code paths} on the device/precision of {@code options}. */
    public static InstantIdPipeline load(ModelPaths paths, RuntimeOptions options, Progress progress) {
        throw new UnsupportedOperationException("InstantID pipeline not implemented yet");
    }

    /** Runs one request; cancellable between steps through {@code progress}. */
    public Result generate(InstantIdRequest request, Progress progress) {
        throw new UnsupportedOperationException("InstantID pipeline not implemented yet");
    }

    /** "CPU (PyTorch 2.7.1), fp32" or similar, for Settings and every result's settings. */
    public String deviceDescription() {
        return "unloaded";
    }

    @Override
    public void close() {
    }
}
