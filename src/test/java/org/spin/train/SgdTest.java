package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spin.train.ScalarOptimizerCase.assertClose;
import static org.spin.train.ScalarOptimizerCase.clipScale;
import static org.spin.train.ScalarOptimizerCase.param;
import static org.spin.train.ScalarOptimizerCase.toDouble;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spin.io.HostTensor;

/**
 * Our SGD against an independent scalar transcription of {@code torch.optim.SGD} after
 * {@code clip_grad_norm_}, on L = Σ c·w + ½Σw² (∂L/∂w = c + w, so the momentum sees a gradient
 * that changes), with a learning rate that changes every step.
 */
class SgdTest {

    private static final double WD = 0.1;

    @ParameterizedTest(name = "momentum {0}, dampening {1}, Nesterov {2}, clip {3}")
    @CsvSource({"0.9, 0.0, true, ", "0.9, 0.1, false, 0.5", "0.0, 0.0, false, ", "0.5, 0.0, false, 0.3"})
    void matchesPyTorchSgd(double momentum, double dampening, boolean nesterov, Double clip) {
        float[] w0a = {0.5f, -1.0f, 2.0f};
        float[] w0b = {0.25f, 3.0f};
        double[][] c = {{1.0, -2.0, 0.5}, {4.0, -0.01}};
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter a = param(m, "a", w0a);
            Parameter b = param(m, "b", w0b);
            try (Sgd opt = new Sgd(List.of(new Optimizer.Slot("a", a, WD), new Optimizer.Slot("b", b, 0)), m, momentum,
                    dampening, nesterov)) {
                double[][] w = {toDouble(w0a), toDouble(w0b)};
                double[] wd = {WD, 0};
                double[][] buf = {new double[3], new double[2]};
                for (int t = 1; t <= 6; t++) {
                    double lr = 0.1 / t;
                    try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray wa = a.getArray();
                        NDArray wb = b.getArray();
                        NDArray loss = wa.mul(step.create(toFloat(c[0]))).sum().add(wb.mul(step.create(toFloat(c[1]))).sum())
                                .add(wa.square().sum().add(wb.square().sum()).mul(step.create(0.5f)));
                        gc.backward(loss);
                    }
                    double[][] g = {new double[3], new double[2]};
                    for (int p = 0; p < 2; p++) {
                        for (int i = 0; i < g[p].length; i++) {
                            g[p][i] = c[p][i] + w[p][i];
                        }
                    }
                    opt.step(lr, clip);
                    referenceStep(w, g, wd, buf, t, lr, momentum, dampening, nesterov, clip);
                    assertClose(a.getArray().toFloatArray(), w[0]);
                    assertClose(b.getArray().toFloatArray(), w[1]);
                    assertThat(a.getArray().getGradient().toFloatArray()).as("the gradient is zeroed").containsOnly(0f);
                }
                Map<String, HostTensor> state = opt.state();
                assertThat(state).containsOnlyKeys("momentum_buffer.a", "momentum_buffer.b");
            }
        }
    }

    @Test
    void nesterovWithoutMomentumIsRefusedAsPyTorchRefusesIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> new Sgd(List.of(), m, 0.0, 0.0, true))
                    .hasMessageStartingWith("SOLVER.NESTEROV True needs SOLVER.MOMENTUM above 0");
        }
    }

    /** torch.optim.SGD (maximize off) after clip_grad_norm_, written out per element. */
    private static void referenceStep(double[][] w, double[][] g, double[] wd, double[][] buf, int t, double lr,
                                      double momentum, double dampening, boolean nesterov, Double clip) {
        double scale = clipScale(g, clip);
        for (int p = 0; p < w.length; p++) {
            for (int i = 0; i < w[p].length; i++) {
                double d = g[p][i] * scale + wd[p] * w[p][i];
                if (momentum != 0) {
                    buf[p][i] = t == 1 ? d : momentum * buf[p][i] + (1 - dampening) * d;
                    d = nesterov ? d + momentum * buf[p][i] : buf[p][i];
                }
                w[p][i] -= lr * d;
            }
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
