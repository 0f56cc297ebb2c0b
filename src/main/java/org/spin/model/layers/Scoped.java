package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An op's result joins its first operand's manager, so a chain led by a parameter leaves every
 * result in the model's manager on each forward pass. {@link #lead} gives the chain a first
 * operand in the step's manager instead.
 */
public final class Scoped {

    private Scoped() {}

    /** 0 + p in {@code scope}: exact, and gradients still reach p. */
    public static NDArray lead(NDManager scope, NDArray p) {
        return scope.zeros(new Shape(1), p.getDataType(), p.getDevice()).add(p);
    }
}
