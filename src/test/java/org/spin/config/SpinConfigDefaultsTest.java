package org.spin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpinConfigDefaultsTest {

    private final SpinConfig cfg = SpinConfig.defaults();

    @Test
    void defaultsDescribeASmallFashionMnistRunOnTheCpu() {
        assertThat(cfg.getString("TRAIN.DATASET")).isEqualTo("fashion_mnist");
        assertThat(cfg.getInt("TRAIN.BATCH_SIZE")).isEqualTo(64);
        assertThat(cfg.getBool("TRAIN.AUTO_RESUME")).isTrue();
        assertThat(cfg.getDoubleList("DATA.MEAN")).containsExactly(0.2860);
        assertThat(cfg.getDoubleList("DATA.STD")).containsExactly(0.3530);
        assertThat(cfg.getIntList("DATA.INPUT_CHANNEL_NUM")).containsExactly(3);
        assertThat(cfg.getInt("CONVMIXER.DEPTH")).isEqualTo(32);
        assertThat(cfg.getInt("CONVMIXER.CHANNEL")).isEqualTo(768);
        assertThat(cfg.getString("CONVMIXER.ACT_FUNC")).isEqualTo("RELU");
        assertThat(cfg.getBool("CONVMIXER.WEIGHT_SHARE.ENABLE")).isFalse();
        assertThat(cfg.getInt("CONVMIXER.WEIGHT_SHARE.SHARE_RATE")).isEqualTo(1);
        assertThat(cfg.getDouble("SOLVER.BASE_LR")).isEqualTo(0.01);
        assertThat(cfg.getDouble("SOLVER.WEIGHT_DECAY")).isEqualTo(2.0E-5);
        assertThat(cfg.getString("SOLVER.LR_POLICY")).isEqualTo("onecycle");
        assertThat(cfg.getDouble("MIXUP.LABEL_SMOOTH_VALUE")).isEqualTo(0.1);
        assertThat(cfg.getInt("MODEL.NUM_CLASSES")).isEqualTo(10);
        assertThat(cfg.getInt("TEST.BATCH_SIZE")).isEqualTo(256);
        assertThat(cfg.getInt("NUM_GPUS")).isZero();
        assertThat(cfg.getString("OUTPUT_DIR")).isEqualTo("runs/default");
    }

    @Test
    void noneDefaultsAreNull() {
        assertThat(cfg.isNull("SOLVER.CLIP_GRAD_L2NORM")).isTrue();
        assertThat(cfg.getString("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN")).isNull();
        assertThat(cfg.getIntList("CONVMIXER.WEIGHT_SHARE.PLAN")).isNull();
    }

    @Test
    void primitiveGetterOfAnUnsetKeyIsAProgrammingError() {
        assertThatThrownBy(() -> cfg.getDouble("SOLVER.CLIP_GRAD_L2NORM"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SOLVER.CLIP_GRAD_L2NORM");
    }

    @Test
    void defaultsSetNoIgnoredKeys() {
        assertThat(cfg.ignoredKeys()).isEmpty();
        assertThat(cfg.ignoredKeysWarning()).isEmpty();
    }

    @Test
    void askingForAnUnknownKeyIsAProgrammingError() {
        assertThatThrownBy(() -> cfg.getInt("SOLVER.BASE_RL"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("did you mean SOLVER.BASE_LR?");
        assertThatThrownBy(() -> cfg.get("NOPE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void askingWithTheWrongGetterIsAProgrammingError() {
        assertThatThrownBy(() -> cfg.getInt("SOLVER.BASE_LR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOUBLE");
    }

    @Test
    void listsCannotBeModified() {
        List<Double> mean = cfg.getDoubleList("DATA.MEAN");
        assertThatThrownBy(() -> mean.add(1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void genericGetReturnsTheEffectiveValue() {
        assertThat(cfg.get("SOLVER.MAX_EPOCH")).isEqualTo(300);
        assertThat(cfg.asMap()).containsEntry("MODEL.ARCH", "convmixer").hasSize(cfg.schema().keys().size());
    }
}
