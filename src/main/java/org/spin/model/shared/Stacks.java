package org.spin.model.shared;

import java.util.List;

/** An architecture's block weights, one {@link WeightStack} each: the record its blocks read from. */
public interface Stacks {

    /** Every stack, in the order families are listed (and, unless the model says otherwise, drawn). */
    List<WeightStack> all();
}
