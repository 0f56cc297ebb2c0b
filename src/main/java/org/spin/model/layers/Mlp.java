package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import org.spin.onnx.OnnxGraph;

/** The transformer MLP on the last axis, ViT's and (as 1×1 convs, channels last) ConvNeXt's. */
public final class Mlp {

    private Mlp() {}

    /** (..., C) → (..., C): fc1, exact GELU (erf, as {@code nn.GELU}), fc2. */
    public static NDArray apply(NDArray x, NDArray fc1Weight, NDArray fc1Bias, NDArray fc2Weight, NDArray fc2Bias) {
        NDArray h = Activation.gelu(Linear.linear(x, fc1Weight, fc1Bias).singletonOrThrow()); // (..., hidden)
        return Linear.linear(h, fc2Weight, fc2Bias).singletonOrThrow();
    }

    /** {@link #apply} as ONNX nodes. */
    public static String toOnnx(OnnxGraph g, String x, String fc1Weight, String fc1Bias, String fc2Weight, String fc2Bias) {
        return g.linear(g.gelu(g.linear(x, fc1Weight, fc1Bias)), fc2Weight, fc2Bias);
    }
}
