package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A block that reads {@link Weight}s given to it (by a {@link WeightStack}) rather than owning
 * its parameters. {@link #reads} lists a weight's parameters as the block's own, so DJL's
 * {@code getParameters()} and {@code initialize} see them; a shared one is listed once per block
 * that reads it, as DJL lists a reused block (TabNet). Count and save by our state dicts instead.
 * An isotropic block keeps its input's shape.
 */
public abstract class WeightBlock extends AbstractBlock {

    private final Set<Parameter> read = Collections.newSetFromMap(new IdentityHashMap<>());

    /** The block on {@code x}, with its weights as {@code pass} resolves them; the output has x's shape. */
    public abstract NDArray forward(NDArray x, Pass pass, boolean training);

    /**
     * {@link #forward} in eval mode as ONNX nodes on {@code x}, with the weights as {@code export}
     * stores them (a shared one once for all its layers); returns the output's name.
     */
    public abstract String toOnnx(OnnxExport export, String x);

    /** DJL's entry: a pass of its own (a fused weight is then reduced for this block alone). */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        NDArray x = in.singletonOrThrow();
        return new NDList(forward(x, new Pass(x.getManager()), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return in;
    }

    /** Lists {@code w}'s parameters as this block's; returns {@code w} (null stays null: a weight the config leaves out). */
    protected final Weight reads(Weight w) {
        if (w != null) {
            for (Parameter p : w.parameters()) {
                if (!parameters.containsKey(p.getName())) {
                    addParameter(p);
                    read.add(p);
                }
            }
        }
        return w;
    }

    /**
     * Whether {@code p} came from a stack: its name is then its state-dict key already (the stack
     * named it from the architecture's {@link Keys} row), not a name under this block's path.
     */
    public final boolean readsFromStack(Parameter p) {
        return read.contains(p);
    }
}
