package org.spin.sweep;

/**
 * The sweep file the sweep tests train: tiny ConvMixers on the synthetic set, one epoch, an
 * unshared run {@code r1}, its mean-fusion run {@code r2_fuse-mean}, and one run per kernel size.
 */
public final class TinySweep {

    private TinySweep() {}

    /** The file's text, with a point per kernel size in {@code kernels}. */
    public static String yaml(int... kernels) {
        return longer(1, 0, kernels);
    }

    /**
     * As {@link #yaml(int...)}, each run {@code epochs} long with a checkpoint every
     * {@code checkpointSteps} steps too (0: at epoch ends only).
     */
    public static String longer(int epochs, int checkpointSteps, int... kernels) {
        StringBuilder points = new StringBuilder();
        for (int k : kernels) {
            points.append("  - {CONVMIXER.KERNEL: ").append(k).append("}\n");
        }
        return """
                set:
                  TRAIN.DATASET: synthetic
                  DATA.INPUT_CHANNEL_NUM: [1]
                  CONVMIXER.CHANNEL: 8
                  CONVMIXER.DEPTH: 2
                  CONVMIXER.PATCH_KERNEL: 4
                  CONVMIXER.PATCH_STRIDE: 4
                  SOLVER.MAX_EPOCH: %d
                  TRAIN.CHECKPOINT_PERIOD_STEPS: %d
                  DATA_LOADER.NUM_WORKERS: 1
                grid:
                  CONVMIXER.WEIGHT_SHARE.SHARE_RATE: [2, 1]
                  CONVMIXER.WEIGHT_SHARE.REDUCTION_FN: [mean]
                points:
                """.formatted(epochs, checkpointSteps) + points;
    }
}
