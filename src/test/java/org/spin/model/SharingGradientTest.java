package org.spin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.train.Optimizer;
import org.spin.train.Recipe;
import org.spin.train.TrainStep;
import org.spin.train.Trainer;

/** Sharing is real: one tensor per slot, whose gradient collects every layer that uses it. */
class SharingGradientTest {

    private static final int SIZE = 8;

    private static SpinConfig config(boolean shared) {
        return SpinConfig.defaults().with("CONVMIXER.CHANNEL", 8).with("CONVMIXER.DEPTH", 4)
                .with("CONVMIXER.PATCH_KERNEL", 2).with("CONVMIXER.PATCH_STRIDE", 2).with("CONVMIXER.KERNEL", 3)
                .with("CONVMIXER.ACT_FUNC", "GELU").with("DATA.INPUT_CHANNEL_NUM", List.of(3))
                .with("MODEL.NUM_CLASSES", 5).with("CONVMIXER.WEIGHT_SHARE.ENABLE", shared)
                .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2).with("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", "strided");
    }

    /** The unshared twin's state dict: layer l gets a copy of slot plan[l]. */
    private static Map<String, HostTensor> expand(Map<String, HostTensor> shared, int[] plan) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int l = 0; l < plan.length; l++) {
            out.put("pwise_w." + l, shared.get("pwise_w." + plan[l]));
            out.put("pwise_b." + l, shared.get("pwise_b." + plan[l]));
        }
        shared.forEach((k, v) -> {
            if (!k.startsWith("pwise_")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static float[] input(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(0.37 * i);
        }
        return x;
    }

    @Test
    void aSlotsGradientIsTheSumOfItsLayersGradientsInTheUnsharedTwin() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel shared = Models.build(config(true), m, SIZE);
            SpinModel twin = Models.build(config(false), m, SIZE);
            int[] plan = shared.plan().toArray();
            StateDicts.load(twin, expand(StateDicts.export(shared), plan), "twin");
            float[] x = input(2 * 3 * SIZE * SIZE);
            backward(shared, m, x);
            backward(twin, m, x);
            for (int s = 0; s < shared.plan().numSlots(); s++) {
                for (String kind : List.of("pwise_w.", "pwise_b.")) {
                    float[] got = grad(shared, kind + s);
                    float[] sum = new float[got.length];
                    for (int l : shared.plan().layersOf(s)) {
                        float[] g = grad(twin, kind + l);
                        for (int i = 0; i < sum.length; i++) {
                            sum[i] += g[i];
                        }
                    }
                    for (int i = 0; i < sum.length; i++) {
                        assertThat((double) got[i]).as("%s%d[%d]", kind, s, i).isCloseTo(sum[i], within(1e-5));
                    }
                    assertThat(norm(got)).as("a real gradient").isGreaterThan(1e-6);
                }
            }
            float[] dwShared = grad(shared, "blocks.3.dwise_blk.0.weight");
            float[] dwTwin = grad(twin, "blocks.3.dwise_blk.0.weight");
            for (int i = 0; i < dwShared.length; i++) {
                assertThat((double) dwShared[i]).isCloseTo(dwTwin[i], within(1e-5));
            }
        }
    }

    @Test
    void afterATrainingStepTheLayersOfASlotStillShareOneTensor() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinConfig cfg = config(true);
            SpinModel shared = Models.build(cfg, m, SIZE);
            try (Optimizer opt = Trainer.newOptimizer(Recipe.from(cfg), shared, m)) {
                TrainStep step = Trainer.newStep(Recipe.from(cfg), shared, m, opt);
                float[] x = input(4 * 3 * SIZE * SIZE);
                for (int i = 0; i < 3; i++) {
                    step.run(x, new Shape(4, 3, SIZE, SIZE), new int[] {0, 1, 2, 3}, 1e-2);
                }
            }
            assertThat(shared.stateDict()).containsKeys("pwise_w.0", "pwise_w.1").doesNotContainKey("pwise_w.2");
            // If any layer had drifted from its slot, the twin built from the slots would differ.
            SpinModel twin = Models.build(config(false), m, SIZE);
            StateDicts.load(twin, expand(StateDicts.export(shared), shared.plan().toArray()), "twin");
            float[] x = input(2 * 3 * SIZE * SIZE);
            try (NDManager s = m.newSubManager()) {
                float[] a = shared.forward(s.create(x, new Shape(2, 3, SIZE, SIZE)), false).toFloatArray();
                float[] b = twin.forward(s.create(x, new Shape(2, 3, SIZE, SIZE)), false).toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) a[i]).isCloseTo(b[i], within(1e-5));
                }
            }
        }
    }

    private static void backward(SpinModel model, NDManager m, float[] x) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.forward(s.create(x, new Shape(2, 3, SIZE, SIZE)), true);
            NDArray weights = s.arange(10f).reshape(2, 5).sin();
            gc.backward(logits.mul(weights).sum());
        }
    }

    private static float[] grad(SpinModel model, String key) {
        try (NDArray g = model.stateDict().get(key).getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f * f;
        }
        return Math.sqrt(s);
    }
}
