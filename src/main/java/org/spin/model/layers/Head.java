package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The classifier: a linear layer on pooled features, weight drawn N(0, std²), bias zero. */
public final class Head extends AbstractBlock {

    public final Parameter weight;
    public final Parameter bias;

    public Head(String weightName, String biasName, long features, long classes, float std) {
        weight = addParameter(Params.normal(weightName, std, classes, features));
        bias = addParameter(Params.zeros(biasName, Parameter.Type.BIAS, classes));
    }

    /** (B, features) → (B, classes). */
    public NDArray forward(NDArray pooled) {
        return Linear.linear(pooled, weight.getArray(), bias.getArray()).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(forward(in.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[] {new Shape(in[0].get(0), weight.getShape().get(0))};
    }

    @Override
    public void prepare(Shape[] inputShapes) {}

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager m, DataType t, Shape... s) {}
}
