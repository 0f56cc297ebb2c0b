package org.spin.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Constants for differentiable ops, in memory the engine owns.
 *
 * <p>Why not {@code x.mul(2.0)}: DJL's PyTorch engine wraps the number in a 0-d tensor over a Java
 * direct buffer, runs the op and closes that tensor at once. PyTorch's graph keeps the operand of
 * a product or quotient for the backward pass, but not the buffer; once the garbage collector frees
 * it, backward reads whatever the memory holds by then. That was the "rare, unreproducible"
 * slot-gradient mismatch in ViT (the query scale) and the fusion model's sudden 1e34 gradients (the
 * mean's divisor). Use these in any op a gradient flows through; {@code GarbageCollectionSafetyTest}
 * runs the collector between forward and backward to prove it.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d tensor of {@code value} in {@code like}'s manager and data type (exact in float64). */
    public static NDArray of(NDArray like, double value) {
        NDManager m = like.getManager();
        try (NDArray host = like.getDataType() == DataType.FLOAT64 ? m.create(value) : m.create((float) value)) {
            return host.duplicate().toType(like.getDataType(), false); // duplicate: a copy the engine owns
        }
    }

    /** {@code x · value}. */
    public static NDArray times(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    /** {@code x / value}. */
    public static NDArray dividedBy(NDArray x, double value) {
        return x.div(of(x, value));
    }
}
