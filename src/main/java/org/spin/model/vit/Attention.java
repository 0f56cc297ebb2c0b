package org.spin.model.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.spin.onnx.OnnxGraph;
import org.spin.runtime.Scalars;

/**
 * Multi-head self-attention (Vaswani et al. 2017) laid out as timm's ViT {@code Attention}: one
 * linear makes queries, keys and values for every head ({@code qkv}, weight (3C, C) with rows
 * q, k, v and within each the heads in order), softmax(q·kᵀ/√d)·v per head, heads concatenated,
 * one output linear ({@code proj}).
 *
 * <p>A pure function of its tensors, so the tests can run it in float64 for a finite-difference
 * gradient check.
 */
public final class Attention {

    private Attention() {}

    /**
     * @param x (B, N, C) tokens
     * @param qkvBias (3C), or null when the model has none
     * @return (B, N, C)
     */
    public static NDArray apply(NDArray x, NDArray qkvWeight, NDArray qkvBias, NDArray projWeight, NDArray projBias,
                                int heads) {
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(1);
        long c = s.get(2);
        long d = c / heads;
        NDArray qkv = Linear.linear(x, qkvWeight, qkvBias).singletonOrThrow() // (B, N, 3C)
                .reshape(b, n, 3, heads, d) // (B, N, 3, H, d)
                .transpose(2, 0, 3, 1, 4); // (3, B, H, N, d)
        // the scale goes on q before the product, as timm, so the logits never hold the unscaled values
        NDArray q = Scalars.times(qkv.get(0), 1.0 / Math.sqrt(d)); // (B, H, N, d)
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1); // (B, H, N, N): row i weighs the keys for query i
        NDArray out = attn.matMul(v) // (B, H, N, d)
                .transpose(0, 2, 1, 3) // (B, N, H, d)
                .reshape(b, n, c); // (B, N, C): heads side by side
        return Linear.linear(out, projWeight, projBias).singletonOrThrow();
    }

    /** {@link #apply} as ONNX nodes on x (B, N, C); the batch and token counts stay symbolic (Reshape's 0). */
    public static String toOnnx(OnnxGraph g, String x, String qkvWeight, String qkvBias, String projWeight,
                                String projBias, int heads, long c) {
        long d = c / heads;
        String qkv = g.transpose(g.reshape(g.linear(x, qkvWeight, qkvBias), 0, 0, 3, heads, d), 2, 0, 3, 1, 4);
        String q = g.mul(g.index(qkv, 0, 0), g.scalar((float) (1.0 / Math.sqrt(d))));
        String k = g.index(qkv, 0, 1);
        String v = g.index(qkv, 0, 2);
        String attn = g.op("Softmax", g.matMul(q, g.transpose(k, 0, 1, 3, 2)), OnnxGraph.attr("axis", -1L));
        String out = g.reshape(g.transpose(g.matMul(attn, v), 0, 2, 1, 3), 0, 0, c);
        return g.linear(out, projWeight, projBias);
    }
}
