package org.spin.data;

import java.util.SplittableRandom;

/** Draws that {@link SplittableRandom} lacks. */
final class Draws {

    private Draws() {}

    /** Beta(α, α), as the ratio of two Gamma(α) draws. */
    static double beta(SplittableRandom rng, double alpha) {
        double x = gamma(rng, alpha);
        double y = gamma(rng, alpha);
        return x / (x + y);
    }

    /**
     * Gamma(shape, 1) by Marsaglia and Tsang's method ("A Simple Method for Generating Gamma
     * Variables", 2000); a shape under 1 draws Gamma(shape + 1) and scales it by U^(1/shape).
     */
    static double gamma(SplittableRandom rng, double shape) {
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z;
            double v;
            do {
                z = rng.nextGaussian();
                v = 1 + c * z;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * z * z * z * z || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
