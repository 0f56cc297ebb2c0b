package org.spin.model.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;

/** Stochastic depth: timm's per-sample drop and 1/keep scaling, linear over depth, identity in evaluation. */
class DropPathTest {

    @Test
    void theRateGrowsLinearlyFromZeroAtTheFirstBlockToTheKeyAtTheLast() {
        assertThat(DropPath.rate(0.1f, 0, 12)).isZero();
        assertThat(DropPath.rate(0.1f, 11, 12)).isCloseTo(0.1f, within(1e-7f));
        assertThat(DropPath.rate(0.1f, 5, 12)).isCloseTo(0.1f * 5 / 11, within(1e-7f));
        assertThat(DropPath.rate(0.3f, 0, 1)).as("linspace(0, r, 1) is [0]").isZero();
        assertThatThrownBy(() -> DropPath.check("VIT.DROP_PATH_RATE", 1f))
                .hasMessage("VIT.DROP_PATH_RATE 1.0 must be in [0, 1)");
    }

    @Test
    void wholeSamplesAreDroppedAtTheRateAndTheRestScaledByOneOverKeep() {
        int batch = 20_000;
        float rate = 0.3f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ones = m.ones(new Shape(batch, 2, 3));
            float[] out = DropPath.apply(ones, rate, true, new SplittableRandom(7)).toFloatArray();
            int dropped = 0;
            for (int b = 0; b < batch; b++) {
                float first = out[b * 6];
                for (int i = 1; i < 6; i++) {
                    assertThat(out[b * 6 + i]).as("sample %d is dropped or kept whole", b).isEqualTo(first);
                }
                if (first == 0) {
                    dropped++;
                } else {
                    assertThat(first).isCloseTo(1 / (1 - rate), within(1e-6f));
                }
            }
            double sigma = Math.sqrt(rate * (1 - rate) / batch);
            assertThat((double) dropped / batch).isCloseTo(rate, within(4 * sigma));
            assertThat(DropPath.apply(ones, rate, false, new SplittableRandom(7))).as("evaluation").isSameAs(ones);
        }
    }

    /** A model's drop path changes nothing in evaluation; in training it draws from the model's seed. */
    @Test
    void vitAndConvNextDropPathsOnlyInTrainingAndRepeatablyPerSeed() {
        for (String key : new String[] {"VIT.DROP_PATH_RATE", "CONVNEXT.DROP_PATH_RATE"}) {
            String preset = key.startsWith("VIT") ? "vit_64_6_patch4_28" : "convnext_iso_64_8_patch2_28";
            SpinConfig plain = Presets.get(preset).applyTo(SpinConfig.defaults());
            try (NDManager m = NDManager.newBaseManager()) {
                SpinModel without = Models.build(plain, m, 28);
                SpinModel with = Models.build(plain.with(key, 0.5), m, 28);
                NDArray x = m.randomNormal(new Shape(16, 1, 28, 28));
                float[] a = without.forward(x, false).toFloatArray();
                assertThat(with.forward(x, false).toFloatArray()).as(key + " in evaluation").containsExactly(a);
                with.reseed(3);
                float[] t1 = with.forward(x, true).toFloatArray();
                with.reseed(3);
                float[] t2 = with.forward(x, true).toFloatArray();
                assertThat(t2).as(key + " with the same seed").containsExactly(t1);
                assertThat(t1).as(key + " in training").isNotEqualTo(without.forward(x, true).toFloatArray());
            }
        }
    }
}
