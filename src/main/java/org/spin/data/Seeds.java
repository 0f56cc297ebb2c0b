package org.spin.data;

/**
 * Derives independent seeds from a base seed and coordinates such as (epoch, step).
 *
 * <p>Hashing rather than drawing from one shared generator is what makes each batch a pure
 * function of its coordinates: workers can build batches in any order, and a resumed run
 * recreates exactly the data it would have seen.
 */
final class Seeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    static long derive(long seed, long... coordinates) {
        long h = mix(seed + GOLDEN);
        for (long c : coordinates) {
            h = mix(h + GOLDEN + mix(c));
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
