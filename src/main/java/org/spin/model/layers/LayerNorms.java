package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** LayerNorm over the last axis, as timm's ViT and the original ConvNeXt use it on channels-last tokens. */
public final class LayerNorms {

    /** Both models' epsilon ({@code eps=1e-6}), not PyTorch's default 1e-5. */
    public static final float EPS = 1e-6f;

    private LayerNorms() {}

    /** Normalises {@code x} (…, C) over C, then scales by {@code gamma} and shifts by {@code beta} (C). */
    public static NDArray lastAxis(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, EPS).singletonOrThrow();
    }
}
