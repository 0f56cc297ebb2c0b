package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.spin.SpinException;

/**
 * Stochastic depth (Huang et al. 2016) as timm's {@code drop_path}: in training, each sample's
 * residual branch is dropped with probability {@code rate}, and kept ones are scaled by
 * 1 / (1 − rate) so the expectation is unchanged; identity in evaluation.
 */
public final class DropPath {

    private DropPath() {}

    /**
     * The rate of block {@code layer} of {@code depth}: from 0 at the first block linearly to
     * {@code maxRate} at the last, as timm's and ConvNeXt's {@code torch.linspace(0, rate, depth)}.
     */
    public static float rate(float maxRate, int layer, int depth) {
        return depth == 1 ? 0f : (float) ((double) maxRate * layer / (depth - 1));
    }

    /** Checks a family's {@code DROP_PATH_RATE} key. */
    public static void check(String key, float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new SpinException(key + " " + rate + " must be in [0, 1)");
        }
    }

    /** {@code branch} (B, ...) with whole samples dropped and the rest scaled, the draws from {@code random}. */
    public static NDArray apply(NDArray branch, float rate, boolean training, SplittableRandom random) {
        if (!training || rate == 0) {
            return branch;
        }
        int batch = Math.toIntExact(branch.getShape().get(0));
        float keep = 1f - rate;
        float[] mask = new float[batch];
        for (int i = 0; i < batch; i++) {
            mask[i] = random.nextDouble() < keep ? 1f / keep : 0f;
        }
        long[] shape = new long[branch.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = batch;
        return branch.mul(branch.getManager().create(mask, new Shape(shape)));
    }
}
