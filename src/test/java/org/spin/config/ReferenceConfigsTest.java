package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Our copies of the reference's three published configs load with the reference's values. */
class ReferenceConfigsTest {

    private static SpinConfig load(String name) {
        return SpinConfig.defaults().withYaml(Path.of("configs/reference", name));
    }

    @Test
    void convMixerHasTheReferenceRecipe() {
        SpinConfig cfg = load("ConvMixer.yaml");

        assertThat(cfg.getString("TRAIN.DATASET")).isEqualTo("imagenet");
        assertThat(cfg.getInt("TRAIN.BATCH_SIZE")).isEqualTo(64);
        assertThat(cfg.getInt("TRAIN.EVAL_PERIOD")).isEqualTo(10);
        assertThat(cfg.getInt("TRAIN.CHECKPOINT_PERIOD")).isEqualTo(10);
        assertThat(cfg.getBool("TRAIN.MIXED_PRECISION")).isTrue();
        assertThat(cfg.getInt("DATA.TRAIN_CROP_SIZE")).isEqualTo(224);
        assertThat(cfg.getInt("DATA.TEST_CROP_SIZE")).isEqualTo(224);
        assertThat(cfg.getDoubleList("DATA.MEAN")).containsExactly(0.485, 0.456, 0.406);
        assertThat(cfg.getDoubleList("DATA.STD")).containsExactly(0.229, 0.224, 0.225);
        assertThat(cfg.getDoubleList("DATA.TRAIN_JITTER_ASPECT_RELATIVE")).containsExactly(0.75, 4.0 / 3.0);
        assertThat(cfg.getInt("CONVMIXER.CHANNEL")).isEqualTo(768);
        assertThat(cfg.getInt("CONVMIXER.DEPTH")).isEqualTo(32);
        assertThat(cfg.getInt("CONVMIXER.PATCH_KERNEL")).isEqualTo(14);
        assertThat(cfg.getInt("CONVMIXER.PATCH_STRIDE")).isEqualTo(14);
        assertThat(cfg.getInt("CONVMIXER.KERNEL")).isEqualTo(3);
        assertThat(cfg.getString("CONVMIXER.ACT_FUNC")).isEqualTo("RELU");
        assertThat(cfg.getBool("CONVMIXER.WEIGHT_SHARE.ENABLE")).isFalse();
        assertThat(cfg.getString("AUG.AA_TYPE")).isEqualTo("rand-m9-mstd0.5-inc1");
        assertThat(cfg.getDouble("MIXUP.ALPHA")).isEqualTo(0.5);
        assertThat(cfg.getDouble("MIXUP.CUTMIX_ALPHA")).isEqualTo(0.5);
        assertThat(cfg.getDouble("MIXUP.LABEL_SMOOTH_VALUE")).isEqualTo(0.1);
        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(0.01);
        assertThat(cfg.getString("SOLVER.LR_POLICY")).isEqualTo("onecycle");
        assertThat(cfg.getInt("SOLVER.MAX_EPOCH")).isEqualTo(300);
        assertThat(cfg.getString("SOLVER.OPTIMIZING_METHOD")).isEqualTo("adamw");
        assertThat(cfg.getDouble("SOLVER.WEIGHT_DECAY")).isEqualTo(2.0E-5);
        assertThat(cfg.getDouble("SOLVER.WARMUP_EPOCHS")).isZero();
        assertThat(cfg.getDouble("SOLVER.CLIP_GRAD_L2NORM")).isEqualTo(1.0);
        assertThat(cfg.getInt("MODEL.NUM_CLASSES")).isEqualTo(1000);
        assertThat(cfg.getString("MODEL.LOSS_FUNC")).isEqualTo("soft_cross_entropy");
        assertThat(cfg.getDouble("MODEL.DROPOUT_RATE")).isEqualTo(0.5);
        assertThat(cfg.getInt("RNG_SEED")).isZero();
    }

    @Test
    void wsConvMixerSharesUniformSequentiallyAtRateTwo() {
        SpinConfig cfg = load("WS-ConvMixer.yaml");

        assertThat(cfg.getBool("CONVMIXER.WEIGHT_SHARE.ENABLE")).isTrue();
        assertThat(cfg.getString("CONVMIXER.WEIGHT_SHARE.SHARING_DISTRIBUTION")).isEqualTo("uniform");
        assertThat(cfg.getString("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING")).isEqualTo("sequential");
        assertThat(cfg.getInt("CONVMIXER.WEIGHT_SHARE.SHARE_RATE")).isEqualTo(2);
        assertThat(cfg.getString("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN")).isNull();
        assertThat(cfg.getDouble("SOLVER.WEIGHT_DECAY")).isEqualTo(2.0E-5);
    }

    @Test
    void wfwsConvMixerAddsMeanFusionFromACheckpoint() {
        SpinConfig cfg = load("WFWS-ConvMixer.yaml");

        assertThat(cfg.getInt("CONVMIXER.WEIGHT_SHARE.SHARE_RATE")).isEqualTo(2);
        assertThat(cfg.getString("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN")).isEqualTo("mean");
        assertThat(cfg.getBool("TRAIN.CHECKPOINT_EPOCH_RESET")).isTrue();
    }

    @Test
    void emptyPathsInTheReferenceLayoutMeanEmpty() {
        SpinConfig cfg = load("WFWS-ConvMixer.yaml");

        assertThat(cfg.getString("DATA.PATH_TO_DATA_DIR")).isEmpty();
        assertThat(cfg.getString("TRAIN.CHECKPOINT_FILE_PATH")).isEmpty();
        assertThat(cfg.getString("TEST.CHECKPOINT_FILE_PATH")).isEmpty();
    }

    @Test
    void convMixerWarningListsEveryNotActedKeyInFileOrder() {
        SpinConfig cfg = load("ConvMixer.yaml");

        // every SOLVER key and TRAIN.MIXED_PRECISION (answered with fp32 and a notice) are acted on
        assertThat(cfg.ignoredKeys()).containsExactly(
                "TRAIN.ENABLE", "MODEL.MODEL_NAME", "TEST.ENABLE", "TEST.DATASET", "TEST.CHECKPOINT_FILE_PATH",
                "DATA_LOADER.PIN_MEMORY");
        assertThat(cfg.ignoredKeysWarning()).hasValueSatisfying(w -> assertThat(w)
                .startsWith("warning: these keys are read but not acted on yet: TRAIN.ENABLE, MODEL.MODEL_NAME, ")
                .endsWith("DATA_LOADER.PIN_MEMORY")
                .doesNotContain("\n"));
    }

    @Test
    void wfwsWarningNamesOnlyTheRecipeKeysWeDoNotActOn() {
        SpinConfig cfg = load("WFWS-ConvMixer.yaml");

        assertThat(cfg.ignoredKeys()).contains("TEST.DATASET");
        assertThat(cfg.ignoredKeys()).doesNotContain("SOLVER.WARMUP_EPOCHS", "SOLVER.MOMENTUM", "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN",
                "TRAIN.CHECKPOINT_EPOCH_RESET", "TRAIN.CHECKPOINT_FILE_PATH", "CONVMIXER.WEIGHT_SHARE.SHARE_RATE",
                "SOLVER.BASE_LR", "MIXUP.ENABLE", "AUG.RE_PROB", "DATA.TEST_CROP_SIZE", "AUG.AA_TYPE");
    }
}
