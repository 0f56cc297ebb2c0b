package org.spin.train;

import org.spin.SpinException;
import org.spin.config.SpinConfig;

/**
 * The training recipe a config describes, read and checked once at the top: the trainer, its step
 * and its optimizer take this record, not the config.
 *
 * @param checkpointPeriodSteps also save {@code last} every this many steps within an epoch; 0: epoch ends only
 * @param nonFiniteGradLimit    updates in a row with a non-finite gradient before training stops
 * @param labelSmoothing        ε of the label-smoothed loss; 0 for {@code cross_entropy}
 * @param clipGradL2Norm        the global gradient norm is clipped to this; null: no clipping
 */
public record Recipe(int maxEpoch, int evalPeriod, int checkpointPeriod, int checkpointPeriodSteps,
                     int nonFiniteGradLimit, long seed, LrSchedule schedule, double weightDecay,
                     double labelSmoothing, Double clipGradL2Norm) {

    /**
     * The recipe of {@code cfg}'s {@code SOLVER}, {@code TRAIN}, {@code MODEL.LOSS_FUNC} and
     * {@code MIXUP.LABEL_SMOOTH_VALUE} keys.
     *
     * @throws SpinException naming the key, for a setting the loop cannot run with
     */
    public static Recipe from(SpinConfig cfg) {
        for (String key : new String[] {"SOLVER.MAX_EPOCH", "TRAIN.EVAL_PERIOD", "TRAIN.CHECKPOINT_PERIOD",
                "SOLVER.NONFINITE_GRAD_LIMIT"}) {
            if (cfg.getInt(key) < 1) {
                throw new SpinException(key + " " + cfg.getInt(key) + " must be at least 1");
            }
        }
        int checkpointSteps = cfg.getInt("TRAIN.CHECKPOINT_PERIOD_STEPS");
        if (checkpointSteps < 0) {
            throw new SpinException("TRAIN.CHECKPOINT_PERIOD_STEPS " + checkpointSteps
                    + " must be 0 (epoch ends only) or a number of steps");
        }
        double smoothing = cfg.getDouble("MIXUP.LABEL_SMOOTH_VALUE");
        if (smoothing < 0 || smoothing >= 1) {
            throw new SpinException("MIXUP.LABEL_SMOOTH_VALUE " + smoothing + " must be in [0, 1)");
        }
        int maxEpoch = cfg.getInt("SOLVER.MAX_EPOCH");
        LrSchedule schedule = LrSchedule.of(cfg.getString("SOLVER.LR_POLICY"), cfg.getDouble("SOLVER.BASE_LR"), maxEpoch);
        // the reference's soft_cross_entropy smooths labels; cross_entropy does not
        boolean soft = "soft_cross_entropy".equalsIgnoreCase(cfg.getString("MODEL.LOSS_FUNC"));
        Double clip = cfg.get("SOLVER.CLIP_GRAD_L2NORM") == null ? null : cfg.getDouble("SOLVER.CLIP_GRAD_L2NORM");
        return new Recipe(maxEpoch, cfg.getInt("TRAIN.EVAL_PERIOD"), cfg.getInt("TRAIN.CHECKPOINT_PERIOD"), checkpointSteps,
                cfg.getInt("SOLVER.NONFINITE_GRAD_LIMIT"), cfg.getInt("RNG_SEED"), schedule,
                cfg.getDouble("SOLVER.WEIGHT_DECAY"), soft ? smoothing : 0, clip);
    }
}
