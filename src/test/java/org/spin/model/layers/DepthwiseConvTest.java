package org.spin.model.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dense-matrix depthwise convolution is the engine's grouped convolution, forward and backward. */
class DepthwiseConvTest {

    @ParameterizedTest(name = "B{0} C{1} {2}x{3} K{4}")
    @CsvSource({"3, 4, 5, 5, 3", "2, 5, 4, 6, 5", "2, 3, 3, 2, 9", "1, 2, 1, 1, 3", "16, 8, 8, 8, 9"})
    void denseFormMatchesTheGroupedConvolutionAndItsGradients(int b, int c, int h, int w, int k) {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(7);
            float[][] direct = run(m, b, c, h, w, k, false);
            float[][] dense = run(m, b, c, h, w, k, true);
            String[] what = {"output", "d/dx", "d/dweight", "d/dbias"};
            for (int i = 0; i < what.length; i++) {
                assertThat(direct[i].length).as(what[i]).isEqualTo(dense[i].length).isPositive();
                for (int j = 0; j < direct[i].length; j++) {
                    assertThat(dense[i][j]).as("%s[%d]", what[i], j)
                            .isCloseTo(direct[i][j], org.assertj.core.data.Offset.offset(1e-4f * (1 + Math.abs(direct[i][j]))));
                }
            }
        }
    }

    /** Output and gradients of sum(y · r) for a fixed random r, so every output element matters. */
    private static float[][] run(NDManager parent, int b, int c, int h, int w, int k, boolean dense) {
        try (NDManager m = parent.newSubManager()) {
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(new Shape(b, c, h, w));
            NDArray weight = m.randomNormal(new Shape(c, 1, k, k));
            NDArray bias = m.randomNormal(new Shape(c));
            NDArray r = m.randomNormal(new Shape(b, c, h, w));
            for (NDArray a : new NDArray[] {x, weight, bias}) {
                a.setRequiresGradient(true);
            }
            float[] y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                int pad = (k - 1) / 2;
                NDArray out = dense ? DepthwiseConv.dense(x, weight, bias, h, w, k)
                        : Conv2d.conv2d(x, weight, bias, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), c)
                                .singletonOrThrow();
                y = out.toFloatArray();
                gc.backward(out.mul(r).sum());
            }
            return new float[][] {y, x.getGradient().toFloatArray(), weight.getGradient().toFloatArray(),
                    bias.getGradient().toFloatArray()};
        }
    }
}
