package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import org.spin.SpinException;
import org.spin.model.layers.Scoped;
import org.spin.runtime.Scalars;

/**
 * How weight fusion reduces the pointwise weights of a fusion group (the layers that share one
 * slot) to the slot's weight ({@code WEIGHT_SHARE.REDUCTION_FN}), with the reference's formulas:
 * <ul>
 *   <li>{@code mean}: W = mean over the group of W_l;
 *   <li>{@code choose_first}: W = W_first (the group's lowest layer);
 *   <li>{@code scalar_weighted_mean}: W = mean of s_l·W_l, one learnable scalar s_l per layer;
 *   <li>{@code channel_weighted_mean}: W[o] = mean of c_l[o]·W_l[o], one learnable vector per layer
 *       over output channels.
 * </ul>
 * Biases are the plain mean, except under {@code choose_first}, which takes the first.
 *
 * <p>Every result is built in {@code scope}: an op joins its first operand's manager, so an op
 * led by a parameter would leave its result in the model's manager on every forward pass.
 */
public enum Reduction {
    MEAN("mean"),
    CHOOSE_FIRST("choose_first"),
    SCALAR_WEIGHTED_MEAN("scalar_weighted_mean"),
    CHANNEL_WEIGHTED_MEAN("channel_weighted_mean");

    private final String key;

    Reduction(String key) {
        this.key = key;
    }

    /** The config value, e.g. {@code mean}. */
    public String key() {
        return key;
    }

    /** {@code null}, empty or {@code None} mean no fusion. */
    public static Reduction parse(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("none")) {
            return null;
        }
        for (Reduction r : values()) {
            if (r.key.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new SpinException("WEIGHT_SHARE.REDUCTION_FN '" + name
                + "' is not known; valid: None, mean, choose_first, scalar_weighted_mean, channel_weighted_mean");
    }

    /** Shape of a layer's reduction weight {@code reduction_w.{l}}, or null if it has none. */
    public Shape weightShape(long channels) {
        return switch (this) {
            case SCALAR_WEIGHTED_MEAN -> new Shape(1);
            case CHANNEL_WEIGHTED_MEAN -> new Shape(channels);
            default -> null;
        };
    }

    /** Whether layer sources other than a group's first take part (and so train). */
    public boolean usesAllSources() {
        return this != CHOOSE_FIRST;
    }

    /**
     * The slot weight from the group's weights (any shape, output channels first), in layer order.
     *
     * @param reductionWeights the group's {@code reduction_w}, or null when this has none
     */
    public NDArray weight(NDManager scope, List<NDArray> weights, List<NDArray> reductionWeights) {
        if (this == CHOOSE_FIRST) {
            return weights.get(0);
        }
        long[] column = new long[weights.get(0).getShape().dimension()]; // (-1, 1, ..., 1): one weight per output channel
        java.util.Arrays.fill(column, 1);
        column[0] = -1;
        NDArray sum = null;
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            NDArray term = reductionWeights == null ? Scoped.lead(scope, w)
                    : Scoped.lead(scope, reductionWeights.get(i)).reshape(new Shape(column)).mul(w);
            sum = sum == null ? term : sum.add(term);
        }
        return Scalars.dividedBy(sum, weights.size());
    }

    /** The slot bias (or any 1-D tensor: norm scales and offsets) from the group's, in layer order: the plain mean. */
    public NDArray bias(NDManager scope, List<NDArray> biases) {
        if (this == CHOOSE_FIRST) {
            return biases.get(0);
        }
        NDArray sum = Scoped.lead(scope, biases.get(0));
        for (int i = 1; i < biases.size(); i++) {
            sum = sum.add(biases.get(i));
        }
        return Scalars.dividedBy(sum, biases.size());
    }
}
