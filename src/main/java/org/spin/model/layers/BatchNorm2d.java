package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * BatchNorm over the channels of an NCHW tensor with PyTorch's semantics: momentum 0.1 for the
 * running statistics (unbiased batch variance), epsilon 1e-5, and a {@code num_batches_tracked}
 * counter so state dicts match {@code nn.BatchNorm2d}'s keys.
 */
public final class BatchNorm2d extends AbstractBlock {

    public static final float EPS = 1e-5f;
    /** PyTorch's momentum 0.1; DJL's engine call takes the complement (it passes 1 − m on). */
    private static final float DJL_MOMENTUM = 0.9f;

    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long numBatchesTracked;

    public BatchNorm2d(long channels) {
        this(channels, true);
    }

    /**
     * @param affine false when the scale and offset come from outside ({@link #forward(NDArray,
     *     NDArray, NDArray, boolean)}), e.g. from a shared tensor; the running statistics stay here
     */
    public BatchNorm2d(long channels, boolean affine) {
        weight = affine ? addParameter(Params.gamma("weight", channels)) : null;
        bias = affine ? addParameter(Params.zeros("bias", Parameter.Type.BETA, channels)) : null;
        runningMean = addParameter(Parameter.builder().setName("running_mean")
                .setType(Parameter.Type.RUNNING_MEAN).optShape(new Shape(channels))
                .optInitializer(Initializer.ZEROS).optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("running_var")
                .setType(Parameter.Type.RUNNING_VAR).optShape(new Shape(channels))
                .optInitializer(Initializer.ONES).optRequiresGrad(false).build());
    }

    /** Normalises {@code x} (B, C, H, W); in training it also updates the running statistics in place. */
    public NDArray forward(NDArray x, boolean training) {
        return forward(x, weight.getArray(), bias.getArray(), training);
    }

    /** As {@link #forward(NDArray, boolean)} with the given scale and offset. */
    public NDArray forward(NDArray x, NDArray gamma, NDArray beta, boolean training) {
        if (training) {
            numBatchesTracked++;
        }
        // axis -1 selects the engine's direct call, which treats dim 1 as channels.
        return x.getNDArrayInternal().batchNorm(x, runningMean.getArray(), runningVar.getArray(),
                gamma, beta, -1, DJL_MOMENTUM, EPS, training).singletonOrThrow();
    }

    /** The running mean and variance (C): what evaluation normalises with. */
    public Parameter runningMean() {
        return runningMean;
    }

    public Parameter runningVar() {
        return runningVar;
    }

    /** The own scale and offset, or null when they come from outside (not affine). */
    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public long numBatchesTracked() {
        return numBatchesTracked;
    }

    public void setNumBatchesTracked(long n) {
        numBatchesTracked = n;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public void prepare(Shape[] inputShapes) {}

}
