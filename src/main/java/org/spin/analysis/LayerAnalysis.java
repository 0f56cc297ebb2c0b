package org.spin.analysis;

import java.util.List;

/**
 * What {@link Analysis} measures of a model's D blocks over N evaluation images.
 *
 * @param images N, the examples every statistic is over
 * @param cka D×D linear CKA between the blocks' outputs; 1 on the diagonal, NaN for a constant block
 * @param activationNorm per block, the mean over examples of the L2 norm of its flattened output
 * @param activationRms per block, the mean over examples of that norm over √(features): the typical entry
 * @param weights per weight family (every per-block tensor of rank ≥ 2), the D×D cosine between layers
 */
public record LayerAnalysis(int images, double[][] cka, double[] activationNorm, double[] activationRms,
                            List<WeightCosine> weights) {

    public LayerAnalysis {
        weights = List.copyOf(weights);
    }

    public int depth() {
        return cka.length;
    }
}
