package org.spin.model.convnext;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spin.config.SpinConfig;
import org.spin.fusion.Fuse;
import org.spin.io.HostTensor;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/** Weight fusion on ConvNeXt: the compact export is the shared model and gives the fusion model's logits. */
class ConvNeXtFusionTest {

    private static final int SIZE = 8;

    @ParameterizedTest(name = "{0} {1}, relaxation {2}")
    @CsvSource({"block, sequential, none", "'depthwise,expansion,projection,norm', strided, none",
            "block, random, dynamic", "expansion, sequential, lora"})
    void theCompactExportGivesTheFusionModelsLogits(String scope, String mapping, String relaxation) {
        SpinConfig shared = TinyConvNeXt.config(16, 4, 2, 3).with("CONVNEXT.LAYER_SCALE_INIT", 0.5)
                .with("CONVNEXT.WEIGHT_SHARE.ENABLE", true).with("CONVNEXT.WEIGHT_SHARE.SHARE_RATE", 2)
                .with("CONVNEXT.WEIGHT_SHARE.SHARING_MAPPING", mapping).with("CONVNEXT.WEIGHT_SHARE.SEED", 3)
                .with("CONVNEXT.WEIGHT_SHARE.SCOPE", scope).with("CONVNEXT.WEIGHT_SHARE.RELAXATION", relaxation)
                .with("CONVNEXT.WEIGHT_SHARE.RELAX_GROUP", 8).with("CONVNEXT.WEIGHT_SHARE.LORA_RANK", 2);
        SpinConfig cfg = shared.with("CONVNEXT.WEIGHT_SHARE.REDUCTION_FN", "channel_weighted_mean");
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel fusion = Models.build(cfg, m, SIZE);
            randomize(fusion, m);
            Map<String, HostTensor> compact = Fuse.compactStateDict(fusion, m);
            SpinModel exported = Models.build(Fuse.compactConfig(cfg, fusion), m, SIZE);
            StateDicts.load(exported, compact, "export");

            assertThat(exported.plan()).isEqualTo(fusion.plan());
            assertThat(compact.keySet()).noneMatch(k -> k.contains("reduction_w"));
            assertThat(ParameterCount.unique(exported)).isEqualTo(ParameterCount.unique(Models.build(shared, m, SIZE)))
                    .isEqualTo(Models.cost(cfg, SIZE).uniqueParams());
            try (NDManager scope2 = m.newSubManager()) {
                scope2.getEngine().setRandomSeed(5);
                NDArray x = scope2.randomNormal(new Shape(3, 3, SIZE, SIZE));
                float diff = fusion.forward(x, false).sub(exported.forward(x, false)).abs().max().getFloat();
                assertThat(diff).isLessThanOrEqualTo((float) Fuse.TOLERANCE);
            }
        }
    }

    /** Every tensor random (sources, reduction weights, norms, relaxations), so fusing is not a no-op. */
    private static void randomize(SpinModel model, NDManager m) {
        m.getEngine().setRandomSeed(9);
        for (Parameter p : model.stateDict().values()) {
            NDArray a = p.getArray();
            float offset = p.getName().contains("reduction_w") || p.getName().contains("norm.weight") ? 1 : 0;
            try (NDArray r = m.randomNormal(0, 0.3f, a.getShape(), a.getDataType())) {
                a.set(r.add(offset).toFloatArray());
            }
        }
    }
}
