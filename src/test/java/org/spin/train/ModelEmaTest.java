package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;

/** The weight average against the recurrence computed on the host, and timm's decay warm-up. */
class ModelEmaTest {

    private static final SpinConfig CFG = Presets.get("convmixer_64_8").applyTo(SpinConfig.defaults())
            .with("CONVMIXER.CHANNEL", 8).with("CONVMIXER.DEPTH", 2);

    @Test
    void everyTensorFollowsTheMovingAverageOfTheWeightsItSaw() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(CFG, m, 28);
            SpinModel average = Models.build(CFG.with("RNG_SEED", 99), m, 28);
            double decay = 0.75;
            ModelEma ema = new ModelEma(model, average, decay, false);
            Map<String, double[]> expected = new HashMap<>();
            model.stateDict().forEach((k, p) -> expected.put(k, toDoubles(p.getArray())));
            for (int step = 1; step <= 5; step++) {
                int s = step;
                // move every tensor, running statistics included, by a known amount
                try (Autograd.Scope off = Autograd.paused()) {
                    for (Parameter p : model.stateDict().values()) {
                        NDArray a = p.getArray();
                        float[] v = a.toFloatArray();
                        for (int i = 0; i < v.length; i++) {
                            v[i] += (float) Math.sin(i + 7 * s);
                        }
                        a.set(v);
                    }
                }
                ema.update(step);
                model.stateDict().forEach((k, p) -> {
                    double[] e = expected.get(k);
                    float[] now = p.getArray().toFloatArray();
                    for (int i = 0; i < e.length; i++) {
                        e[i] = decay * e[i] + (1 - decay) * now[i];
                    }
                });
            }
            int compared = 0;
            for (Map.Entry<String, Parameter> e : average.stateDict().entrySet()) {
                float[] got = e.getValue().getArray().toFloatArray();
                double[] want = expected.get(e.getKey());
                for (int i = 0; i < got.length; i++) {
                    assertThat((double) got[i]).as("%s[%d]", e.getKey(), i).isCloseTo(want[i], within(1e-5));
                }
                compared++;
            }
            assertThat(compared).isEqualTo(model.stateDict().size());
            assertThat(average.stateDict().keySet()).anyMatch(k -> k.endsWith("running_var"));
        }
    }

    @Test
    void theWarmupFollowsTimmsModelEmaV3AndNeverExceedsTheDecay() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(CFG, m, 28);
            ModelEma warm = new ModelEma(model, Models.build(CFG, m, 28), 0.999, true);
            assertThat(warm.decayAt(1)).as("the first update copies").isZero();
            assertThat(warm.decayAt(2)).isCloseTo(1 - Math.pow(2, -2.0 / 3), within(1e-12));
            assertThat(warm.decayAt(101)).isCloseTo(1 - Math.pow(101, -2.0 / 3), within(1e-12));
            assertThat(warm.decayAt(10_000_000)).isEqualTo(0.999);
            ModelEma plain = new ModelEma(model, Models.build(CFG, m, 28), 0.999, false);
            assertThat(plain.decayAt(1)).as("ModelEmaV2: the decay from the first update").isEqualTo(0.999);
        }
    }

    private static double[] toDoubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
