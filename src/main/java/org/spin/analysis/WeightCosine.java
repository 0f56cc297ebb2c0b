package org.spin.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.spin.model.shared.WeightFamily;

/**
 * Cosine similarity between the layers' copies of one weight family (e.g. every block's qkv
 * weight), flattened: the weight-space view of how alike layers are, next to CKA's
 * representation view. Layers that share a slot have cosine 1.
 *
 * @param family the family's per-layer state-dict key with {@code *} for the layer, e.g. {@code blocks.*.attn.qkv.weight}
 * @param scope the sharing scope it belongs to
 * @param cosine D×D; NaN where a layer's tensor is all zeros
 */
public record WeightCosine(String family, String scope, double[][] cosine) {

    /** One entry per tensor of rank ≥ 2 (weights; biases and norm scales are left out), as each layer uses it. */
    public static List<WeightCosine> of(List<WeightFamily> tensors, NDManager parent) {
        List<WeightCosine> out = new ArrayList<>();
        for (WeightFamily t : tensors) {
            try (NDManager scope = parent.newSubManager()) {
                NDArray[] layers = t.perLayer(scope);
                if (layers[0].getShape().dimension() < 2) {
                    continue;
                }
                float[][] w = new float[layers.length][];
                for (int l = 0; l < layers.length; l++) {
                    w[l] = layers[l].toFloatArray();
                }
                out.add(new WeightCosine(t.keys().layer().replace("%d", "*"), t.scope(), cosine(w)));
            }
        }
        return out;
    }

    /** Cosine between every pair of rows. */
    static double[][] cosine(float[][] rows) {
        int n = rows.length;
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            norm[i] = Math.sqrt(dot(rows[i], rows[i]));
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                c[i][j] = dot(rows[i], rows[j]) / (norm[i] * norm[j]);
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }
}
