package org.spin.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.spin.config.SpinConfig;
import org.spin.data.ImageSet;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.data.DataConfig;

/** The analysis of a tiny ConvMixer on the synthetic test split's first 32 images. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisTest {

    static final int N = 32;

    SpinConfig cfg;
    ImageSet images;
    LayerAnalysis inOneBatch;
    LayerAnalysis inThreeBatches;

    @BeforeAll
    void analyse() {
        cfg = Presets.get("convmixer_64_8").applyTo(SpinConfig.defaults()).with("TRAIN.DATASET", "synthetic")
                .with("MODEL.NUM_CLASSES", 10);
        images = DataConfig.from(cfg).load(false).first(N);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, DataConfig.from(cfg).imageSize());
            inOneBatch = Analysis.run(model, DataConfig.from(cfg.with("TEST.BATCH_SIZE", N)).loader(images, false), m);
            // 12 + 12 + 8: the Gram matrix is filled from every pair of batches, the last one partial
            inThreeBatches = Analysis.run(model, DataConfig.from(cfg.with("TEST.BATCH_SIZE", 12)).loader(images, false), m);
        }
    }

    @Test
    void ckaIsOneOnTheDiagonalSymmetricAndBetweenZeroAndOne() {
        double[][] cka = inOneBatch.cka();
        assertThat(cka).hasNumberOfRows(8);
        for (int i = 0; i < cka.length; i++) {
            assertThat(cka[i][i]).isEqualTo(1.0);
            for (int j = 0; j < cka.length; j++) {
                assertThat(cka[i][j]).isEqualTo(cka[j][i]).isBetween(0.0, 1.0 + 1e-12);
            }
        }
    }

    @Test
    void batchingDoesNotChangeTheResult() {
        assertThat(inThreeBatches.images()).isEqualTo(N);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                assertThat(inThreeBatches.cka()[i][j]).isCloseTo(inOneBatch.cka()[i][j], within(1e-5));
            }
            assertThat(inThreeBatches.activationNorm()[i]).isCloseTo(inOneBatch.activationNorm()[i],
                    within(1e-5 * inOneBatch.activationNorm()[i]));
        }
    }

    @Test
    void activationNormsArePositiveAndTheRmsIsTheNormPerFeature() {
        // isotropic: every block's output has the same size, 64 channels times the token grid
        double first = inOneBatch.activationNorm()[0] / inOneBatch.activationRms()[0];
        for (int l = 0; l < 8; l++) {
            assertThat(inOneBatch.activationNorm()[l]).isPositive();
            double ratio = inOneBatch.activationNorm()[l] / inOneBatch.activationRms()[l];
            assertThat(ratio).isCloseTo(first, within(1e-9 * first));
            assertThat(Math.round(ratio * ratio) % 64).isZero();
        }
    }

    @Test
    void weightCosinesCoverEveryPerBlockWeightAndAreOneOnTheDiagonal() {
        assertThat(inOneBatch.weights()).extracting(WeightCosine::family)
                .containsExactly("pwise_w.*", "blocks.*.dwise_blk.0.weight");
        for (WeightCosine w : inOneBatch.weights()) {
            for (int l = 0; l < 8; l++) {
                assertThat(w.cosine()[l][l]).isCloseTo(1.0, within(1e-9));
            }
        }
    }
}
