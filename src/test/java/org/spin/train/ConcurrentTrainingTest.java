package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.predict.TestImages;
import org.spin.predict.TinyCheckpoints;
import org.spin.predict.TrainedModel;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * Two models trained at the same time in one JVM (sweep runs as threads, a predictor beside a
 * trainer) must each end exactly where it ends when trained alone: no state may leak between
 * them through the engine, caches or the gradient tape.
 */
class ConcurrentTrainingTest {

    private static final int STEPS = 12;
    private static final int BATCH = 16;

    /** A shared ConvMixer on 7×7 maps (the dense depthwise path and its cached tap index) and a shared ViT. */
    private static List<SpinConfig> configs() {
        SpinConfig convMixer = SpinConfig.defaults().with("CONVMIXER.CHANNEL", 16).with("CONVMIXER.DEPTH", 4)
                .with("CONVMIXER.PATCH_KERNEL", 4).with("CONVMIXER.PATCH_STRIDE", 4).with("CONVMIXER.KERNEL", 5)
                .with("CONVMIXER.ACT_FUNC", "GELU").with("DATA.INPUT_CHANNEL_NUM", List.of(1))
                .with("CONVMIXER.WEIGHT_SHARE.ENABLE", true).with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2)
                .with("CONVMIXER.WEIGHT_SHARE.SCOPE", "both");
        SpinConfig vit = Presets.get("vit_64_6_patch4_28").applyTo(SpinConfig.defaults())
                .with("VIT.WEIGHT_SHARE.ENABLE", true).with("VIT.WEIGHT_SHARE.SHARE_RATE", 2);
        return List.of(convMixer, vit);
    }

    /** The initial weights of each model, drawn once so that both schedules start from them. */
    private static Map<String, HostTensor> initial(SpinConfig cfg) {
        try (NDManager m = NDManager.newBaseManager()) {
            return StateDicts.export(Models.build(cfg, m, 28));
        }
    }

    /** Trains a fresh model from {@code init} on fixed batches; {@code start} lines the threads up. */
    private static Map<String, HostTensor> train(SpinConfig cfg, Map<String, HostTensor> init, CyclicBarrier start)
            throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, 28);
            StateDicts.load(model, init, "initial weights");
            try (Optimizer optimizer = Trainer.newOptimizer(Recipe.from(cfg), model, m)) {
                TrainStep step = new TrainStep(model, m, optimizer, 0.1, 1.0);
                if (start != null) {
                    start.await(30, TimeUnit.SECONDS);
                }
                for (int s = 0; s < STEPS; s++) {
                    float[] x = new float[BATCH * 28 * 28];
                    int[] labels = new int[BATCH];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) Math.sin(0.01 * i + s);
                    }
                    for (int i = 0; i < BATCH; i++) {
                        labels[i] = (i + s) % 10;
                    }
                    step.run(x, new Shape(BATCH, 1, 28, 28), labels, 0.01);
                }
            }
            return StateDicts.export(model);
        }
    }

    /** Top-5 probabilities of each image by a DJL predictor of a saved checkpoint, {@code rounds} times over. */
    private static List<List<Double>> predict(Path checkpoint, List<Path> images, int rounds, CyclicBarrier start)
            throws Exception {
        TrainedModel trained = TrainedModel.read(checkpoint);
        try (ZooModel<Image, Classifications> model = trained.criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            if (start != null) {
                start.await(30, TimeUnit.SECONDS);
            }
            List<List<Double>> out = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (Path f : images) {
                    out.add(predictor.predict(ImageFactory.getInstance().fromFile(f)).topK(5).stream()
                            .map(Classifications.Classification::getProbability).toList());
                }
            }
            return out;
        }
    }

    @Test
    void twoModelsTrainedAtOnceWithAPredictorBesideThemEndWhereEachEndsAlone(@TempDir Path tmp) throws Exception {
        List<SpinConfig> cfgs = configs();
        List<Map<String, HostTensor>> inits = new ArrayList<>();
        List<Map<String, HostTensor>> alone = new ArrayList<>();
        for (SpinConfig cfg : cfgs) {
            inits.add(initial(cfg));
            alone.add(train(cfg, inits.get(inits.size() - 1), null));
        }
        Path checkpoint = TinyCheckpoints.write(tmp, "served", "fashion_mnist", 1);
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            images.add(TestImages.gray(tmp.resolve(i + ".png"), TestImages.randomGray(28, 28, i)));
        }
        List<List<Double>> servedAlone = predict(checkpoint, images, 5, null);
        ExecutorService pool = Executors.newFixedThreadPool(cfgs.size() + 1);
        try {
            CyclicBarrier start = new CyclicBarrier(cfgs.size() + 1);
            Future<List<List<Double>>> served = pool.submit(() -> predict(checkpoint, images, 5, start));
            List<Future<Map<String, HostTensor>>> together = new ArrayList<>();
            for (int i = 0; i < cfgs.size(); i++) {
                SpinConfig cfg = cfgs.get(i);
                Map<String, HostTensor> init = inits.get(i);
                Callable<Map<String, HostTensor>> job = () -> train(cfg, init, start);
                together.add(pool.submit(job));
            }
            for (int i = 0; i < cfgs.size(); i++) {
                Map<String, HostTensor> got = together.get(i).get(5, TimeUnit.MINUTES);
                assertThat(got.keySet()).isEqualTo(alone.get(i).keySet());
                for (String key : got.keySet()) {
                    assertThat(got.get(key).toFloats()).as(cfgs.get(i).getString("MODEL.ARCH") + " " + key)
                            .containsExactly(alone.get(i).get(key).toFloats());
                }
            }
            assertThat(served.get(5, TimeUnit.MINUTES)).isEqualTo(servedAlone);
        } finally {
            pool.shutdownNow();
        }
    }
}
