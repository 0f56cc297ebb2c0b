package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.config.SpinConfig;
import org.spin.io.SafeTensors;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * A fusion model with LoRA relaxation that starts from a trained unshared model: B_l·A_l starts at
 * the truncated SVD of W_l − W_fused, so at full rank it is the unshared model again.
 */
class LoraFromTrainedWeightsTest {

    private static final int SIZE = 8;

    private static SpinConfig unshared() {
        return SpinConfig.defaults().with("CONVMIXER.CHANNEL", 8).with("CONVMIXER.DEPTH", 4)
                .with("CONVMIXER.PATCH_KERNEL", 2).with("CONVMIXER.PATCH_STRIDE", 2).with("CONVMIXER.KERNEL", 3)
                .with("DATA.INPUT_CHANNEL_NUM", List.of(1)).with("MODEL.NUM_CLASSES", 3).with("RNG_SEED", 5);
    }

    private static SpinConfig fusion(Path teacher, int rank) {
        return unshared().with("RNG_SEED", 9).with("CONVMIXER.WEIGHT_SHARE.ENABLE", true)
                .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2).with("CONVMIXER.WEIGHT_SHARE.SCOPE", "both")
                .with("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "mean").with("CONVMIXER.WEIGHT_SHARE.RELAXATION", "lora")
                .with("CONVMIXER.WEIGHT_SHARE.LORA_RANK", rank)
                .with("TRAIN.CHECKPOINT_FILE_PATH", teacher.toString()).with("TRAIN.CHECKPOINT_EPOCH_RESET", true);
    }

    private static float maxLogitDiff(SpinModel a, SpinModel b, NDManager m) {
        try (NDManager s = m.newSubManager()) {
            s.getEngine().setRandomSeed(1);
            NDArray x = s.randomNormal(new Shape(4, 1, SIZE, SIZE));
            return a.forward(x, false).sub(b.forward(x, false)).abs().max().getFloat();
        }
    }

    @Test
    void atFullRankTheRelaxedFusionModelStartsAsTheUnsharedOne(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel teacher = Models.build(unshared(), m, SIZE);
            Path file = dir.resolve("teacher.safetensors");
            SafeTensors.write(file, StateDicts.export(teacher), Map.of());
            // depthwise weights are (8, 1, 3, 3): rank at most 8; pointwise (8, 8, 1, 1): at most 8
            SpinModel full = Models.build(fusion(file, 8), m, SIZE);
            InitialWeights.load(fusion(file, 8), full);
            assertThat(maxLogitDiff(full, teacher, m)).isLessThan(1e-4f);
            SpinModel low = Models.build(fusion(file, 1), m, SIZE);
            InitialWeights.load(fusion(file, 1), low);
            SpinModel plain = Models.build(fusion(file, 1).with("CONVMIXER.WEIGHT_SHARE.RELAXATION", "none"), m, SIZE);
            InitialWeights.load(fusion(file, 1).with("CONVMIXER.WEIGHT_SHARE.RELAXATION", "none"), plain);
            float lowDiff = maxLogitDiff(low, teacher, m);
            assertThat(lowDiff).as("rank 1 recovers part of what fusion lost").isGreaterThan(1e-4f)
                    .isLessThan(maxLogitDiff(plain, teacher, m));
            assertThat(low.stateDict().get("blocks.0.pwise.lora_b").getArray().abs().sum().getFloat())
                    .isGreaterThan(0f);
        }
    }
}
