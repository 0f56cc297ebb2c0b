package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-block tensors of one model, in the order it declared them. A forward pass resolves them
 * once ({@link #perLayer}) and block l reads {@code t[i][l]} for tensor i.
 */
public final class BlockTensors {

    private final List<SharedTensor> tensors = new ArrayList<>();

    /** Adds a tensor; its index is the number added before it. */
    public SharedTensor add(SharedTensor t) {
        tensors.add(t);
        return t;
    }

    public List<SharedTensor> all() {
        return Collections.unmodifiableList(tensors);
    }

    /** {@code [tensor][layer]}: what each layer uses in this pass, built in {@code scope}. */
    public NDArray[][] perLayer(NDManager scope) {
        NDArray[][] out = new NDArray[tensors.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = tensors.get(i).perLayer(scope);
        }
        return out;
    }

    public Map<String, Parameter> stateDict() {
        Map<String, Parameter> sd = new LinkedHashMap<>();
        tensors.forEach(t -> sd.putAll(t.stateDict()));
        return sd;
    }
}
