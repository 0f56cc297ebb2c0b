package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpinSchemaTest {

    private final ConfigSchema schema = SpinSchema.get();

    @Test
    void knowsEveryKeyTheReferenceConfigsAndRunScriptUse() {
        List<String> referenceKeys = List.of(
                "TRAIN.ENABLE", "TRAIN.DATASET", "TRAIN.BATCH_SIZE", "TRAIN.EVAL_PERIOD", "TRAIN.CHECKPOINT_PERIOD",
                "TRAIN.AUTO_RESUME", "TRAIN.MIXED_PRECISION", "TRAIN.CHECKPOINT_EPOCH_RESET",
                "TRAIN.CHECKPOINT_FILE_PATH", "DATA.PATH_TO_DATA_DIR", "DATA.MEAN", "DATA.STD", "DATA.NUM_FRAMES",
                "DATA.TRAIN_CROP_SIZE", "DATA.TEST_CROP_SIZE", "DATA.INPUT_CHANNEL_NUM",
                "DATA.TRAIN_JITTER_SCALES_RELATIVE", "DATA.TRAIN_JITTER_ASPECT_RELATIVE", "CONVMIXER.CHANNEL",
                "CONVMIXER.PATCH_KERNEL", "CONVMIXER.PATCH_STRIDE", "CONVMIXER.PATCH_PADDING", "CONVMIXER.KERNEL",
                "CONVMIXER.DEPTH", "CONVMIXER.ACT_FUNC", "CONVMIXER.WEIGHT_SHARE.ENABLE",
                "CONVMIXER.WEIGHT_SHARE.SHARING_DISTRIBUTION", "CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING",
                "CONVMIXER.WEIGHT_SHARE.SHARE_RATE", "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "AUG.ENABLE",
                "AUG.COLOR_JITTER", "AUG.AA_TYPE", "AUG.INTERPOLATION", "AUG.RE_PROB", "AUG.RE_MODE", "AUG.RE_COUNT",
                "AUG.RE_SPLIT", "MIXUP.ENABLE", "MIXUP.ALPHA", "MIXUP.CUTMIX_ALPHA", "MIXUP.PROB", "MIXUP.SWITCH_PROB",
                "MIXUP.LABEL_SMOOTH_VALUE", "SOLVER.BASE_LR", "SOLVER.BASE_LR_SCALE_NUM_SHARDS", "SOLVER.LR_POLICY",
                "SOLVER.MAX_EPOCH", "SOLVER.OPTIMIZING_METHOD", "SOLVER.WEIGHT_DECAY", "SOLVER.MOMENTUM",
                "SOLVER.WARMUP_EPOCHS", "SOLVER.CLIP_GRAD_L2NORM", "MODEL.NUM_CLASSES", "MODEL.ARCH",
                "MODEL.MODEL_NAME", "MODEL.LOSS_FUNC", "MODEL.DROPOUT_RATE", "TEST.ENABLE", "TEST.DATASET",
                "TEST.BATCH_SIZE", "TEST.CHECKPOINT_FILE_PATH", "DATA_LOADER.NUM_WORKERS", "DATA_LOADER.PIN_MEMORY",
                "NUM_GPUS", "NUM_SHARDS", "RNG_SEED", "OUTPUT_DIR", "TENSORBOARD.ENABLE");
        assertThat(schema.names()).containsAll(referenceKeys);
    }

    @Test
    void everyKeyHasADescription() {
        assertThat(schema.keys()).allSatisfy(k -> assertThat(k.description()).isNotBlank());
    }

    @Test
    void keysCarryTypeDefaultAndWhetherWeActOnThem() {
        ConfigKey decay = schema.key("SOLVER.WEIGHT_DECAY");
        assertThat(decay.type()).isEqualTo(ConfigType.DOUBLE);
        assertThat(decay.defaultValue()).isEqualTo(2e-5);
        assertThat(decay.actedOn()).isTrue();
        ConfigKey pinMemory = schema.key("DATA_LOADER.PIN_MEMORY"); // no pinned host memory through DJL
        assertThat(pinMemory.actedOn()).isFalse();
        ConfigKey plan = schema.key("CONVMIXER.WEIGHT_SHARE.PLAN");
        assertThat(plan.type()).isEqualTo(ConfigType.INT_LIST);
        assertThat(plan.nullable()).isTrue();
    }

    @Test
    void enumeratedKeysListTheirChoices() {
        assertThat(schema.key("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING").choices())
                .containsExactly("sequential", "strided", "random", "cycle_rev");
        assertThat(schema.key("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN").expectation())
                .isEqualTo("one of None, mean, choose_first, scalar_weighted_mean, channel_weighted_mean");
    }

    @Test
    void anotherModelFamilyGetsTheSameWeightShareSubsection() {
        ConfigSchema.Builder b = ConfigSchema.builder();
        b.section("VIT").integer("DEPTH", 12, true, "transformer blocks");
        SpinSchema.weightShare(b, "VIT");
        ConfigSchema vit = b.build();

        assertThat(vit.isSection("VIT.WEIGHT_SHARE")).isTrue();
        assertThat(vit.names()).contains("VIT.WEIGHT_SHARE.SHARE_RATE", "VIT.WEIGHT_SHARE.REDUCTION_FN",
                "VIT.WEIGHT_SHARE.PLAN");
    }

    @Test
    void aNameCannotBeBothKeyAndSection() {
        ConfigSchema.Builder b = ConfigSchema.builder();
        b.section("").integer("SOLVER", 1, true, "x");
        b.section("SOLVER").integer("BASE_LR", 1, true, "x");
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SOLVER");
    }

    @Test
    void aDefaultOutsideTheChoicesIsRejected() {
        ConfigSchema.Section s = ConfigSchema.builder().section("X");
        assertThatThrownBy(() -> s.choice("MODE", "c", true, "x", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicateKeysAreRejected() {
        ConfigSchema.Section s = ConfigSchema.builder().section("X");
        s.integer("A", 1, true, "x");
        assertThatThrownBy(() -> s.integer("A", 2, true, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
