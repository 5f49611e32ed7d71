package instantid.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;

/**
 * Our own seeded normal generator, so the same seed gives the same noise on every device, OS and
 * JVM (torch's generators differ between CPU and CUDA; ours runs in Java and is then copied to the
 * device). Algorithm, fixed forever so saved settings reproduce: {@link SplittableRandom} (SplitMix64)
 * seeded with the seed gives uniform doubles u1, u2 in [0, 1) ({@code nextDouble}: the top 53 bits of
 * the next 64-bit output times 2^-53); Box-Muller with {@link StrictMath} (bit-identical everywhere)
 * turns each pair into r cos(2 pi u2), r sin(2 pi u2) with r = sqrt(-2 ln(1 - u1)), both used in that
 * order, rounded to float32. Values are drawn in row-major order of the requested shape.
 * Not thread-safe; one instance per run.
 */
public final class Rng implements NoiseSource {

    private final long seed;
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** The next standard normal value. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
        double a = 2.0 * StrictMath.PI * u2;
        spare = r * StrictMath.sin(a);
        hasSpare = true;
        return r * StrictMath.cos(a);
    }

    /** {@code n} standard normal floats. */
    public float[] normal(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) nextGaussian();
        return out;
    }

    /** A float32 array of standard normal noise on {@code manager}'s device. */
    public NDArray normal(NDManager manager, Shape shape) {
        long n = shape.size();
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("noise shape too large: " + shape);
        return manager.create(normal((int) n), shape);
    }

    /** Noise shaped and typed like {@code like} (the step index is not used: draws are sequential). */
    @Override
    public NDArray next(NDArray like, int stepIndex) {
        NDArray z = normal(like.getManager(), like.getShape());
        return like.getDataType() == DataType.FLOAT32 ? z : z.toType(like.getDataType(), false);
    }
}
