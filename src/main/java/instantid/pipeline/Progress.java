package instantid.pipeline;

/**
 * What long work reports while it runs: status lines (model loading, ...), each denoising step
 * with an optional cheap preview, and a cancel flag polled between steps. Every method has a
 * no-op default so callers implement only what they show.
 */
public interface Progress {

    Progress NONE = new Progress() {
    };

    /** A phase of work ("loading UNet", "decoding image 2/4", ...). */
    default void status(String message) {
    }

    /** Called after step {@code step} (1-based) of {@code total}; {@code preview} may be null. */
    default void step(int image, int step, int total, Preview preview) {
    }

    /** Whether the caller wants previews (computing one costs a little per step). */
    default boolean wantsPreview() {
        return false;
    }

    /** Polled between steps; true stops the run with a CancellationException. */
    default boolean cancelled() {
        return false;
    }
}
