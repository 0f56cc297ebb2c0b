package org.spin.sweep;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The time a sweep has left, from the runs it has trained so far: their seconds per unit of work
 * (multiply-accumulates per image x epochs) applied to the work still to do. Runs differ in size
 * by an order of magnitude, so counting runs would mislead; small runs spend relatively more on
 * fixed costs (data, evaluation), so the estimate is rough until a few runs of each size are in.
 */
public final class SweepEta {

    private double seconds;
    private double work;

    /** A run of {@code work} units that took {@code seconds} to train from its start. */
    public void observe(double work, double seconds) {
        if (work > 0 && Double.isFinite(work) && seconds > 0) {
            this.seconds += seconds;
            this.work += work;
        }
    }

    /** Seconds for {@code remainingWork} units, or empty before any run was measured. */
    public OptionalDouble secondsFor(double remainingWork) {
        return work == 0 ? OptionalDouble.empty() : OptionalDouble.of(remainingWork * seconds / work);
    }

    /** {@code 1h05m}, {@code 7m}, {@code <1m}. */
    public static String format(double seconds) {
        long minutes = Math.round(seconds / 60);
        if (minutes < 1) {
            return "<1m";
        }
        return minutes < 60 ? minutes + "m" : String.format(Locale.ROOT, "%dh%02dm", minutes / 60, minutes % 60);
    }
}
