package org.spin.model.vit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multi-head self-attention against a plain-loop computation, and its gradient against finite differences. */
class ViTAttentionTest {

    private static final int B = 2, N = 3, C = 4, HEADS = 2;
    /** x, qkv weight and bias, proj weight and bias. */
    private static final long[][] SHAPES = {{B, N, C}, {3 * C, C}, {3 * C}, {C, C}, {C}};
    private static final String[] NAMES = {"x", "qkv.weight", "qkv.bias", "proj.weight", "proj.bias"};

    private static double[][] randomInputs(long seed) {
        Random r = new Random(seed);
        double[][] in = new double[SHAPES.length][];
        for (int i = 0; i < in.length; i++) {
            in[i] = new double[(int) new Shape(SHAPES[i]).size()];
            for (int j = 0; j < in[i].length; j++) {
                in[i][j] = r.nextGaussian() * (i == 0 ? 1.0 : 0.5);
            }
        }
        return in;
    }

    /** The same attention with loops over batch, head, query and key: nothing shared with the DJL code. */
    private static double[] byLoops(double[][] in) {
        double[] x = in[0], wqkv = in[1], bqkv = in[2], wproj = in[3], bproj = in[4];
        int d = C / HEADS;
        double[] out = new double[B * N * C];
        for (int b = 0; b < B; b++) {
            double[][] qkv = new double[N][3 * C]; // per token: q (C), k (C), v (C)
            for (int t = 0; t < N; t++) {
                for (int o = 0; o < 3 * C; o++) {
                    double s = bqkv[o];
                    for (int i = 0; i < C; i++) {
                        s += wqkv[o * C + i] * x[(b * N + t) * C + i];
                    }
                    qkv[t][o] = s;
                }
            }
            double[][] heads = new double[N][C]; // per token, the heads' outputs side by side
            for (int h = 0; h < HEADS; h++) {
                for (int q = 0; q < N; q++) {
                    double[] logits = new double[N];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < N; k++) {
                        double dot = 0;
                        for (int j = 0; j < d; j++) {
                            dot += qkv[q][h * d + j] * qkv[k][C + h * d + j];
                        }
                        logits[k] = dot / Math.sqrt(d);
                        max = Math.max(max, logits[k]);
                    }
                    double z = 0;
                    for (int k = 0; k < N; k++) {
                        logits[k] = Math.exp(logits[k] - max);
                        z += logits[k];
                    }
                    for (int k = 0; k < N; k++) {
                        for (int j = 0; j < d; j++) {
                            heads[q][h * d + j] += logits[k] / z * qkv[k][2 * C + h * d + j];
                        }
                    }
                }
            }
            for (int t = 0; t < N; t++) {
                for (int o = 0; o < C; o++) {
                    double s = bproj[o];
                    for (int i = 0; i < C; i++) {
                        s += wproj[o * C + i] * heads[t][i];
                    }
                    out[(b * N + t) * C + o] = s;
                }
            }
        }
        return out;
    }

    private static NDArray[] arrays(NDManager m, double[][] in, DataType type) {
        NDArray[] a = new NDArray[in.length];
        for (int i = 0; i < in.length; i++) {
            a[i] = m.create(in[i], new Shape(SHAPES[i])).toType(type, false);
        }
        return a;
    }

    private static NDArray attention(NDArray[] a) {
        return Attention.apply(a[0], a[1], a[2], a[3], a[4], HEADS);
    }

    @Test
    void equalsAttentionComputedByPlainLoops() {
        double[][] in = randomInputs(1);
        double[] want = byLoops(in);
        try (NDManager m = NDManager.newBaseManager()) {
            double[] got64 = attention(arrays(m, in, DataType.FLOAT64)).toDoubleArray();
            float[] got32 = attention(arrays(m, in, DataType.FLOAT32)).toFloatArray();
            assertThat(attention(arrays(m, in, DataType.FLOAT64)).getShape()).isEqualTo(new Shape(B, N, C));
            for (int i = 0; i < want.length; i++) {
                assertThat(got64[i]).as("float64 out[%d]", i).isCloseTo(want[i], within(1e-12));
                assertThat((double) got32[i]).as("float32 out[%d]", i).isCloseTo(want[i], within(1e-5));
            }
        }
    }

    @Test
    void withoutAQkvBiasItIsTheSameAsAZeroBias() {
        double[][] in = randomInputs(2);
        java.util.Arrays.fill(in[2], 0);
        double[] want = byLoops(in);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] a = arrays(m, in, DataType.FLOAT64);
            double[] got = Attention.apply(a[0], a[1], null, a[3], a[4], HEADS).toDoubleArray();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).isCloseTo(want[i], within(1e-12));
            }
        }
    }

    /** Σ out ⊙ r for a fixed r, so every output element weighs differently in the gradient. */
    private static NDArray loss(NDArray out) {
        NDManager m = out.getManager();
        NDArray r = m.arange(0, B * N * C, 1, DataType.FLOAT64).mul(0.7).sin().reshape(B, N, C);
        return out.mul(r).sum();
    }

    @Test
    void itsGradientMatchesCentralFiniteDifferencesInFloat64() {
        double[][] in = randomInputs(3);
        double[][] analytic = new double[in.length][];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] a = arrays(m, in, DataType.FLOAT64);
            for (NDArray t : a) {
                t.setRequiresGradient(true);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(attention(a)));
            }
            for (int i = 0; i < a.length; i++) {
                analytic[i] = a[i].getGradient().toDoubleArray();
            }
        }
        double h = 1e-6;
        int checked = 0;
        for (int i = 0; i < in.length; i++) {
            for (int j = 0; j < in[i].length; j++) {
                double saved = in[i][j];
                in[i][j] = saved + h;
                double plus = lossValue(in);
                in[i][j] = saved - h;
                double minus = lossValue(in);
                in[i][j] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertThat(analytic[i][j]).as("d loss / d %s[%d]", NAMES[i], j)
                        .isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(B * N * C + 3 * C * C + 3 * C + C * C + C);
    }

    private static double lossValue(double[][] in) {
        try (NDManager m = NDManager.newBaseManager()) {
            return loss(attention(arrays(m, in, DataType.FLOAT64))).getDouble();
        }
    }
}
