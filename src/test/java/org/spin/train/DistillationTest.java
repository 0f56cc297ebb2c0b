package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spin.SpinException;

/** The distillation loss against a double-precision transcription, and its gradient against finite differences. */
class DistillationTest {

    private static final int B = 3;
    private static final int K = 5;
    private static final int[] LABELS = {0, 4, 2};

    private static double[] logits(int seed) {
        double[] v = new double[B * K];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * Math.sin(seed * 1.7 + i * 0.91);
        }
        return v;
    }

    /** (1−α)·CE(smoothed) + α·T²·KL(p_t/T ‖ p_s/T), batch mean, in double. */
    static double expected(double[] s, double[] t, double alpha, double temp, double smoothing) {
        double total = 0;
        for (int b = 0; b < B; b++) {
            double[] ls = logSoftmax(s, b, 1);
            double[] lsT = logSoftmax(s, b, temp);
            double[] ltT = logSoftmax(t, b, temp);
            double ce = 0;
            double kl = 0;
            for (int k = 0; k < K; k++) {
                double q = smoothing / K + (k == LABELS[b] ? 1 - smoothing : 0);
                ce -= q * ls[k];
                kl += Math.exp(ltT[k]) * (ltT[k] - lsT[k]);
            }
            total += (1 - alpha) * ce + alpha * temp * temp * kl;
        }
        return total / B;
    }

    private static double[] logSoftmax(double[] x, int row, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < K; k++) {
            max = Math.max(max, x[row * K + k] / temp);
        }
        double sum = 0;
        for (int k = 0; k < K; k++) {
            sum += Math.exp(x[row * K + k] / temp - max);
        }
        double[] out = new double[K];
        for (int k = 0; k < K; k++) {
            out[k] = x[row * K + k] / temp - max - Math.log(sum);
        }
        return out;
    }

    private static float[] f(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"0.0, 1.0, 0.1", "1.0, 1.0, 0.0", "0.5, 4.0, 0.1", "0.9, 2.0, 0.0"})
    void lossAndGradientMatchAnIndependentComputation(double alpha, double temp, double smoothing) {
        double[] s = logits(1);
        double[] t = logits(2);
        Distillation d = new Distillation(null, alpha, temp);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray student = m.create(f(s), new Shape(B, K));
            NDArray teacher = m.create(f(t), new Shape(B, K));
            student.setRequiresGradient(true);
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = d.loss(student, teacher, LABELS, smoothing);
                loss = l.getFloat();
                gc.backward(l);
            }
            assertThat((double) loss).isCloseTo(expected(s, t, alpha, temp, smoothing), within(1e-5));
            float[] grad = student.getGradient().toFloatArray();
            double h = 1e-5;
            for (int i = 0; i < s.length; i++) {
                double[] up = s.clone();
                double[] down = s.clone();
                up[i] += h;
                down[i] -= h;
                double fd = (expected(up, t, alpha, temp, smoothing) - expected(down, t, alpha, temp, smoothing)) / (2 * h);
                assertThat((double) grad[i]).as("d loss / d logit %d", i).isCloseTo(fd, within(1e-4));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"-0.1, 1.0, DISTILL.ALPHA", "1.5, 1.0, DISTILL.ALPHA", "0.5, 0.0, DISTILL.TEMPERATURE"})
    void outOfRangeSettingsAreNamed(double alpha, double temp, String key) {
        assertThatThrownBy(() -> new Distillation(null, alpha, temp)).isInstanceOf(SpinException.class).hasMessageContaining(key);
    }
}
