package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.ImageSet;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

class TrainerTest {

    @TempDir
    Path tmp;

    static SpinConfig config(Path out, int epochs) {
        return SpinConfig.defaults().with("TRAIN.DATASET", "synthetic").with("CONVMIXER.CHANNEL", 32)
                .with("CONVMIXER.DEPTH", 4).with("CONVMIXER.PATCH_KERNEL", 4).with("CONVMIXER.PATCH_STRIDE", 4)
                .with("CONVMIXER.KERNEL", 5).with("CONVMIXER.ACT_FUNC", "GELU").with("DATA.INPUT_CHANNEL_NUM", List.of(1))
                .with("MODEL.NUM_CLASSES", 10).with("MODEL.DROPOUT_RATE", 0.1).with("CONVMIXER.WEIGHT_SHARE.ENABLE", true)
                .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2).with("TRAIN.BATCH_SIZE", 64)
                .with("SOLVER.BASE_LR", 0.01).with("SOLVER.MAX_EPOCH", epochs).with("SOLVER.CLIP_GRAD_L2NORM", 1.0)
                .with("DATA_LOADER.NUM_WORKERS", 1).with("OUTPUT_DIR", out.toString());
    }

    /** Builds everything a run needs and trains; {@code stopAt} (epoch, step) requests a stop there. */
    static TrainingResult train(SpinConfig cfg, boolean resume, int[] stopAt) {
        ImageSet trainSet = DataConfig.from(cfg).load(true);
        ImageSet testSet = DataConfig.from(cfg).load(false);
        try (NDManager m = NDManager.newBaseManager(); RunDirectory run = new RunDirectory(Path.of(cfg.getString("OUTPUT_DIR")))) {
            SpinModel model = Models.build(cfg, m, DataConfig.from(cfg).imageSize());
            Trainer[] self = new Trainer[1];
            TrainingListener l = new TrainingListener() {
                @Override
                public void onStep(int epoch, int step, double loss, double lr, double imagesPerSecond) {
                    if (stopAt != null && epoch == stopAt[0] && step == stopAt[1]) {
                        self[0].requestStop();
                    }
                }
            };
            self[0] = new Trainer(Recipe.from(cfg), RunRecord.of(cfg), model, m, DataConfig.from(cfg).loader(trainSet, true),
                    DataConfig.from(cfg).loader(testSet, false), run, l);
            return self[0].fit(resume);
        }
    }

    @Test
    void trainingOnTheSyntheticSetReachesHighAccuracyInTwoShortEpochs() {
        TrainingResult r = train(config(tmp.resolve("run"), 2), false, null);
        assertThat(r.epochsDone()).isEqualTo(2);
        assertThat(r.finalEval().top1()).isGreaterThan(0.9);
        assertThat(tmp.resolve("run/metrics.jsonl")).exists();
        assertThat(tmp.resolve("run/last.safetensors")).exists();
        assertThat(tmp.resolve("run/best.safetensors")).exists();
        assertThat(tmp.resolve("run/last.optim.e2s0.safetensors")).exists();
    }

    @Test
    void aRunResumedMidEpochEndsWhereAnUninterruptedOneDoes() {
        Map<String, HostTensor> straight = finalWeights(tmp.resolve("a"), null);
        Map<String, HostTensor> resumed = finalWeights(tmp.resolve("b"), new int[] {0, 20});
        assertSame(straight, resumed);
    }

    @Test
    void aRunResumedAtAnEpochBoundaryEndsWhereAnUninterruptedOneDoes() {
        Map<String, HostTensor> straight = finalWeights(tmp.resolve("a"), null);
        Map<String, HostTensor> resumed = finalWeights(tmp.resolve("b"), new int[] {0, 63});
        assertSame(straight, resumed);
    }

    @Test
    void aResumedRunKeepsItsStartTimeAndRecordsTheResume() throws Exception {
        SpinConfig cfg = config(tmp.resolve("run"), 2);
        train(cfg, false, new int[] {0, 20});
        Path manifest = tmp.resolve("run/manifest.json");
        var first = com.google.gson.JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        assertThat(first.has("resumed")).isFalse();
        Thread.sleep(5); // Instant.now() must move on for the start times to tell apart
        train(cfg, true, null);
        var second = com.google.gson.JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        assertThat(second.get("started").getAsString()).isEqualTo(first.get("started").getAsString());
        assertThat(second.getAsJsonArray("resumed")).hasSize(1);
        assertThat(java.time.Instant.parse(second.getAsJsonArray("resumed").get(0).getAsString()))
                .isAfter(java.time.Instant.parse(first.get("started").getAsString()));
    }

    private static Map<String, HostTensor> finalWeights(Path dir, int[] stopAt) {
        SpinConfig cfg = config(dir, 2);
        TrainingResult first = train(cfg, false, stopAt);
        if (stopAt != null) {
            assertThat(first.stopped()).isTrue();
            TrainingResult second = train(cfg, true, null);
            assertThat(second.stopped()).isFalse();
        }
        return SafeTensors.read(dir.resolve("last.safetensors")).tensors();
    }

    private static void assertSame(Map<String, HostTensor> a, Map<String, HostTensor> b) {
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloats();
            float[] y = b.get(k).toFloats();
            // bit for bit: the data, dropout and every checkpointed count replay exactly
            assertThat(y).as(k).containsExactly(x);
        }
    }

    /** Plain, fusion (every reduction), and batch 16 on a 7×7 map, where the depthwise conv takes its dense form. */
    @ParameterizedTest
    @CsvSource({"None, 8, adamw", "mean, 8, adamw", "choose_first, 8, adamw", "scalar_weighted_mean, 8, adamw",
            "channel_weighted_mean, 8, adamw", "None, 16, adamw", "channel_weighted_mean, 16, adamw", "None, 8, sgd",
            "mean, 8, sgd"})
    void theTrainingStepLeavesNothingInTheModelsManager(String reduction, int batch, String method) {
        // SGD with momentum, Nesterov and weight decay: every temporary of its update too
        SpinConfig cfg = config(tmp, 1).with("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", reduction)
                .with("SOLVER.OPTIMIZING_METHOD", method).with("SOLVER.WEIGHT_DECAY", 0.01);
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager params = root.newSubManager();
            SpinModel model = Models.build(cfg, params, 28);
            try (Optimizer opt = Trainer.newOptimizer(Recipe.from(cfg), model, root)) {
                TrainStep step = Trainer.newStep(Recipe.from(cfg), model, root, opt);
                float[] x = new float[batch * 28 * 28];
                int[] y = java.util.stream.IntStream.range(0, batch).map(i -> i % 10).toArray();
                Shape shape = new Shape(batch, 1, 28, 28);
                step.run(x, shape, y, 1e-3); // the first step fetches the gradient handles
                int arraysBefore = root.getManagedArrays().size();
                params.cap(); // from here, any array that joins the model's manager throws
                for (int i = 0; i < 5; i++) {
                    step.run(x, shape, y, 1e-3);
                }
                assertThat(root.getManagedArrays()).hasSize(arraysBefore);
                // the cap is live: a temporary created from a parameter is refused
                assertThatThrownBy(() -> model.stateDict().get("pwise_w.0").getArray().mul(2))
                        .isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void checkpointsDescribeThemselves() throws Exception {
        train(config(tmp.resolve("run"), 1), false, null);
        var meta = SafeTensors.read(tmp.resolve("run/last.safetensors")).metadata();
        assertThat(meta).containsEntry("plan", "0,0,1,1").containsEntry("epoch", "1").containsEntry("step", "0");
        SpinConfig restored = SpinConfig.fromJson(meta.get("config"));
        assertThat(restored.getInt("CONVMIXER.CHANNEL")).isEqualTo(32);
        assertThat(Files.readString(tmp.resolve("run/plan.txt")).trim()).isEqualTo("0,0,1,1");
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel reloaded = Models.build(restored, m, 28);
            StateDicts.load(reloaded, SafeTensors.read(tmp.resolve("run/last.safetensors")).tensors(), "last");
            assertThat(reloaded.batchNorms().get("blocks.0.bn2").numBatchesTracked()).isEqualTo(64);
        }
    }
}
