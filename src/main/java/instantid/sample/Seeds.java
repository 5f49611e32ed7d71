package instantid.sample;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one rule for noise seeds: a seed is a whole number in {@code [0, 2^48)} (exact in a double, so
 * it survives an ImageJ dialog field and a JSON number); a negative seed asks for a random one, drawn
 * uniformly from that range. The pipelines, the CLI's options and the Fiji commands all use it.
 */
public final class Seeds {

    /** The first seed that is too large: seeds are below 2^48. */
    public static final long BOUND = 1L << 48;
    /** The largest seed. */
    public static final long MAX = BOUND - 1;

    private Seeds() {
    }

    /** A random seed, uniform in {@code [0, 2^48)}. */
    public static long random() {
        return ThreadLocalRandom.current().nextLong(0, BOUND);
    }

    /**
     * A random first seed of {@code count} consecutive ones (a sweep's seed, seed+1, ...), so that the
     * last is still a seed.
     */
    public static long randomFirst(int count) {
        return ThreadLocalRandom.current().nextLong(0, BOUND - Math.max(1, count) + 1);
    }

    /** {@code seed} itself when it is one, else (negative: "random") a random seed. */
    public static long resolve(long seed) {
        return seed >= 0 ? seed : random();
    }

    /** Whether {@code seed} is a seed (not the "random" request, not too large). */
    public static boolean valid(long seed) {
        return seed >= 0 && seed <= MAX;
    }
}
