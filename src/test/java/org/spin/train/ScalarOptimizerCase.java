package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/** What the optimizer tests share: small parameters, and their scalar transcriptions' arithmetic. */
final class ScalarOptimizerCase {

    private ScalarOptimizerCase() {}

    /** A 1-D parameter holding {@code values}. */
    static Parameter param(NDManager m, String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(values.length)).optInitializer(Initializer.ZEROS).build();
        p.initialize(m, DataType.FLOAT32);
        p.getArray().set(new NDIndex("..."), m.create(values));
        return p;
    }

    /** {@code clip_grad_norm_}'s factor for gradients {@code g}, 1 without clipping. */
    static double clipScale(double[][] g, Double clip) {
        if (clip == null) {
            return 1;
        }
        double sq = 0;
        for (double[] gi : g) {
            for (double x : gi) {
                sq += x * x;
            }
        }
        return Math.min(1, clip / (Math.sqrt(sq) + 1e-6));
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static void assertClose(float[] got, double[] want) {
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("element %d", i).isCloseTo(want[i], within(2e-6 * Math.max(1, Math.abs(want[i]))));
        }
    }
}
