package org.spin.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.spin.model.layers.BatchNorm2d;
import org.spin.model.shared.Relaxation;
import org.spin.model.shared.Scopes;
import org.spin.model.shared.Sharing;
import org.spin.model.shared.WeightFamily;
import org.spin.runtime.Autograd;
import org.spin.sharing.SharingPlan;

/**
 * What the isotropic architectures share: an embedding, D blocks whose weights all come from the
 * sharing plan (one {@code WeightStack} per block weight, listed by {@link #sharedTensors}), and a
 * head. A subclass runs embedding and blocks in {@link #trunk} and pools in {@link #forwardHead}.
 */
public abstract class IsotropicModel extends AbstractBlock implements SpinModel {

    private SplittableRandom random = new SplittableRandom(0);
    private final Sharing sharing;
    private final int numClasses;

    protected IsotropicModel(Sharing sharing, int numClasses) {
        this.sharing = sharing;
        this.numClasses = numClasses;
    }

    /**
     * The embedding and every block; each block's output joins {@code outputs} unless null. One
     * {@code Pass} for all blocks, so a fused slot is reduced once per pass.
     */
    protected abstract NDArray trunk(NDArray x, boolean training, List<NDArray> outputs);

    /** Features → (B, classes). */
    public abstract NDArray forwardHead(NDArray features, boolean training);

    /** (B, Cin, H, W) → the features the head pools. */
    public NDArray forwardFeatures(NDArray x, boolean training) {
        return trunk(x, training, null);
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return forwardHead(forwardFeatures(x, training), training);
    }

    @Override
    public List<NDArray> blockOutputs(NDArray x) {
        List<NDArray> outputs = new ArrayList<>();
        trunk(x, false, outputs);
        return outputs;
    }

    /**
     * Dropout before the classifier, when the config asks for it (the reference's {@code DROPOUT_RATE}):
     * each unit kept with probability 1 − rate and scaled by 1 / (1 − rate), as {@code nn.Dropout}. The
     * mask comes from this model's own generator ({@link #reseed}), not the engine's process-wide one,
     * so another thread's draws cannot change a training run.
     */
    protected final NDArray headDropout(NDArray pooled, float rate, boolean training) {
        if (rate <= 0 || !training) {
            return pooled;
        }
        float[] mask = new float[Math.toIntExact(pooled.size())];
        float keep = 1f / (1f - rate);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() < rate ? 0f : keep;
        }
        return pooled.mul(pooled.getManager().create(mask, pooled.getShape()));
    }

    @Override
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public SharingPlan plan() {
        return sharing.plan();
    }

    /** The architecture's scope vocabulary: its norm scopes are exempt from weight decay. */
    protected abstract Scopes scopes();

    /** What the architecture exempts outside its block weights: its own norms, embeddings, tokens, layer scales. */
    protected abstract Set<String> ownNoWeightDecay();

    @Override
    public final Set<String> noWeightDecay() {
        Set<String> out = new LinkedHashSet<>(ownNoWeightDecay());
        for (WeightFamily f : sharedTensors()) {
            boolean norm = scopes().norms().contains(f.scope());
            for (String key : f.stateDict().keySet()) {
                if (norm || key.endsWith(Relaxation.SCALE_SUFFIX) || key.endsWith(Relaxation.SHIFT_SUFFIX)) {
                    out.add(key);
                }
            }
        }
        return out;
    }

    /** None by default: only ConvMixer has BatchNorms. */
    @Override
    public Map<String, BatchNorm2d> batchNorms() {
        return Map.of();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        if (training) {
            return new NDList(forward(inputs.singletonOrThrow(), true));
        }
        try (Autograd.Scope inference = Autograd.paused()) { // DJL's Predictor runs here, in any thread
            return new NDList(forward(inputs.singletonOrThrow(), false));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    /** Children in the order added (the order a seed draws their weights); every parameter's shape is fixed. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, type, inputShapes);
        }
    }
}
