package org.spin.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.spin.model.layers.BatchNorm2d;
import org.spin.model.shared.OnnxExport;
import org.spin.model.shared.Pass;
import org.spin.model.shared.Relaxation;
import org.spin.model.shared.Scopes;
import org.spin.model.shared.Sharing;
import org.spin.model.shared.Stacks;
import org.spin.model.shared.WeightBlock;
import org.spin.model.shared.WeightFamily;
import org.spin.runtime.Autograd;
import org.spin.sharing.SharingPlan;

/**
 * What the isotropic architectures share: an embedding, D blocks whose weights all come from the
 * sharing plan (the {@link Stacks} record {@code W} of one {@link WeightStack} per block weight),
 * and a head. A subclass adds its blocks with {@link #addLayer}, runs the embedding and
 * {@link #layers} in {@link #trunk}, and pools in {@link #forwardHead}.
 *
 * @param <W> the architecture's block weights
 */
public abstract class IsotropicModel<W extends Stacks> extends AbstractBlock implements SpinModel {

    /** Every block weight over the D layers, as the sharing plan holds them; block l reads {@code stack.layer(l)}. */
    protected final W weights;
    private final List<WeightBlock> layers = new ArrayList<>();
    private SplittableRandom random = new SplittableRandom(0);
    private final Sharing sharing;
    private final Scopes scopes;
    private final int numClasses;

    /** @param scopes the architecture's scope vocabulary: its norm scopes are exempt from weight decay */
    protected IsotropicModel(Sharing sharing, Scopes scopes, int numClasses, W weights) {
        this.sharing = sharing;
        this.scopes = scopes;
        this.numClasses = numClasses;
        this.weights = weights;
    }

    /** Adds the next layer's block, as child {@code blocks.{l}}. */
    protected final <B extends WeightBlock> B addLayer(B block) {
        layers.add(addChildBlock("blocks." + layers.size(), block));
        return block;
    }

    /** Layer {@code l}'s block. */
    protected final WeightBlock layer(int l) {
        return layers.get(l);
    }

    /**
     * Every block in turn on {@code x}; each block's output joins {@code outputs} unless null. One
     * {@link Pass} for all of them, so a fused slot is reduced once, when its first layer reads it.
     */
    protected final NDArray layers(NDArray x, boolean training, List<NDArray> outputs) {
        Pass pass = new Pass(x.getManager(), random);
        for (WeightBlock b : layers) {
            x = b.forward(x, pass, training);
            if (outputs != null) {
                outputs.add(x);
            }
        }
        return x;
    }

    /** The embedding, every block and the head as ONNX nodes, as {@link #forward} computes them in eval mode. */
    @Override
    public final String toOnnx(OnnxExport export, String image) {
        String x = embedToOnnx(export, image);
        for (WeightBlock b : layers) {
            x = b.toOnnx(export, x);
        }
        return headToOnnx(export, x);
    }

    /** The embedding (what {@link #trunk} does before the blocks) as ONNX nodes. */
    protected abstract String embedToOnnx(OnnxExport export, String image);

    /** {@link #forwardHead} in eval mode as ONNX nodes. */
    protected abstract String headToOnnx(OnnxExport export, String features);

    /** Sets up every block for input {@code shape} (their weights are drawn by the stacks before). */
    protected final void initializeLayers(NDManager manager, DataType type, Shape shape) {
        layers.forEach(b -> b.initialize(manager, type, shape));
    }

    @Override
    public final List<WeightFamily> sharedTensors() {
        return List.copyOf(weights.all());
    }

    /** The embedding and every block ({@link #layers}); each block's output joins {@code outputs} unless null. */
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

    /** What the architecture exempts outside its block weights: its own norms, embeddings, tokens, layer scales. */
    protected abstract Set<String> ownNoWeightDecay();

    @Override
    public final Set<String> noWeightDecay() {
        Set<String> out = new LinkedHashSet<>(ownNoWeightDecay());
        for (WeightFamily f : sharedTensors()) {
            boolean norm = scopes.norms().contains(f.scope());
            for (String key : f.stateDict().keySet()) {
                if (norm || key.endsWith(Relaxation.SCALE_SUFFIX) || key.endsWith(Relaxation.SHIFT_SUFFIX)) {
                    out.add(key);
                }
            }
        }
        return out;
    }

    /**
     * The state dict from the module tree: every parameter once, where a depth-first walk of the
     * children (in the order added) first meets it, keyed by its path: the child names joined by
     * dots, so each architecture names its blocks and parameters as its reference does. A weight a
     * block reads from a stack is keyed as the stack named it (the architecture's {@code Keys} rows,
     * its rename table for block weights: {@code pwise_w.{s}}, {@code shared.{s}.…}); a slot's
     * weight appears at the first layer that reads it.
     */
    @Override
    public final Map<String, Parameter> stateDict() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        walk(this, "", (path, block) -> {
            for (Parameter p : block.getDirectParameters().values()) {
                if (seen.add(p)) {
                    String key = block instanceof WeightBlock w && w.readsFromStack(p) ? p.getName() : path + p.getName();
                    if (out.putIfAbsent(key, p) != null) {
                        throw new IllegalStateException(getClass().getSimpleName() + " has two tensors under " + key);
                    }
                }
            }
        });
        return out;
    }

    /** Every BatchNorm in the tree, by its state-dict prefix (for its {@code num_batches_tracked} counter). */
    @Override
    public final Map<String, BatchNorm2d> batchNorms() {
        Map<String, BatchNorm2d> out = new LinkedHashMap<>();
        walk(this, "", (path, block) -> {
            if (block instanceof BatchNorm2d bn) {
                out.put(path.substring(0, path.length() - 1), bn);
            }
        });
        return out;
    }

    /** Visits {@code block} at {@code path} ("" or ending in a dot), then its children in the order added. */
    private static void walk(Block block, String path, BiConsumer<String, Block> visit) {
        visit.accept(path, block);
        for (Pair<String, Block> child : block.getChildren()) {
            // DJL numbers the children it holds ("03blocks.1"); the name given to addChildBlock follows
            walk(child.getValue(), path + CHILD_NUMBER.matcher(child.getKey()).replaceFirst("") + ".", visit);
        }
    }

    private static final Pattern CHILD_NUMBER = Pattern.compile("^\\d+");

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

    /**
     * Draws the weights (the stacks' and the model's own) in the order the architecture has always
     * drawn them for a seed, then sets up the blocks ({@link #initializeLayers}).
     */
    @Override
    protected abstract void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes);
}
