package org.spin.model.convnext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.model.shared.Pass;
import org.spin.model.shared.Weight;
import org.spin.model.shared.WeightFamily;

/**
 * One block, checked independently of the engine: against plain Java loops (depthwise conv,
 * LayerNorm, two linears, exact GELU, layer scale, residual) and, for its gradients, against
 * central finite differences. Both in float64, so the tolerances can be tight.
 */
class ConvNeXtBlockTest {

    private static final int B = 2, C = 4, H = 5, W = 3, K = 3, HIDDEN = 8;

    private static ConvNeXtConfig config() {
        SpinConfig cfg = TinyConvNeXt.config(C, 2, 1, K).with("CONVNEXT.MLP_RATIO", HIDDEN / C)
                .with("CONVNEXT.LAYER_SCALE_INIT", 0.7);
        return ConvNeXtConfig.from(cfg);
    }

    /** A float64 model whose block tensors are all random (biases, norm offsets and γ too). */
    private static ConvNeXt model(NDManager m) {
        ConvNeXt model = new ConvNeXt(config());
        m.getEngine().setRandomSeed(3);
        model.initialize(m, DataType.FLOAT64, new Shape(B, 3, H, W));
        for (WeightFamily t : model.sharedTensors()) {
            for (var p : t.stateDict().values()) {
                NDArray a = p.getArray();
                a.set(m.randomNormal(0, 0.5f, a.getShape(), DataType.FLOAT64).add(p.getName().contains("gamma")
                        || p.getName().contains("norm.weight") ? 1 : 0).toDoubleArray());
            }
        }
        return model;
    }

    @Test
    void aBlockIsDwconvLayerNormLinearGeluLinearLayerScaleAndResidual() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvNeXt model = model(m);
            NDArray x = m.randomNormal(0, 1, new Shape(B, C, H, W), DataType.FLOAT64);
            ConvNeXt.ConvNeXtBlock block = model.block(1);
            double[] got = block.forward(x, new Pass(m), false).toDoubleArray();
            double[] want = plainBlock(x.toDoubleArray(), block, new Pass(m));
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("output %d", i).isCloseTo(want[i], within(1e-10));
            }
        }
    }

    @Test
    void theBlocksGradientsAreTheFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvNeXt model = model(m);
            ConvNeXt.ConvNeXtBlock block = model.block(0);
            NDArray x = m.randomNormal(0, 1, new Shape(B, C, H, W), DataType.FLOAT64);
            NDArray r = m.randomNormal(0, 1, new Shape(B, C, H, W), DataType.FLOAT64); // loss = Σ block(x)·r
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(block.forward(x, new Pass(s), true).mul(r).sum());
            }
            Map<Weight, Integer> entries = new LinkedHashMap<>();
            entries.put(block.pwconv1Weight, 13);
            entries.put(block.pwconv2Weight, 21);
            entries.put(block.normWeight, 2);
            entries.put(block.gamma, 3);
            entries.forEach((w, index) -> {
                Parameter p = ((Weight.Plain) w).parameter(); // layer 0's own: nothing is shared here
                double analytic = p.getArray().getGradient().toDoubleArray()[index];
                double h = 1e-5;
                double numeric = (loss(block, x, r, p, index, h, m) - loss(block, x, r, p, index, -h, m)) / (2 * h);
                assertThat(analytic).as("d loss / d %s[%d]", p.getName(), index).isCloseTo(numeric, within(1e-7))
                        .isNotCloseTo(0, within(1e-6));
            });
        }
    }

    /** Σ block(x)·r with entry {@code index} of {@code p} moved by {@code h} (and moved back after). */
    private static double loss(ConvNeXt.ConvNeXtBlock block, NDArray x, NDArray r, Parameter p, int index, double h,
                               NDManager m) {
        double[] v = p.getArray().toDoubleArray();
        double old = v[index];
        v[index] = old + h;
        p.getArray().set(new NDIndex("..."), m.create(v, p.getArray().getShape()));
        try (NDManager s = m.newSubManager()) {
            return block.forward(x, new Pass(s), false).mul(r).sum().getDouble();
        } finally {
            v[index] = old;
            p.getArray().set(new NDIndex("..."), m.create(v, p.getArray().getShape()));
        }
    }

    /** The block by loops: x (B, C, H, W) row-major, the block's weights read by name. */
    private static double[] plainBlock(double[] x, ConvNeXt.ConvNeXtBlock block, Pass pass) {
        double[] dw = block.dwconvWeight.in(pass).toDoubleArray(); // (C, 1, K, K)
        double[] dwb = block.dwconvBias.in(pass).toDoubleArray();
        double[] lnw = block.normWeight.in(pass).toDoubleArray();
        double[] lnb = block.normBias.in(pass).toDoubleArray();
        double[] w1 = block.pwconv1Weight.in(pass).toDoubleArray(); // (HIDDEN, C)
        double[] b1 = block.pwconv1Bias.in(pass).toDoubleArray();
        double[] w2 = block.pwconv2Weight.in(pass).toDoubleArray(); // (C, HIDDEN)
        double[] b2 = block.pwconv2Bias.in(pass).toDoubleArray();
        double[] gamma = block.gamma.in(pass).toDoubleArray();
        double[] out = new double[x.length];
        int pad = K / 2;
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < W; j++) {
                    double[] v = new double[C]; // this pixel's channels after the depthwise conv
                    for (int c = 0; c < C; c++) {
                        double sum = dwb[c];
                        for (int ki = 0; ki < K; ki++) {
                            for (int kj = 0; kj < K; kj++) {
                                int y = i + ki - pad;
                                int z = j + kj - pad;
                                if (y >= 0 && y < H && z >= 0 && z < W) {
                                    sum += dw[(c * K + ki) * K + kj] * x[((b * C + c) * H + y) * W + z];
                                }
                            }
                        }
                        v[c] = sum;
                    }
                    double mean = 0;
                    for (double a : v) {
                        mean += a / C;
                    }
                    double var = 0; // biased, as LayerNorm
                    for (double a : v) {
                        var += (a - mean) * (a - mean) / C;
                    }
                    for (int c = 0; c < C; c++) {
                        v[c] = (v[c] - mean) / Math.sqrt(var + 1e-6) * lnw[c] + lnb[c];
                    }
                    double[] hidden = new double[HIDDEN];
                    for (int o = 0; o < HIDDEN; o++) {
                        double sum = b1[o];
                        for (int c = 0; c < C; c++) {
                            sum += w1[o * C + c] * v[c];
                        }
                        hidden[o] = 0.5 * sum * (1 + erf(sum / Math.sqrt(2)));
                    }
                    for (int c = 0; c < C; c++) {
                        double sum = b2[c];
                        for (int o = 0; o < HIDDEN; o++) {
                            sum += w2[c * HIDDEN + o] * hidden[o];
                        }
                        int at = ((b * C + c) * H + i) * W + j;
                        out[at] = x[at] + gamma[c] * sum;
                    }
                }
            }
        }
        return out;
    }

    /** erf to ~1e-13 (the series loses digits near 3): Maclaurin series for |x| ≤ 3, erfc's continued fraction beyond. */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a > 3) {
            double f = a;
            for (int k = 80; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            return Math.signum(x) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f);
        }
        double sum = 0;
        double term = x; // (-1)^n x^(2n+1) / n!
        for (int n = 0; n < 200 && Math.abs(term) > 1e-18; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void erfIsErf() {
        assertThat(erf(0.5)).isCloseTo(0.5204998778130465, within(1e-12));
        assertThat(erf(-1)).isCloseTo(-0.8427007929497149, within(1e-12));
        assertThat(erf(2.9)).isCloseTo(0.9999589021219005, within(1e-12));
        assertThat(erf(3.5)).isCloseTo(0.9999992569016276, within(1e-12));
    }
}
