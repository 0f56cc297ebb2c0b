package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.spin.sharing.SharingPlan;

/** A {@link SharedTensor} (ViT and ConvNeXt, until they move to {@link WeightStack}) seen as a {@link WeightFamily}. */
public record SharedTensorFamily(SharedTensor tensor) implements WeightFamily {

    @Override
    public String scope() {
        return tensor.scope();
    }

    @Override
    public SharingPlan plan() {
        return tensor.plan();
    }

    @Override
    public Keys keys() {
        SharedTensor.Keys k = tensor.keys();
        return new Keys(k.layer(), k.slot(), k.reduction(), k.relax());
    }

    @Override
    public boolean fuses() {
        return tensor.fuses();
    }

    @Override
    public Map<String, Parameter> stateDict() {
        return tensor.stateDict();
    }

    @Override
    public List<String> freshKeys() {
        return tensor.freshKeys();
    }

    @Override
    public NDArray[] perLayer(NDManager scope) {
        return tensor.perLayer(scope);
    }

    @Override
    public NDArray[] slotTensors(NDManager scope) {
        return tensor.slotTensors(scope);
    }

    @Override
    public Map<String, NDArray> compact(NDManager scope) {
        return tensor.compact(scope);
    }

    @Override
    public void initLoraFromSources(NDManager parent) {
        tensor.initLoraFromSources(parent);
    }
}
