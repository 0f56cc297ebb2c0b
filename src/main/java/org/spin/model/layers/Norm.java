package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A LayerNorm over the last axis (C) that holds its own scale and offset: the final norm of ViT and ConvNeXt. */
public final class Norm extends AbstractBlock {

    public final Parameter weight;
    public final Parameter bias;

    public Norm(long channels) {
        weight = addParameter(Params.gamma("weight", channels));
        bias = addParameter(Params.zeros("bias", Parameter.Type.BETA, channels));
    }

    /** (…, C) → (…, C). */
    public NDArray forward(NDArray x) {
        return LayerNorms.lastAxis(x, weight.getArray(), bias.getArray());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(forward(in.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return in;
    }

    @Override
    public void prepare(Shape[] inputShapes) {}
}
