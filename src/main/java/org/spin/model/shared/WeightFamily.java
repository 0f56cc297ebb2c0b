package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.spin.sharing.SharingPlan;

/**
 * Every layer's copy of one block weight (e.g. each block's pointwise weight) as the sharing plan
 * stores it: what export, analysis, statistics and the sweep tests ask of a model's weights.
 */
public interface WeightFamily {

    /** The scope it belongs to (shared when the config names it). */
    String scope();

    /** Its plan: the model's when its scope is shared, else every layer its own slot. */
    SharingPlan plan();

    /** Its row of the architecture's rename table. */
    Keys keys();

    /** Whether it keeps a source per layer and reduces each slot's group (shared, in a fusion model). */
    boolean fuses();

    /** Every tensor once, under its state-dict key. */
    Map<String, Parameter> stateDict();

    /** Keys that keep their initial values when a checkpoint lacks them: reduction weights and relaxations. */
    List<String> freshKeys();

    /** What each layer reads in one pass, built in {@code scope}. */
    NDArray[] perLayer(NDManager scope);

    /** Each slot's tensor before relaxation: its parameter, or the reduction of its group's sources. */
    NDArray[] slotTensors(NDManager scope);

    /** The compact model's tensors for this family: slot tensors under slot keys, relaxations as they are. */
    Map<String, NDArray> compact(NDManager scope);

    /** LoRA relaxations of a fusion model start from the SVD of what fusion lost (nothing otherwise). */
    void initLoraFromSources(NDManager parent);
}
