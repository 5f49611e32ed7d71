package instantid.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import instantid.common.UserException;

/**
 * DoRA's weight decomposition, merged: {@code W' = m * V / ||V||} with {@code V = W + dW}. peft
 * ({@code lora_magnitude_vector}, one value per output) normalises each output row over every
 * other axis; LyCORIS files may instead hold one value per input ({@code dora_scale} of shape
 * {@code [1, in, ...]}, its {@code wd_on_out=False}), normalising each input column over every
 * other axis. A magnitude of any other size is refused: applying it some other way would be wrong.
 */
final class DoraMerge {

    private DoraMerge() {
    }

    /** {@code merged} is V in float32 (the weight's shape); returns m * V / ||V||. */
    static NDArray apply(NDArray merged, NDArray magnitude, String what, String weightName) {
        Shape s = merged.getShape();
        long out = s.get(0), in = s.dimension() > 1 ? s.get(1) : 1;
        int rank = s.dimension();
        long[] keep = new long[rank];
        java.util.Arrays.fill(keep, 1);
        if (magnitude.size() == out && (magnitude.getShape().dimension() <= 1 || magnitude.getShape().get(0) == out)) {
            keep[0] = out;
            int[] axes = range(1, rank);
            NDArray norm = axes.length == 0 ? merged.abs() : merged.square().sum(axes, true).sqrt();
            return merged.mul(magnitude.reshape(new Shape(keep)).div(norm));
        }
        if (rank > 1 && magnitude.size() == in && magnitude.getShape().dimension() > 1 && magnitude.getShape().get(1) == in) {
            keep[1] = in;
            int[] axes = new int[rank - 1];
            axes[0] = 0;
            for (int i = 2; i < rank; i++) axes[i - 1] = i;
            NDArray norm = merged.square().sum(axes, true).sqrt();
            return merged.mul(magnitude.reshape(new Shape(keep)).div(norm));
        }
        throw new UserException("DoRA magnitude " + what + " has shape " + magnitude.getShape() + ", which fits neither the "
                + out + " outputs nor the " + in + " inputs of " + weightName + " " + s
                + ": the file is damaged or made for another model; leave it out");
    }

    private static int[] range(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
