package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.model.Models;
import org.spin.model.SpinModel;

/** A run whose loss or gradient stops being finite stops, says where, and keeps its last good checkpoint. */
class DivergenceTest {

    @TempDir
    Path tmp;

    /** Trains {@code cfg}; {@code afterStep} may tamper with the model between steps (epoch 0, step s). */
    private static TrainingResult train(SpinConfig cfg, BiConsumer<SpinModel, Integer> afterStep) {
        try (NDManager m = NDManager.newBaseManager(); RunDirectory run = new RunDirectory(Path.of(cfg.getString("OUTPUT_DIR")))) {
            SpinModel model = Models.build(cfg, m, DataConfig.from(cfg).imageSize());
            TrainingListener l = new TrainingListener() {
                @Override
                public void onStep(int epoch, int step, double loss, double lr, double imagesPerSecond) {
                    afterStep.accept(model, step);
                }
            };
            Trainer t = new Trainer(Recipe.from(cfg), RunRecord.of(cfg), model, m, DataConfig.from(cfg).loader(DataConfig.from(cfg).load(true), true),
                    DataConfig.from(cfg).loader(DataConfig.from(cfg).load(false), false), run, l);
            return t.fit(true);
        }
    }

    private static void fill(SpinModel model, String key, float value) {
        NDArray w = model.stateDict().get(key).getArray();
        w.set(new NDIndex("..."), value);
    }

    @Test
    void aNonFiniteLossStopsNamingTheStepAndTheLastFiniteLossAndKeepsTheLastCheckpoint() {
        SpinConfig cfg = TrainerTest.config(tmp.resolve("run"), 2).with("TRAIN.CHECKPOINT_PERIOD_STEPS", 10);
        // after step 24 (a checkpoint was written after step 19), the head turns to NaN
        assertThatThrownBy(() -> train(cfg, (model, step) -> {
            if (step == 24) {
                fill(model, "head.fc.weight", Float.NaN);
            }
        })).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("training diverged at epoch 1, step 25: the loss is NaN (last finite loss ")
                .hasMessageContaining(" at epoch 1, step 24)")
                .hasMessageContaining("the last checkpoint, " + tmp.resolve("run/last.safetensors") + ", is kept")
                .hasMessageNotContaining("\n");
        Map<String, String> meta = SafeTensors.read(tmp.resolve("run/last.safetensors")).metadata();
        assertThat(meta).containsEntry("epoch", "0").containsEntry("step", "20");
        for (HostTensor t : SafeTensors.read(tmp.resolve("run/last.safetensors")).tensors().values()) {
            for (float v : t.toFloats()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
        // and the kept checkpoint resumes: the run ends as if nothing had happened
        TrainingResult resumed = train(cfg, (model, step) -> { });
        assertThat(resumed.epochsDone()).isEqualTo(2);
    }

    @Test
    void updatesWithANonFiniteGradientAreSkippedCountedSavedAndStopTheRunAfterTheLimit() {
        // a head of ±1e30: the loss stays finite (log-softmax is stable) but the gradient's squares overflow
        BiConsumer<SpinModel, Integer> huge = (model, step) -> {
            if (step == 4) {
                NDArray w = model.stateDict().get("head.fc.weight").getArray();
                w.set(new NDIndex("..."), w.sign().mul(model.stateDict().get("head.fc.weight").getArray().getManager()
                        .full(new ai.djl.ndarray.types.Shape(), 1e30f)));
            }
        };
        SpinConfig counted = TrainerTest.config(tmp.resolve("counted"), 1).with("TRAIN.CHECKPOINT_PERIOD_STEPS", 10)
                .with("SOLVER.NONFINITE_GRAD_LIMIT", 1000);
        assertThatThrownBy(() -> train(counted, (model, step) -> {
            huge.accept(model, step);
            if (step == 12) {
                throw new IllegalStateException("enough");
            }
        })).hasMessage("enough");
        // steps 5..9 skipped when the checkpoint after step 9 was written
        assertThat(SafeTensors.read(tmp.resolve("counted/last.safetensors")).metadata())
                .containsEntry("step", "10").containsEntry("skipped_updates", "5").containsEntry("skipped_in_a_row", "5");

        SpinConfig limited = TrainerTest.config(tmp.resolve("limited"), 1).with("SOLVER.NONFINITE_GRAD_LIMIT", 3);
        assertThatThrownBy(() -> train(limited, huge)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("training stopped at epoch 1, step 7: 3 updates in a row had a non-finite gradient"
                        + " (SOLVER.NONFINITE_GRAD_LIMIT 3)")
                .hasMessageContaining("no checkpoint was written yet");
    }
}
