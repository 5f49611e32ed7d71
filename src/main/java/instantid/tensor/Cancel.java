package instantid.tensor;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The cancel check of long work: a per-thread flag that loops poll between steps (never inside a
 * network forward, so nothing is half-computed). Set by the pipeline from its progress listener.
 */
public final class Cancel {

    private static final ThreadLocal<BooleanSupplier> CURRENT = ThreadLocal.withInitial(() -> () -> false);

    private Cancel() {
    }

    /** Runs {@code body} with {@code cancelled} as the thread's cancel flag. */
    public static <T> T with(BooleanSupplier cancelled, java.util.function.Supplier<T> body) {
        BooleanSupplier prev = CURRENT.get();
        CURRENT.set(cancelled == null ? () -> false : cancelled);
        try {
            return body.get();
        } finally {
            CURRENT.set(prev);
        }
    }

    /** Throws {@link CancellationException} when the current work was cancelled. */
    public static void check() {
        if (CURRENT.get().getAsBoolean()) throw new CancellationException("cancelled");
    }
}
