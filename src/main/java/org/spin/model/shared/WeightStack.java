package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.spin.model.layers.Params;
import org.spin.sharing.SharingPlan;

/**
 * The stack builder: one block weight for every layer, from the sharing plan. Layer l reads
 * {@link #layer}(l), and every layer of a slot gets the same {@link Weight} instance: one
 * {@link Weight.Plain} parameter per slot, or in a fusion model one {@link Weight.Fused} per slot
 * over its group's per-layer sources (kept under the unshared model's keys, so they load from a
 * trained unshared checkpoint). A relaxed layer gets its own {@link Weight.Relaxed} around its
 * slot's. Unshared scopes get the unshared plan: every layer its own parameter.
 *
 * <p>The stack creates the parameters and names them from the architecture's {@link Keys}; the
 * model initialises them ({@link #initialize}) in the order it wants a seed to draw them.
 */
public final class WeightStack implements WeightFamily {

    private final String scope;
    private final Keys keys;
    private final SharingPlan plan;
    private final boolean fuses;
    /** One per slot, or in a fusion model one source per layer. */
    private final Parameter[] held;
    /** What each slot's layers read before relaxation. */
    private final Weight[] slots;
    /** What each layer reads: its slot's weight, or its own relaxation of it. */
    private final Weight[] layers;
    /** Every parameter once, in the order a seed draws them: held, reduction weights, relaxations by layer. */
    private final Map<String, Parameter> stateDict = new LinkedHashMap<>();
    private final List<String> freshKeys = new ArrayList<>();

    /**
     * @param scope the scope this weight belongs to (shared when the config names it)
     * @param make a parameter with the architecture's shape and initialisation, named as given
     */
    public WeightStack(Sharing sharing, String scope, Keys keys, Function<String, Parameter> make) {
        this.scope = scope;
        this.keys = keys;
        this.plan = sharing.planFor(scope);
        boolean shared = plan.isShared();
        Reduction reduction = shared ? sharing.reduction() : null;
        this.fuses = reduction != null;
        int depth = plan.depth();

        held = new Parameter[fuses ? depth : plan.numSlots()];
        String heldKey = shared && !fuses ? keys.slot() : keys.layer();
        for (int i = 0; i < held.length; i++) {
            held[i] = add(make.apply(String.format(heldKey, i)), false);
        }
        Shape shape = held[0].getShape();
        boolean matrix = shape.dimension() >= 2;

        slots = new Weight[plan.numSlots()];
        if (fuses) {
            Shape rw = matrix ? reduction.weightShape(shape.get(0)) : null;
            Parameter[] reductionW = new Parameter[depth];
            for (int l = 0; rw != null && l < depth; l++) {
                reductionW[l] = add(Params.ones(String.format(keys.reduction(), l), rw), true);
            }
            for (int s = 0; s < slots.length; s++) {
                List<Parameter> sources = new ArrayList<>();
                List<Parameter> weights = new ArrayList<>();
                for (int l : plan.layersOf(s)) {
                    sources.add(held[l]);
                    if (rw != null) {
                        weights.add(reductionW[l]);
                    }
                    if (!reduction.usesAllSources()) {
                        // choose_first reads only each group's first source: the others get no gradient and
                        // stay out of the optimizer, so weight decay does not move them either
                        held[l].freeze(l != plan.layersOf(s)[0]);
                    }
                }
                slots[s] = new Weight.Fused(reduction, List.copyOf(sources), List.copyOf(weights));
            }
        } else {
            for (int s = 0; s < slots.length; s++) {
                slots[s] = new Weight.Plain(held[s]);
            }
        }

        Relaxation relaxation = shared && matrix ? sharing.relaxation() : Relaxation.NONE;
        layers = new Weight[depth];
        for (int l = 0; l < depth; l++) {
            Weight slot = slots[plan.slotOf(l)]; // the same instance for every layer of the slot
            if (relaxation.isOn()) {
                Parameter[] terms = relaxation.parameters(String.format(keys.relax(), l), shape,
                        String.format(keys.layer(), l) + " " + shape);
                Arrays.stream(terms).forEach(p -> add(p, true));
                layers[l] = new Weight.Relaxed(slot, relaxation, List.of(terms));
            } else {
                layers[l] = slot;
            }
        }
    }

    private Parameter add(Parameter p, boolean fresh) {
        stateDict.put(p.getName(), p);
        if (fresh) {
            freshKeys.add(p.getName());
        }
        return p;
    }

    /** The weight layer {@code l} reads: the one its slot's layers share, or its own relaxation of it. */
    public Weight layer(int l) {
        return layers[l];
    }

    /** Draws every parameter, in {@link #stateDict} order; those already drawn are kept. */
    public void initialize(NDManager manager, DataType type) {
        stateDict.values().forEach(p -> p.initialize(manager, type));
    }

    @Override
    public String scope() {
        return scope;
    }

    @Override
    public SharingPlan plan() {
        return plan;
    }

    @Override
    public Keys keys() {
        return keys;
    }

    @Override
    public boolean fuses() {
        return fuses;
    }

    @Override
    public Map<String, Parameter> stateDict() {
        return Collections.unmodifiableMap(stateDict);
    }

    @Override
    public List<String> freshKeys() {
        return Collections.unmodifiableList(freshKeys);
    }

    @Override
    public NDArray[] perLayer(NDManager scope) {
        Pass pass = new Pass(scope);
        return Arrays.stream(layers).map(w -> w.in(pass)).toArray(NDArray[]::new);
    }

    @Override
    public NDArray[] slotTensors(NDManager scope) {
        Pass pass = new Pass(scope);
        return Arrays.stream(slots).map(w -> w.in(pass)).toArray(NDArray[]::new);
    }

    @Override
    public Map<String, NDArray> compact(NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDArray[] values = slotTensors(scope);
        for (int s = 0; s < values.length; s++) {
            out.put(String.format(plan.isShared() ? keys.slot() : keys.layer(), s), values[s]);
        }
        for (Weight w : layers) {
            if (w instanceof Weight.Relaxed r) {
                r.terms().forEach(p -> out.put(p.getName(), p.getArray()));
            }
        }
        return out;
    }

    @Override
    public void initLoraFromSources(NDManager parent) {
        if (!fuses) {
            return;
        }
        try (NDManager scope = parent.newSubManager()) {
            Pass pass = new Pass(scope);
            for (int l = 0; l < layers.length; l++) {
                if (layers[l] instanceof Weight.Relaxed r) {
                    r.startTowards(pass, held[l].getArray());
                }
            }
        }
    }
}
