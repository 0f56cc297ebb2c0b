package org.spin.model.shared;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;

/**
 * A block that reads {@link Weight}s given to it (by a {@link WeightStack}) rather than owning
 * its parameters. {@link #reads} lists a weight's parameters as the block's own, so DJL's
 * {@code getParameters()} and {@code initialize} see them; a shared one is listed once per block
 * that reads it, as DJL lists a reused block (TabNet). Count and save by our state dicts instead.
 */
public abstract class WeightBlock extends AbstractBlock {

    /** Lists {@code w}'s parameters as this block's; returns {@code w} (null stays null: a weight the config leaves out). */
    protected final Weight reads(Weight w) {
        if (w != null) {
            for (Parameter p : w.parameters()) {
                if (!parameters.containsKey(p.getName())) {
                    addParameter(p);
                }
            }
        }
        return w;
    }
}
