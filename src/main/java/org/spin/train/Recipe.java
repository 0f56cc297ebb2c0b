package org.spin.train;

import java.util.ArrayList;
import java.util.List;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.SpinModel;

/**
 * The training recipe a config describes, read and checked once at the top: the trainer, its step
 * and its optimizer take this record, not the config.
 *
 * @param checkpointPeriodSteps also save {@code last} every this many steps within an epoch; 0: epoch ends only
 * @param nonFiniteGradLimit    updates in a row with a non-finite gradient before training stops
 * @param labelSmoothing        ε of the label-smoothed loss; 0 for {@code cross_entropy}
 * @param clipGradL2Norm        the global gradient norm is clipped to this; null: no clipping
 * @param zeroWd1d              no weight decay on biases and 1-D tensors either ({@link DecayGroups})
 * @param batchSize             the global batch: images per optimizer update ({@code TRAIN.BATCH_SIZE})
 * @param accumSteps            micro-batches the global batch is cut into, their gradients summed
 * @param ema                   the weights' moving average to keep, or null for none
 * @param optimizer             {@code SOLVER.OPTIMIZING_METHOD} and its settings
 */
public record Recipe(int maxEpoch, int evalPeriod, int checkpointPeriod, int checkpointPeriodSteps,
                     int nonFiniteGradLimit, long seed, LrSchedule schedule, double weightDecay,
                     double labelSmoothing, Double clipGradL2Norm, boolean zeroWd1d, int batchSize,
                     int accumSteps, Ema ema, Method optimizer) {

    /**
     * The optimizer: {@code adamw} (betas 0.9, 0.999, eps 1e-8, as the reference builds it) or
     * {@code sgd} with {@code SOLVER.MOMENTUM}, {@code DAMPENING} and {@code NESTEROV}.
     */
    public record Method(String name, double momentum, double dampening, boolean nesterov) {

        public Optimizer create(java.util.List<Optimizer.Slot> slots, ai.djl.ndarray.NDManager manager) {
            return name.equals("sgd") ? new Sgd(slots, manager, momentum, dampening, nesterov)
                    : new AdamW(slots, manager, 0.9, 0.999, 1e-8);
        }

        public String describe() {
            return name.equals("sgd") ? "SGD, momentum " + Numbers.text(momentum) + (nesterov ? " (Nesterov)" : "")
                    + (dampening != 0 ? ", dampening " + Numbers.text(dampening) : "") : "AdamW";
        }
    }

    /** {@code MODEL_EMA}: the decay per update, timm's warm-up of it, and whether the average stays on the CPU. */
    public record Ema(double decay, boolean warmup, boolean forceCpu) {}

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
        int batch = cfg.getInt("TRAIN.BATCH_SIZE");
        int accum = cfg.getInt("TRAIN.ACCUM_STEPS");
        if (batch < 1 || accum < 1 || batch % accum != 0) {
            throw new SpinException("TRAIN.BATCH_SIZE " + batch + " must be a positive multiple of TRAIN.ACCUM_STEPS "
                    + accum + " (the global batch is cut into that many equal micro-batches)");
        }
        if (cfg.getInt("NUM_SHARDS") != 1) {
            throw new SpinException("NUM_SHARDS " + cfg.getInt("NUM_SHARDS") + ": training on several machines is not"
                    + " supported; one process trains TRAIN.BATCH_SIZE images per step (TRAIN.ACCUM_STEPS reaches a"
                    + " larger batch than fits in memory)");
        }
        LrSchedule schedule = LrSchedule.from(cfg);
        // the reference's soft_cross_entropy smooths labels; cross_entropy does not
        boolean soft = "soft_cross_entropy".equalsIgnoreCase(cfg.getString("MODEL.LOSS_FUNC"));
        Double clip = cfg.get("SOLVER.CLIP_GRAD_L2NORM") == null ? null : cfg.getDouble("SOLVER.CLIP_GRAD_L2NORM");
        return new Recipe(maxEpoch, cfg.getInt("TRAIN.EVAL_PERIOD"), cfg.getInt("TRAIN.CHECKPOINT_PERIOD"), checkpointSteps,
                cfg.getInt("SOLVER.NONFINITE_GRAD_LIMIT"), cfg.getInt("RNG_SEED"), schedule,
                cfg.getDouble("SOLVER.WEIGHT_DECAY"), soft ? smoothing : 0, clip, zeroWd1d(cfg), batch, accum, ema(cfg),
                new Method(cfg.getString("SOLVER.OPTIMIZING_METHOD"), cfg.getDouble("SOLVER.MOMENTUM"),
                        cfg.getDouble("SOLVER.DAMPENING"), cfg.getBool("SOLVER.NESTEROV")));
    }

    private static Ema ema(SpinConfig cfg) {
        if (!cfg.getBool("MODEL_EMA.ENABLE")) {
            return null;
        }
        double decay = cfg.getDouble("MODEL_EMA.DECAY");
        if (!(decay >= 0 && decay < 1)) {
            throw new SpinException("MODEL_EMA.DECAY " + decay + " must be in [0, 1), e.g. 0.9999");
        }
        return new Ema(decay, cfg.getBool("MODEL_EMA.WARMUP"), cfg.getBool("MODEL_EMA.FORCE_CPU"));
    }

    /** {@code SOLVER.ZERO_WD_1D_PARAM}, or where it is empty the family's rule. */
    public static boolean zeroWd1d(SpinConfig cfg) {
        return cfg.isNull("SOLVER.ZERO_WD_1D_PARAM") ? Models.architecture(cfg).zeroWd1dParam()
                : cfg.getBool("SOLVER.ZERO_WD_1D_PARAM");
    }

    /**
     * What training with this recipe does, a line each: the optimizer and batch, the schedule, and
     * the weight-decay groups of {@code model} ({@code spin stats} prints it).
     */
    public List<String> describe(SpinModel model) {
        List<String> out = new ArrayList<>();
        out.add(String.format("%s, global batch %d%s, %d epochs, label smoothing %s, %s", optimizer.describe(), batchSize,
                accumSteps == 1 ? "" : " in " + accumSteps + " micro-batches of " + batchSize / accumSteps, maxEpoch,
                labelSmoothing, clipGradL2Norm == null ? "no gradient clipping" : "gradient norm clipped to " + clipGradL2Norm));
        out.add("learning rate: " + schedule.describe());
        out.addAll(DecayGroups.describe(model, weightDecay, zeroWd1d));
        if (ema != null) {
            out.add("weights averaged (EMA) with decay " + Numbers.text(ema.decay()) + (ema.warmup() ? ", warmed up" : "")
                    + (ema.forceCpu() ? ", on the CPU" : ""));
        }
        return out;
    }
}
