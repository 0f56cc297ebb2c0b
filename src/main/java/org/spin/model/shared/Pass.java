package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One forward pass, as the weights see it: the manager its temporaries live in (the batch's, not
 * the model's), and each computed weight once. A fused slot is read by every layer of its group,
 * but reduced once per pass: the first read computes it, the others get the same array.
 */
public final class Pass {

    private final NDManager scope;
    private final SplittableRandom random;
    private final Map<Weight, NDArray> computed = new IdentityHashMap<>();

    /**
     * A pass outside a model's forward (reading weights, a single block): its training-mode draws,
     * if any, come from a fixed seed.
     */
    public Pass(NDManager scope) {
        this(scope, new SplittableRandom(0));
    }

    /**
     * @param scope  owns what the pass computes; usually the input's manager
     * @param random the model's generator, for the training-mode draws of its blocks (drop path)
     */
    public Pass(NDManager scope, SplittableRandom random) {
        this.scope = scope;
        this.random = random;
    }

    public NDManager scope() {
        return scope;
    }

    public SplittableRandom random() {
        return random;
    }

    /** {@code weight}'s value in this pass, computed in {@link #scope} on the first call only. */
    NDArray once(Weight weight, Function<NDManager, NDArray> compute) {
        NDArray v = computed.get(weight);
        if (v == null) {
            v = compute.apply(scope);
            computed.put(weight, v);
        }
        return v;
    }
}
