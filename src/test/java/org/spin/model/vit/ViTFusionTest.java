package org.spin.model.vit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spin.config.SpinConfig;
import org.spin.fusion.Fuse;
import org.spin.io.HostTensor;
import org.spin.model.HostArrays;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/** Weight fusion on a ViT: per-layer sources train, and the compact export gives the fusion model's logits. */
class ViTFusionTest {

    private static SpinConfig fusion(String reduction, String scope, String mapping, String relax) {
        return TinyViT.config().with("VIT.DEPTH", 6).with("VIT.WEIGHT_SHARE.ENABLE", true)
                .with("VIT.WEIGHT_SHARE.SHARE_RATE", 2).with("VIT.WEIGHT_SHARE.SHARING_MAPPING", mapping)
                .with("VIT.WEIGHT_SHARE.SEED", 3).with("VIT.WEIGHT_SHARE.SCOPE", scope)
                .with("VIT.WEIGHT_SHARE.REDUCTION_FN", reduction).with("VIT.WEIGHT_SHARE.RELAXATION", relax);
    }

    @ParameterizedTest(name = "{0}, scope {1}, {2}, relaxation {3}")
    @CsvSource({"mean, block, sequential, none", "mean, 'attention,mlp,norm', random, none",
            "choose_first, block, strided, none", "scalar_weighted_mean, attention, sequential, none",
            "channel_weighted_mean, 'attention,mlp,norm', strided, none", "mean, block, sequential, dynamic",
            "mean, mlp, strided, lora"})
    void theCompactExportGivesTheFusionModelsLogits(String reduction, String scope, String mapping, String relax) {
        SpinConfig cfg = fusion(reduction, scope, mapping, relax);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel fusion = Models.build(cfg, m, TinyViT.SIZE);
            perturbFreshKeys(fusion);
            Map<String, HostTensor> compact = Fuse.compactStateDict(fusion, m);
            SpinConfig compactCfg = Fuse.compactConfig(cfg, fusion);
            SpinModel exported = Models.build(compactCfg, m, TinyViT.SIZE);
            StateDicts.load(exported, compact, "export");

            assertThat(exported.plan()).isEqualTo(fusion.plan());
            assertThat(compact.keySet()).noneMatch(k -> k.contains("reduction_w"))
                    .filteredOn(k -> k.endsWith("attn.proj.weight") || k.endsWith("mlp.fc1.weight"))
                    .hasSize(scope.equals("attention") || scope.equals("mlp") ? 3 + 6 : 3 + 3);
            // the export is the shared model the closed form counts
            assertThat(ParameterCount.unique(exported)).isEqualTo(Models.cost(cfg, TinyViT.SIZE).uniqueParams());
            try (NDManager scope2 = m.newSubManager()) {
                scope2.getEngine().setRandomSeed(5);
                NDArray x = scope2.randomNormal(new Shape(3, 3, TinyViT.SIZE, TinyViT.SIZE));
                float diff = fusion.forward(x, false).sub(exported.forward(x, false)).abs().max().getFloat();
                assertThat(diff).isLessThanOrEqualTo((float) Fuse.TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"mean", "scalar_weighted_mean", "channel_weighted_mean"})
    void gradientsReachEverySourceAndReductionWeight(String reduction) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(fusion(reduction, "attention,mlp,norm", "strided", "none"), m, TinyViT.SIZE);
            assertThat(model.stateDict()).containsKeys("blocks.5.attn.qkv.weight", "blocks.5.norm2.bias")
                    .doesNotContainKey("shared.0.attn.qkv.weight");
            try (NDManager scope = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                scope.getEngine().setRandomSeed(1);
                gc.backward(model.forward(scope.randomNormal(new Shape(2, 3, TinyViT.SIZE, TinyViT.SIZE)), true)
                        .square().sum());
            }
            for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
                assertThat(TinyViT.norm(TinyViT.grad(e.getValue()))).as("gradient of %s", e.getKey()).isGreaterThan(0);
            }
        }
    }

    /** Reduction weights and relaxations away from their initial values, so the export must carry them. */
    private static void perturbFreshKeys(SpinModel model) {
        Map<String, Parameter> sd = model.stateDict();
        int k = 0;
        for (String key : model.freshKeys()) {
            Parameter p = sd.get(key);
            long[] shape = p.getArray().getShape().getShape();
            float[] v = new float[(int) HostTensor.numel(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (key.contains("relax_scale") || key.contains("reduction_w") ? 1f : 0f)
                        + 0.1f * (float) Math.sin(0.9 * i + k);
            }
            HostArrays.copyInto(p.getArray(), HostTensor.ofFloats(shape, v), key);
            k++;
        }
    }
}
