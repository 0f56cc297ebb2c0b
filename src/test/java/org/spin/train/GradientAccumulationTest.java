package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * A global batch cut into micro-batches gives the whole batch's gradient: the same first moments
 * (0.1 × the gradient after one AdamW step) and the same mean loss, for a model without BatchNorm.
 */
class GradientAccumulationTest {

    private static final int BATCH = 12;

    private static SpinConfig vit() {
        return Presets.get("vit_64_6_patch4_28").applyTo(SpinConfig.defaults()).with("VIT.DEPTH", 2)
                .with("VIT.WEIGHT_SHARE.ENABLE", true).with("VIT.WEIGHT_SHARE.SHARE_RATE", 2).with("SOLVER.WEIGHT_DECAY", 0.0)
                .with("TRAIN.BATCH_SIZE", BATCH);
    }

    /** One step from {@code init} on a fixed batch (soft targets when {@code mixed}); the loss and the optimizer state. */
    private static Map<String, HostTensor> step(SpinConfig cfg, Map<String, HostTensor> init, boolean mixed, double[] loss) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, 28);
            StateDicts.load(model, init, "initial weights");
            Recipe recipe = Recipe.from(cfg);
            try (Optimizer optimizer = Trainer.newOptimizer(recipe, model, m)) {
                TrainStep step = Trainer.newStep(recipe, model, m, optimizer);
                float[] x = new float[BATCH * 28 * 28];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.sin(0.013 * i);
                }
                int[] labels = new int[BATCH];
                float[] targets = mixed ? new float[BATCH * 10] : null;
                for (int i = 0; i < BATCH; i++) {
                    labels[i] = (3 * i) % 10;
                    if (mixed) {
                        targets[i * 10 + labels[i]] = 0.7f;
                        targets[i * 10 + (labels[i] + 1) % 10] = 0.3f;
                    }
                }
                loss[0] = step.run(x, new Shape(BATCH, 1, 28, 28), labels, targets, 0.0);
                return optimizer.state();
            }
        }
    }

    @Test
    void microBatchesAddUpToTheWholeBatchsGradientAndLoss() {
        Map<String, HostTensor> init;
        try (NDManager m = NDManager.newBaseManager()) {
            init = StateDicts.export(Models.build(vit(), m, 28));
        }
        for (boolean mixed : new boolean[] {false, true}) {
            double[] wholeLoss = new double[1];
            Map<String, HostTensor> whole = step(vit(), init, mixed, wholeLoss);
            for (int accum : new int[] {3, 4, 12}) {
                double[] partLoss = new double[1];
                Map<String, HostTensor> parts = step(vit().with("TRAIN.ACCUM_STEPS", accum), init, mixed, partLoss);
                assertThat(partLoss[0]).as("loss, %d micro-batches", accum).isCloseTo(wholeLoss[0], within(1e-5));
                assertThat(parts.keySet()).isEqualTo(whole.keySet());
                int compared = 0;
                for (String key : whole.keySet()) {
                    if (!key.startsWith("exp_avg.")) {
                        continue;
                    }
                    float[] a = whole.get(key).toFloats();
                    float[] b = parts.get(key).toFloats();
                    double scale = 0;
                    for (float v : a) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int i = 0; i < a.length; i++) {
                        assertThat((double) b[i]).as("%s[%d], %d micro-batches", key, i, accum)
                                .isCloseTo(a[i], within(1e-4 * scale + 1e-9));
                    }
                    compared++;
                }
                assertThat(compared).isGreaterThan(10);
            }
        }
    }

    @Test
    void aBatchThatDoesNotSplitEvenlyIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> Recipe.from(vit().with("TRAIN.ACCUM_STEPS", 5)))
                .hasMessageStartingWith("TRAIN.BATCH_SIZE 12 must be a positive multiple of TRAIN.ACCUM_STEPS 5");
        assertThatThrownBy(() -> Recipe.from(vit().with("NUM_SHARDS", 2)))
                .hasMessageStartingWith("NUM_SHARDS 2: training on several machines is not supported");
    }
}
