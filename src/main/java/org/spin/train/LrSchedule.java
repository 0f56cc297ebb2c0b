package org.spin.train;

import org.spin.SpinException;

/** Learning rate as a pure function of training progress in fractional epochs. */
public interface LrSchedule {

    double at(double epoch);

    /**
     * The reference's one-cycle policy: linear through (0, 0), (0.4·T, max), (0.8·T, max/20),
     * (T, 0). The reference rounds the breakpoints to whole epochs ({@code T*2//5}); we use the
     * exact fractions, which agree whenever T is a multiple of 5.
     */
    record OneCycle(double max, double totalEpochs) implements LrSchedule {
        @Override
        public double at(double t) {
            double t1 = 0.4 * totalEpochs;
            double t2 = 0.8 * totalEpochs;
            if (t <= 0) {
                return 0;
            } else if (t < t1) {
                return max * t / t1;
            } else if (t < t2) {
                return max + (max / 20 - max) * (t - t1) / (t2 - t1);
            } else if (t < totalEpochs) {
                return (max / 20) * (totalEpochs - t) / (totalEpochs - t2);
            }
            return 0;
        }
    }

    record Constant(double lr) implements LrSchedule {
        @Override
        public double at(double epoch) {
            return lr;
        }
    }

    static LrSchedule of(String policy, double baseLr, int maxEpoch) {
        return switch (policy.toLowerCase(java.util.Locale.ROOT)) {
            case "onecycle" -> new OneCycle(baseLr, maxEpoch);
            case "constant" -> new Constant(baseLr);
            default -> throw new SpinException("SOLVER.LR_POLICY " + policy + " is not known; valid: onecycle, constant");
        };
    }
}
