package org.spin.model;

import ai.djl.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Counts what a model really stores. DJL's own listing shows a shared parameter once per use,
 * so this counts distinct {@link Parameter} objects.
 */
public final class ParameterCount {

    private ParameterCount() {}

    /** Trainable parameters, each shared tensor once. */
    public static long unique(SpinModel model) {
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        long n = 0;
        for (Parameter p : model.stateDict().values()) {
            if (p.requiresGradient() && seen.put(p, Boolean.TRUE) == null) {
                n += p.getArray().size();
            }
        }
        return n;
    }
}
