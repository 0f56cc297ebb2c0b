package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.spin.fusion.Reduction;
import org.spin.sharing.SharingPlan;

/**
 * One tensor of every block (e.g. each block's qkv weight) as the sharing plan stores it: one
 * parameter per slot, and layer l reads slot {@code plan.slotOf(l)}. Architectures build every
 * per-block tensor through this, so what is shared is a config choice (the scope), not code.
 *
 * <p>In a fusion model a shared tensor instead keeps one source per layer (under the unshared
 * model's keys, so it loads from a trained unshared checkpoint) and reduces each slot's group on
 * every forward pass. Relaxation adds per-layer parameters on top of a shared tensor of rank ≥ 2.
 * The slot parameters are held once, so the optimizer and the counters see each once.
 */
public final class SharedTensor extends AbstractBlock {

    /**
     * State-dict keys, each a format with one {@code %d}: a layer's own tensor (unshared model and
     * fusion sources), a slot's tensor (shared model), a layer's reduction weight, and the prefix
     * of a layer's relaxation parameters.
     */
    public record Keys(String layer, String slot, String reduction, String relax) {

        /** {@code blocks.%d.PATH.LEAF} per layer, {@code shared.%d.PATH.LEAF} per slot. */
        public static Keys block(String path, String leaf) {
            String reductionLeaf = leaf.equals("weight") ? "reduction_w" : leaf + "_reduction_w";
            return new Keys("blocks.%d." + path + "." + leaf, "shared.%d." + path + "." + leaf,
                    "blocks.%d." + path + "." + reductionLeaf, "blocks.%d." + path);
        }
    }

    private final String scope;
    private final Keys keys;
    private final SharingPlan plan;
    /** Null unless this tensor is shared in a fusion model. */
    private final Reduction reduction;
    private final Shape shape;
    /** One per slot, or one source per layer when fusing. */
    private final Parameter[] held;
    private final Parameter[] reductionW;
    /** Per layer; null when not relaxed. */
    private final Parameter[][] relax;
    private final Relaxation relaxation;
    private final Map<String, Parameter> stateDict = new LinkedHashMap<>();

    /**
     * @param scope the scope name this tensor belongs to (shared when the config names it)
     * @param make a parameter with the architecture's shape and initialisation, named as given
     */
    public SharedTensor(String scope, Keys keys, Sharing sharing, Function<String, Parameter> make) {
        this.scope = scope;
        this.keys = keys;
        this.plan = sharing.planFor(scope);
        boolean shared = plan.isShared();
        this.reduction = shared ? sharing.reduction() : null;
        int depth = plan.depth();
        int n = fuses() ? depth : plan.numSlots();
        String heldKey = shared && !fuses() ? keys.slot() : keys.layer();
        held = new Parameter[n];
        for (int i = 0; i < n; i++) {
            held[i] = addParameter(make.apply(String.format(heldKey, i)));
            stateDict.put(held[i].getName(), held[i]);
        }
        shape = held[0].getShape();
        boolean matrix = shape.dimension() >= 2;
        Shape rw = fuses() && matrix ? reduction.weightShape(shape.get(0)) : null;
        reductionW = rw == null ? null : new Parameter[depth];
        for (int l = 0; rw != null && l < depth; l++) {
            reductionW[l] = addParameter(org.spin.model.layers.Params.ones(String.format(keys.reduction(), l), rw));
            stateDict.put(reductionW[l].getName(), reductionW[l]);
        }
        if (fuses() && !reduction.usesAllSources()) {
            // choose_first reads only each group's first source: the others get no gradient and
            // stay out of the optimizer, so weight decay does not move them either
            for (int l = 0; l < depth; l++) {
                held[l].freeze(l != plan.layersOf(plan.slotOf(l))[0]);
            }
        }
        relaxation = shared && matrix ? sharing.relaxation() : Relaxation.NONE;
        relax = relaxation.isOn() ? new Parameter[depth][] : null;
        for (int l = 0; relax != null && l < depth; l++) {
            String base = String.format(keys.relax(), l);
            relax[l] = relaxation.parameters(base, shape, String.format(keys.layer(), l) + " " + shape);
            for (Parameter p : relax[l]) {
                stateDict.put(p.getName(), addParameter(p));
            }
        }
    }

    public String scope() {
        return scope;
    }

    public SharingPlan plan() {
        return plan;
    }

    public Keys keys() {
        return keys;
    }

    /** Whether this tensor keeps per-layer sources and reduces them (shared, in a fusion model). */
    public boolean fuses() {
        return reduction != null;
    }

    /** Every tensor once, under its state-dict key. */
    public Map<String, Parameter> stateDict() {
        return stateDict;
    }

    /** Keys that start at their initial values when a checkpoint lacks them: reduction weights and relaxations. */
    public List<String> freshKeys() {
        List<String> out = new ArrayList<>();
        for (String k : stateDict.keySet()) {
            boolean source = false;
            for (Parameter p : held) {
                source |= p.getName().equals(k);
            }
            if (!source) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * The tensor each layer uses in this forward pass, built in {@code scope} (slots are fused
     * once, not once per layer). Without fusion or relaxation these are the parameters themselves.
     */
    public NDArray[] perLayer(NDManager scope) {
        NDArray[] slots = slotTensors(scope);
        NDArray[] out = new NDArray[plan.depth()];
        for (int l = 0; l < out.length; l++) {
            NDArray w = slots[plan.slotOf(l)];
            out[l] = relax == null ? w : relaxation.apply(scope, w, relax[l]);
        }
        return out;
    }

    /**
     * Each slot's tensor: its parameter, or in a fusion model the reduction of its group's
     * sources in layer order. A group is the layers the plan maps to the slot, so under strided
     * or random mappings it is not a run of consecutive layers (the reference's fusion always
     * groups consecutive layers).
     */
    public NDArray[] slotTensors(NDManager scope) {
        NDArray[] out = new NDArray[plan.numSlots()];
        for (int s = 0; s < out.length; s++) {
            if (!fuses()) {
                out[s] = held[s].getArray();
                continue;
            }
            List<NDArray> ws = new ArrayList<>();
            List<NDArray> rs = reductionW == null ? null : new ArrayList<>();
            for (int l : plan.layersOf(s)) {
                ws.add(held[l].getArray());
                if (rs != null) {
                    rs.add(reductionW[l].getArray());
                }
            }
            out[s] = shape.dimension() >= 2 ? reduction.weight(scope, ws, rs) : reduction.bias(scope, ws);
        }
        return out;
    }

    /** The compact model's tensors for this one: slot tensors under slot keys, relaxations as they are. */
    public Map<String, NDArray> compact(NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDArray[] slots = slotTensors(scope);
        boolean shared = plan.isShared();
        for (int s = 0; s < slots.length; s++) {
            out.put(String.format(shared ? keys.slot() : keys.layer(), s), slots[s]);
        }
        for (int l = 0; relax != null && l < relax.length; l++) {
            for (Parameter p : relax[l]) {
                out.put(p.getName(), p.getArray());
            }
        }
        return out;
    }

    /**
     * LoRA from trained sources: B_l·A_l starts as the rank-k truncated SVD of W_l − W_fused, so
     * the relaxed fusion model starts closer to the unshared one than W_fused alone.
     */
    public void initLoraFromSources(NDManager parent) {
        if (!fuses() || relax == null || relaxation.kind() != Relaxation.Kind.LORA) {
            return;
        }
        try (NDManager scope = parent.newSubManager()) {
            NDArray[] fused = slotTensors(scope);
            for (int l = 0; l < plan.depth(); l++) {
                NDArray diff = org.spin.model.layers.Scoped.lead(scope, held[l].getArray()).sub(fused[plan.slotOf(l)]);
                LowRank.Factors f = LowRank.truncatedSvd(diff.toFloatArray(), (int) shape.get(0),
                        (int) (shape.size() / shape.get(0)), relaxation.rank());
                relax[l][0].getArray().set(f.a());
                relax[l][1].getArray().set(f.b());
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        throw new UnsupportedOperationException("a shared tensor is read through perLayer(), not run");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return in;
    }

    @Override
    public void prepare(Shape[] inputShapes) {}

    @Override
    protected void initializeChildBlocks(NDManager m, DataType t, Shape... s) {}
}
