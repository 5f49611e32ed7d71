package instantid.common;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The "stop now" of long work, passed down explicitly to every loop that may stop between its
 * steps (the sampler's steps, the VAE's tiles, a download's chunks): never inside a network
 * forward, so nothing is half-computed. The front end decides what cancelling means (Esc in
 * ImageJ, Ctrl-C in the CLI) and hands the pipeline a token that asks it.
 */
public final class CancelToken {

    /** Work that cannot be cancelled. */
    public static final CancelToken NONE = new CancelToken(() -> false);

    private final BooleanSupplier asked;

    private CancelToken(BooleanSupplier asked) {
        this.asked = asked;
    }

    /** A token that is cancelled whenever {@code asked} says so (polled, never cached). */
    public static CancelToken of(BooleanSupplier asked) {
        return asked == null ? NONE : new CancelToken(asked);
    }

    /** Whether the work should stop. */
    public boolean isCancelled() {
        return asked.getAsBoolean();
    }

    /** Throws {@link CancellationException} when the work should stop; called between steps. */
    public void check() {
        if (asked.getAsBoolean()) throw new CancellationException("cancelled");
    }
}
