package org.spin.train;

import java.util.List;
import java.util.Locale;
import org.spin.SpinException;
import org.spin.config.SpinConfig;

/**
 * Learning rate as a pure function of training progress in fractional epochs: the policies of the
 * reference trainer (SlowFast's {@code lr_policy}, plus ml-spin's one-cycle) with its keys.
 */
public interface LrSchedule {

    double at(double epoch);

    /** One line saying what it does, e.g. {@code cosine from 0.0005 at epoch 0 to 1e-05 at epoch 300}. */
    String describe();

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

        @Override
        public String describe() {
            return "onecycle: 0 at epoch 0, " + Numbers.text(max) + " at " + Numbers.text(0.4 * totalEpochs) + ", " + Numbers.text(max / 20) + " at "
                    + Numbers.text(0.8 * totalEpochs) + ", 0 at " + Numbers.text(totalEpochs);
        }
    }

    record Constant(double lr) implements LrSchedule {
        @Override
        public double at(double epoch) {
            return lr;
        }

        @Override
        public String describe() {
            return "constant " + Numbers.text(lr);
        }
    }

    /**
     * Half a cosine from {@code base} at {@code offset} down to {@code end} at {@code totalEpochs}
     * (SGDR without restarts). The offset is the warm-up when {@code COSINE_AFTER_WARMUP}, so the
     * decay starts at the peak after it; otherwise 0, and the warm-up ramps to the cosine's value.
     */
    record Cosine(double base, double end, double totalEpochs, double offset) implements LrSchedule {
        @Override
        public double at(double t) {
            return end + (base - end) * 0.5 * (1 + Math.cos(Math.PI * (t - offset) / (totalEpochs - offset)));
        }

        @Override
        public String describe() {
            return "cosine from " + Numbers.text(base) + " at epoch " + Numbers.text(offset) + " to " + Numbers.text(end) + " at " + Numbers.text(totalEpochs);
        }
    }

    /** {@code base × factors[i]} from epoch {@code starts[i]} on (the first start is 0). */
    record RelativeSteps(double base, List<Double> starts, List<Double> factors) implements LrSchedule {
        @Override
        public double at(double t) {
            int i = 0;
            while (i + 1 < starts.size() && t >= starts.get(i + 1)) {
                i++;
            }
            return base * factors.get(i);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder("steps:");
            for (int i = 0; i < starts.size(); i++) {
                b.append(i == 0 ? " " : ", ").append(Numbers.text(base * factors.get(i))).append(" from epoch ").append(Numbers.text(starts.get(i)));
            }
            return b.toString();
        }
    }

    /**
     * A straight line from {@code startLr} at epoch 0 to what {@code after} gives at {@code epochs},
     * then {@code after}: the reference's warm-up, which applies to every policy.
     */
    record Warmup(LrSchedule after, double epochs, double startLr) implements LrSchedule {
        @Override
        public double at(double t) {
            if (t < epochs) {
                return startLr + t * (after.at(epochs) - startLr) / epochs;
            }
            return after.at(t);
        }

        @Override
        public String describe() {
            return "linear warm-up from " + Numbers.text(startLr) + " over " + Numbers.text(epochs) + " epochs, then " + after.describe();
        }
    }

    /**
     * The schedule of {@code cfg}'s {@code SOLVER} keys. As the reference, with
     * {@code BASE_LR_SCALE_NUM_SHARDS} the base, warm-up start and cosine end rates are multiplied
     * by {@code NUM_SHARDS}; with {@code LR_REFERENCE_BATCH} the base rate (only) is scaled by
     * {@code TRAIN.BATCH_SIZE} over it, the linear rule DeiT and ConvNeXt state their rates by.
     *
     * @throws SpinException naming the key, for a schedule that cannot be run
     */
    static LrSchedule from(SpinConfig cfg) {
        double scale = cfg.getBool("SOLVER.BASE_LR_SCALE_NUM_SHARDS") ? cfg.getInt("NUM_SHARDS") : 1;
        double base = scale * cfg.getDouble("SOLVER.BASE_LR");
        if (!cfg.isNull("SOLVER.LR_REFERENCE_BATCH")) {
            int reference = cfg.getInt("SOLVER.LR_REFERENCE_BATCH");
            if (reference < 1) {
                throw new SpinException("SOLVER.LR_REFERENCE_BATCH " + reference + " must be a batch size of 1 or more");
            }
            base *= (double) cfg.getInt("TRAIN.BATCH_SIZE") / reference;
        }
        int maxEpoch = cfg.getInt("SOLVER.MAX_EPOCH");
        double warmup = cfg.getDouble("SOLVER.WARMUP_EPOCHS");
        if (!(warmup >= 0 && warmup < maxEpoch)) {
            throw new SpinException("SOLVER.WARMUP_EPOCHS " + warmup + " must be in [0, SOLVER.MAX_EPOCH " + maxEpoch + ")");
        }
        String policy = cfg.getString("SOLVER.LR_POLICY").toLowerCase(Locale.ROOT);
        LrSchedule schedule = switch (policy) {
            case "onecycle" -> new OneCycle(base, maxEpoch);
            case "constant" -> new Constant(base);
            case "cosine" -> {
                double end = scale * cfg.getDouble("SOLVER.COSINE_END_LR");
                if (!(end < base)) {
                    throw new SpinException("SOLVER.COSINE_END_LR " + end + " must be below the base rate " + base
                            + (cfg.isNull("SOLVER.LR_REFERENCE_BATCH") ? " (SOLVER.BASE_LR)" : " (SOLVER.BASE_LR "
                            + cfg.getDouble("SOLVER.BASE_LR") + " scaled to TRAIN.BATCH_SIZE " + cfg.getInt("TRAIN.BATCH_SIZE")
                            + " from SOLVER.LR_REFERENCE_BATCH " + cfg.getInt("SOLVER.LR_REFERENCE_BATCH") + ")"));
                }
                yield new Cosine(base, end, maxEpoch, cfg.getBool("SOLVER.COSINE_AFTER_WARMUP") ? warmup : 0);
            }
            case "steps_with_relative_lrs" -> relativeSteps(cfg, base, maxEpoch);
            default -> throw new SpinException("SOLVER.LR_POLICY " + policy
                    + " is not known; valid: onecycle, cosine, steps_with_relative_lrs, constant");
        };
        return warmup > 0 ? new Warmup(schedule, warmup, scale * cfg.getDouble("SOLVER.WARMUP_START_LR")) : schedule;
    }

    private static LrSchedule relativeSteps(SpinConfig cfg, double base, int maxEpoch) {
        List<Double> starts = cfg.getDoubleList("SOLVER.STEPS");
        List<Double> factors = cfg.getDoubleList("SOLVER.LRS");
        if (starts.isEmpty() || starts.get(0) != 0) {
            throw new SpinException("SOLVER.STEPS " + starts + " must start at epoch 0 for steps_with_relative_lrs,"
                    + " e.g. [0, 30, 60]");
        }
        for (int i = 1; i < starts.size(); i++) {
            if (!(starts.get(i) > starts.get(i - 1) && starts.get(i) < maxEpoch)) {
                throw new SpinException("SOLVER.STEPS " + starts + " must increase and stay below SOLVER.MAX_EPOCH "
                        + maxEpoch);
            }
        }
        if (factors.size() != starts.size()) {
            throw new SpinException("SOLVER.LRS " + factors + " needs one factor per SOLVER.STEPS entry ("
                    + starts.size() + ")");
        }
        return new RelativeSteps(base, List.copyOf(starts), List.copyOf(factors));
    }
}
