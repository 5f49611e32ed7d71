package instantid.parity;

import instantid.io.TensorSource;

import java.nio.file.Path;

/** Opens {@code file#part} weight entries (a top-level entry of a torch pickle). */
final class WeightParts {

    private WeightParts() {
    }

    /** The part as a tensor source, or null while no pickle reader is available. */
    static TensorSource open(Path file, String part) {
        return null;
    }
}
