package org.spin.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Locale;
import org.spin.SpinException;
import org.spin.onnx.OnnxGraph;

/** The activations the reference offers ({@code ACT_FUNC}): ReLU or GELU (exact, erf-based). */
public enum Act {
    RELU,
    GELU;

    public NDArray apply(NDArray x) {
        return this == RELU ? Activation.relu(x) : Activation.gelu(x);
    }

    /** {@link #apply} as an ONNX node. */
    public String toOnnx(OnnxGraph g, String x) {
        return this == RELU ? g.relu(x) : g.gelu(x);
    }

    public static Act parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SpinException("activation '" + name + "' is not known; valid: RELU, GELU");
        }
    }
}
