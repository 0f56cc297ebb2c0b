package org.spin.model.convnext;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.spin.config.SpinConfig;
import org.spin.model.ModelCost;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.SpinModel;

/** The closed-form counts are what the built model stores, and the paper's numbers. */
class ConvNeXtCostTest {

    private static long built(SpinConfig cfg, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            return ParameterCount.unique(Models.build(cfg, m, size));
        }
    }

    @TestFactory
    Stream<DynamicTest> theClosedFormCountIsTheBuiltModelsForEveryScopeRateAndRelaxation() {
        List<SpinConfig> shapes = List.of(
                TinyConvNeXt.config(64, 4, 2, 7),
                TinyConvNeXt.config(64, 6, 4, 3).with("CONVNEXT.MLP_RATIO", 2).with("CONVNEXT.LAYER_SCALE_INIT", 1e-6),
                TinyConvNeXt.config(128, 3, 3, 5).with("CONVNEXT.LAYER_SCALE_INIT", 0.5).with("MODEL.NUM_CLASSES", 7));
        List<DynamicTest> tests = new ArrayList<>();
        for (SpinConfig shape : shapes) {
            int depth = shape.getInt("CONVNEXT.DEPTH");
            tests.add(check("unshared " + describe(shape), shape));
            for (String scope : TinyConvNeXt.SCOPES) {
                for (String relax : List.of("none", "dynamic", "lora")) {
                    SpinConfig cfg = TinyConvNeXt.shared(shape, depth % 2 == 0 ? 2 : 3, scope)
                            .with("CONVNEXT.WEIGHT_SHARE.RELAXATION", relax).with("CONVNEXT.WEIGHT_SHARE.LORA_RANK", 4);
                    tests.add(check(describe(shape) + " " + scope + " " + relax, cfg));
                }
            }
        }
        return tests.stream();
    }

    private static DynamicTest check(String name, SpinConfig cfg) {
        return DynamicTest.dynamicTest(name, () -> {
            ModelCost cost = Models.cost(cfg, 12);
            assertThat(cost.uniqueParams()).isEqualTo(built(cfg, 12));
            assertThat(cost.unsharedParams()).isEqualTo(built(cfg.with("CONVNEXT.WEIGHT_SHARE.ENABLE", false)
                    .with("CONVNEXT.WEIGHT_SHARE.RELAXATION", "none"), 12));
        });
    }

    private static String describe(SpinConfig cfg) {
        return Models.architecture(cfg).describe(cfg);
    }

    @Test
    void aFusionModelCountsAsItsExport() {
        SpinConfig shared = TinyConvNeXt.shared(TinyConvNeXt.config(64, 4, 2, 7), 2, null);
        SpinConfig fusion = shared.with("CONVNEXT.WEIGHT_SHARE.REDUCTION_FN", "channel_weighted_mean");
        assertThat(Models.cost(fusion, 12).uniqueParams()).isEqualTo(built(shared, 12)).isLessThan(built(fusion, 12));
    }

    @Test
    void convNeXtSmallIsoHasThePapersCountsAndCompute() {
        Preset small = Presets.get("convnext_iso_small");
        SpinConfig cfg = small.applyTo(SpinConfig.defaults());
        SpinConfig sharedR2 = cfg.with("CONVNEXT.WEIGHT_SHARE.ENABLE", true).with("CONVNEXT.WEIGHT_SHARE.SHARE_RATE", 2);
        assertThat(Models.cost(cfg, 224).uniqueParams()).isEqualTo(22_308_712L);
        assertThat(Models.cost(sharedR2, 224).uniqueParams()).isEqualTo(11_501_800L);
        assertThat(Models.cost(sharedR2, 224).unsharedParams()).isEqualTo(22_308_712L);
        // the ConvNeXt paper's Table: ConvNeXt-S (iso.) 22M params, 4.3G FLOPs (its FLOPs are MACs)
        assertThat(Models.cost(cfg, 224).totalMacs()).isBetween(4_250_000_000L, 4_349_999_999L);
        assertThat(Models.architecture(cfg).describe(cfg)).isEqualTo("ConvNeXt-iso-384/18 P16 K7");
    }

    @Test
    void convNeXtBaseIsoHasThePapersCountAndCompute() {
        SpinConfig cfg = Presets.get("convnext_iso_base").applyTo(SpinConfig.defaults());
        ModelCost cost = Models.cost(cfg, 224);
        assertThat(cost.uniqueParams()).isBetween(86_500_000L, 87_499_999L); // 87M
        assertThat(cost.totalMacs()).isBetween(16_850_000_000L, 16_949_999_999L); // 16.9G
    }

    @TestFactory
    Stream<DynamicTest> fullSizePresetsBuildWithTheirClosedFormCount() {
        return Presets.all().stream().filter(p -> p.fullSize() && p.name().startsWith("convnext"))
                .flatMap(p -> Stream.of(false, true).map(sharedR2 -> DynamicTest.dynamicTest(
                        p.name() + (sharedR2 ? " shared r2" : ""), () -> {
                            SpinConfig cfg = p.applyTo(SpinConfig.defaults())
                                    .with("CONVNEXT.WEIGHT_SHARE.ENABLE", sharedR2)
                                    .with("CONVNEXT.WEIGHT_SHARE.SHARE_RATE", 2);
                            try (NDManager m = NDManager.newBaseManager()) {
                                SpinModel model = Models.build(cfg, m, p.imageSize());
                                assertThat(ParameterCount.unique(model))
                                        .isEqualTo(Models.cost(cfg, p.imageSize()).uniqueParams());
                            }
                        })));
    }
}
