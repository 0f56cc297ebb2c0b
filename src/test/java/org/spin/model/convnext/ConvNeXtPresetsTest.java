package org.spin.model.convnext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.train.Optimizer;
import org.spin.train.Recipe;
import org.spin.train.TrainStep;
import org.spin.train.Trainer;

/** The named ConvNeXts run, the trainer leaves nothing behind, and bad configs are one-line errors. */
class ConvNeXtPresetsTest {

    @Test
    void theArchitectureHasItsPresetsSmallOnesFirst() {
        List<Preset> presets = Presets.all().stream().filter(p -> p.name().startsWith("convnext")).toList();
        assertThat(presets).extracting(Preset::name).containsExactly("convnext_iso_64_8_patch2_28",
                "convnext_iso_128_8_patch2_28", "convnext_iso_small", "convnext_iso_base");
        SpinConfig cfg = Presets.get("convnext_iso_64_8_patch2_28").applyTo(SpinConfig.defaults());
        assertThat(Models.architecture(cfg).describe(cfg)).isEqualTo("ConvNeXt-iso-64/8 P2 K7");
    }

    @TestFactory
    Stream<DynamicTest> everySmallPresetRunsForwardAndBackwardSharedOrNot() {
        return Presets.all().stream().filter(p -> !p.fullSize() && p.name().startsWith("convnext"))
                .flatMap(p -> Stream.of(1, 2).map(rate -> DynamicTest.dynamicTest(p.name() + " rate " + rate, () -> {
                    SpinConfig cfg = p.applyTo(SpinConfig.defaults()).with("CONVNEXT.WEIGHT_SHARE.ENABLE", rate > 1)
                            .with("CONVNEXT.WEIGHT_SHARE.SHARE_RATE", rate);
                    int size = p.imageSize();
                    try (NDManager m = NDManager.newBaseManager()) {
                        SpinModel model = Models.build(cfg, m, size);
                        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray logits = model.forward(s.randomNormal(new Shape(2, 1, size, size)), true);
                            assertThat(logits.getShape()).isEqualTo(new Shape(2, 10));
                            gc.backward(logits.square().sum());
                        }
                        assertThat(model.stateDict().get("stem.weight").getArray().getGradient().abs().sum().getFloat())
                                .isPositive();
                    }
                })));
    }

    /** Batch 16 on a 7×7 map: the depthwise conv takes its dense form; shared, fused and dropout on. */
    @Test
    void theTrainingStepLeavesNothingInTheModelsManager() {
        SpinConfig cfg = TinyConvNeXt.shared(TinyConvNeXt.config(16, 4, 4, 7), 2, null)
                .with("CONVNEXT.WEIGHT_SHARE.REDUCTION_FN", "channel_weighted_mean")
                .with("CONVNEXT.LAYER_SCALE_INIT", 1e-6).with("MODEL.DROPOUT_RATE", 0.1)
                .with("DATA.INPUT_CHANNEL_NUM", List.of(1)).with("MODEL.NUM_CLASSES", 10);
        int batch = 16;
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager params = root.newSubManager();
            SpinModel model = Models.build(cfg, params, 28);
            try (Optimizer opt = Trainer.newOptimizer(Recipe.from(cfg), model, root)) {
                TrainStep step = Trainer.newStep(Recipe.from(cfg), model, root, opt);
                float[] x = TinyConvNeXt.input(batch * 28 * 28);
                int[] y = java.util.stream.IntStream.range(0, batch).map(i -> i % 10).toArray();
                Shape shape = new Shape(batch, 1, 28, 28);
                step.run(x, shape, y, 1e-3); // the first step fetches the gradient handles
                int arraysBefore = root.getManagedArrays().size();
                params.cap(); // from here, any array that joins the model's manager throws
                for (int i = 0; i < 3; i++) {
                    step.run(x, shape, y, 1e-3);
                }
                assertThat(root.getManagedArrays()).hasSize(arraysBefore);
            }
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"CONVNEXT.DIM, 0", "CONVNEXT.DEPTH, 0", "CONVNEXT.PATCH_SIZE, 0", "CONVNEXT.KERNEL, 4",
            "CONVNEXT.MLP_RATIO, 0", "CONVNEXT.LAYER_SCALE_INIT, -0.1", "MODEL.DROPOUT_RATE, 1.0",
            "CONVNEXT.WEIGHT_SHARE.SCOPE, 'depthwise,attention'"})
    void aBadValueIsAOneLineErrorNamingItsKey(String key, String value) {
        SpinConfig cfg = TinyConvNeXt.config(16, 4, 2, 7).with(key, value);
        assertThatThrownBy(() -> Models.architecture(cfg).create(cfg, 28)).isInstanceOf(SpinException.class)
                .hasMessageContaining(key).hasMessageNotContaining("\n");
    }

    @Test
    void aSharingKeyOutsideWeightShareSuggestsConvNeXtsOwnNotConvMixers() {
        assertThatThrownBy(() -> SpinConfig.defaults().with("CONVNEXT.SHARE_RATE", 2))
                .hasMessageEndingWith("did you mean CONVNEXT.WEIGHT_SHARE.SHARE_RATE?");
    }

    @Test
    void anInputSmallerThanAPatchIsAnError() {
        SpinConfig cfg = TinyConvNeXt.config(16, 4, 16, 7);
        assertThatThrownBy(() -> Models.architecture(cfg).create(cfg, 8)).isInstanceOf(SpinException.class)
                .hasMessageContaining("CONVNEXT.PATCH_SIZE");
    }
}
