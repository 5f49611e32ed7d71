package instantid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes every NDArray created inside it except those {@link #keep kept}; kept arrays pass to the
 * enclosing scope, if any. One scope per denoising step keeps native memory flat:
 *
 * <pre>try (Scope s = new Scope()) { x = s.keep(step(x)); }</pre>
 */
public final class Scope implements AutoCloseable {

    private static final ThreadLocal<Boolean> FLAT = ThreadLocal.withInitial(() -> false);

    private final NDScope scope = new NDScope();

    /**
     * Runs {@code body} with {@link #run} not opening scopes of its own, so that one enclosing
     * {@link NDScope} sees every array created (the benchmark counts a forward's ops this way).
     */
    public static <T> T flat(java.util.function.Supplier<T> body) {
        boolean prev = FLAT.get();
        FLAT.set(true);
        try {
            return body.get();
        } finally {
            FLAT.set(prev);
        }
    }
    private final List<NDArray> kept = new ArrayList<>();

    public NDArray keep(NDArray a) {
        NDScope.unregister(a);
        kept.add(a);
        return a;
    }

    public NDList keep(NDList l) {
        for (NDArray a : l) keep(a);
        return l;
    }

    /**
     * Runs {@code body} in its own scope and keeps only its result: the intermediates of a block
     * are freed as soon as the block returns (at 1024 px an SDXL forward would otherwise hold
     * every activation of the whole network at once). The result must be a new array, not one
     * of the body's inputs.
     */
    public static NDArray run(java.util.function.Supplier<NDArray> body) {
        if (FLAT.get()) return body.get();
        try (Scope s = new Scope()) {
            return s.keep(body.get());
        }
    }

    @Override
    public void close() {
        scope.close();
        for (NDArray a : kept) NDScope.register(a);
    }
}
