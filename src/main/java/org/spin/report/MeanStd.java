package org.spin.report;

import java.util.Collection;

/**
 * Mean and sample standard deviation (n - 1 in the denominator, as for a few seeds drawn from
 * many) of some values. With one value the spread is unknown: {@code std} is NaN, not 0, so a
 * single seed never reads as a perfectly stable result.
 */
public record MeanStd(int n, double mean, double std) {

    public static MeanStd of(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double sum = 0;
        for (Number v : values) {
            sum += v.doubleValue();
        }
        double mean = sum / values.size();
        if (values.size() == 1) {
            return new MeanStd(1, mean, Double.NaN);
        }
        double squares = 0;
        for (Number v : values) {
            double d = v.doubleValue() - mean;
            squares += d * d;
        }
        return new MeanStd(values.size(), mean, Math.sqrt(squares / (values.size() - 1)));
    }

    public boolean hasSpread() {
        return n > 1;
    }
}
