package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.junit.jupiter.api.Test;

/**
 * Our AdamW against an independent scalar transcription of {@code torch.optim.AdamW} and
 * {@code clip_grad_norm_}, on a loss whose gradient we know: L = Σ c·w, so ∂L/∂w = c.
 */
class AdamWTest {

    private static final double LR = 0.05;
    private static final double WD = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    /** Large enough that where epsilon is added (to √v̂, not to √v) changes the result. */
    private static final double EPS = 1e-3;

    @Test
    void matchesPyTorchAdamWOverSeveralStepsWithoutClipping() {
        runAgainstReference(null);
    }

    @Test
    void matchesPyTorchAdamWWithGlobalNormClipping() {
        runAgainstReference(0.5);
    }

    @Test
    void aGradientThatOverflowedIsDroppedWithoutTouchingWeightsOrMoments() {
        float[] w0 = {0.5f, -1.0f, 2.0f};
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter a = param(m, "a", w0);
            try (AdamW opt = new AdamW(List.of(new Optimizer.Slot("a", a, WD)), m, B1, B2, EPS)) {
                try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(a.getArray().mul(step.create(new float[] {1f, Float.POSITIVE_INFINITY, 0f})).sum());
                }
                double norm = opt.step(LR, 1.0);
                assertThat(norm).isInfinite();
                assertThat(opt.skippedSteps()).isEqualTo(1);
                assertThat(opt.stepCount()).isZero();
                assertThat(a.getArray().toFloatArray()).containsExactly(w0);
                assertThat(a.getArray().getGradient().toFloatArray()).containsExactly(0f, 0f, 0f);
                // the next, finite step is the first AdamW step (bias corrections of step 1)
                try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(a.getArray().mul(step.create(new float[] {1f, -2f, 0.5f})).sum());
                }
                opt.step(LR, null);
                double[][] w = {toDouble(w0)};
                referenceStep(w, new double[][] {{1, -2, 0.5}}, new double[] {WD}, new double[][] {new double[3]},
                        new double[][] {new double[3]}, 1, null);
                assertClose(a.getArray().toFloatArray(), w[0]);
                assertThat(opt.stepCount()).isEqualTo(1);
            }
        }
    }

    private static void runAgainstReference(Double clip) {
        float[] w0a = {0.5f, -1.0f, 2.0f};
        float[] w0b = {0.25f, 3.0f};
        float[] ca = {1.0f, -2.0f, 0.5f};
        float[] cb = {4.0f, -0.01f};
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter a = param(m, "a", w0a);
            Parameter b = param(m, "b", w0b);
            try (AdamW opt = new AdamW(List.of(new Optimizer.Slot("a", a, WD), new Optimizer.Slot("b", b, 0)), m, B1, B2, EPS)) {
                double[][] w = {toDouble(w0a), toDouble(w0b)};
                double[][] c = {toDouble(ca), toDouble(cb)};
                double[] wd = {WD, 0};
                double[][] mom = {new double[3], new double[2]};
                double[][] vel = {new double[3], new double[2]};
                for (int t = 1; t <= 5; t++) {
                    try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = a.getArray().mul(step.create(ca)).sum().add(b.getArray().mul(step.create(cb)).sum());
                        gc.backward(loss);
                    }
                    opt.step(LR, clip);
                    referenceStep(w, c, wd, mom, vel, t, clip);
                    assertClose(a.getArray().toFloatArray(), w[0]);
                    assertClose(b.getArray().toFloatArray(), w[1]);
                }
            }
        }
    }

    /** torch.optim.AdamW (amsgrad off, maximize off) after clip_grad_norm_, written out per element. */
    private static void referenceStep(double[][] w, double[][] g, double[] wd, double[][] m, double[][] v, int t, Double clip) {
        double scale = clipScale(g, clip);
        double bc1 = 1 - Math.pow(B1, t);
        double bc2 = 1 - Math.pow(B2, t);
        for (int p = 0; p < w.length; p++) {
            for (int i = 0; i < w[p].length; i++) {
                double gi = g[p][i] * scale;
                w[p][i] *= 1 - LR * wd[p];
                m[p][i] = B1 * m[p][i] + (1 - B1) * gi;
                v[p][i] = B2 * v[p][i] + (1 - B2) * gi * gi;
                double denom = Math.sqrt(v[p][i]) / Math.sqrt(bc2) + EPS;
                w[p][i] -= LR / bc1 * m[p][i] / denom;
            }
        }
    }
}
