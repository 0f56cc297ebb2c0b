package org.spin.model.vit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spin.config.SpinConfig;
import org.spin.model.ModelCost;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.SpinModel;

/** The closed-form size and compute of a ViT: equal to the built model's, and to DeiT's published counts. */
class ViTCostTest {

    static Stream<Arguments> configsScopesRatesAndRelaxations() {
        List<SpinConfig> shapes = List.of(
                TinyViT.config(),
                TinyViT.config().with("VIT.QKV_BIAS", false),
                TinyViT.config().with("VIT.DEPTH", 6).with("VIT.MLP_RATIO", 4.0).with("VIT.NUM_HEADS", 4)
                        .with("MODEL.NUM_CLASSES", 7).with("DATA.INPUT_CHANNEL_NUM", List.of(1)),
                TinyViT.config().with("VIT.EMBED_DIM", 24).with("VIT.MLP_RATIO", 1.5).with("VIT.PATCH_SIZE", 3)
                        .with("VIT.NUM_HEADS", 3).with("VIT.WEIGHT_SHARE.RELAX_GROUP", 12));
        List<Arguments> out = new ArrayList<>();
        for (int s = 0; s < shapes.size(); s++) {
            for (String scope : List.of("attention", "mlp", "norm", "block", "attention,mlp,norm")) {
                for (int rate : List.of(1, 2)) {
                    for (String relax : List.of("none", "dynamic", "lora")) {
                        out.add(Arguments.of(s, shapes.get(s), scope, rate, relax));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "shape {0}, scope {2}, rate {3}, relaxation {4}")
    @MethodSource("configsScopesRatesAndRelaxations")
    void theClosedFormCountIsTheBuiltModels(int shape, SpinConfig base, String scope, int rate, String relax) {
        SpinConfig cfg = TinyViT.shared(base, scope, rate).with("VIT.WEIGHT_SHARE.RELAXATION", relax);
        SpinConfig unshared = TinyViT.shared(base, scope, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelCost cost = Models.cost(cfg, TinyViT.SIZE);
            assertThat(cost.uniqueParams()).isEqualTo(ParameterCount.unique(Models.build(cfg, m, TinyViT.SIZE)));
            assertThat(cost.unsharedParams())
                    .isEqualTo(ParameterCount.unique(Models.build(unshared, m, TinyViT.SIZE)));
        }
    }

    @Test
    void deitSmallHasItsPublishedCountAndHalfItsLinearsSharedAtRateTwo() {
        SpinConfig deitS = Presets.get("deit_small_patch16_224").applyTo(SpinConfig.defaults());
        SpinConfig shared = deitS.with("VIT.WEIGHT_SHARE.ENABLE", true).with("VIT.WEIGHT_SHARE.SHARE_RATE", 2);
        assertThat(Models.cost(deitS, 224).uniqueParams()).isEqualTo(22_050_664L);
        assertThat(Models.cost(shared, 224).uniqueParams()).isEqualTo(11_413_096L);
        assertThat(Models.cost(shared, 224).unsharedParams()).isEqualTo(22_050_664L);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(ParameterCount.unique(Models.build(deitS, m, 224))).isEqualTo(22_050_664L);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(shared, m, 224);
            assertThat(ParameterCount.unique(model)).isEqualTo(11_413_096L);
            // the default scope shares every linear of a block and no LayerNorm
            assertThat(model.stateDict()).containsKeys("shared.5.attn.qkv.weight", "shared.5.mlp.fc2.bias",
                    "blocks.11.norm1.weight", "blocks.11.norm2.bias").doesNotContainKeys("shared.6.attn.qkv.weight",
                    "blocks.0.attn.qkv.weight", "shared.0.norm1.weight");
        }
    }

    @Test
    void deitTinyHasItsPublishedCountByAnIndependentSum() {
        // DeiT-Ti: C 192, 12 blocks, MLP 768, 16-px patches of 3 channels, 14×14 + 1 tokens, 1000 classes
        long c = 192;
        long hidden = 768;
        long patchEmbed = c * 3 * 16 * 16 + c;
        long clsAndPos = c + 197 * c;
        long block = 2 * c /* norm1 */ + (3 * c * c + 3 * c) /* qkv */ + (c * c + c) /* proj */ + 2 * c /* norm2 */
                + (hidden * c + hidden) /* fc1 */ + (c * hidden + c) /* fc2 */;
        long total = patchEmbed + clsAndPos + 12 * block + 2 * c /* norm */ + (c * 1000 + 1000) /* head */;
        assertThat(total).isEqualTo(5_717_416L);

        SpinConfig deitTi = Presets.get("deit_tiny_patch16_224").applyTo(SpinConfig.defaults());
        assertThat(Models.cost(deitTi, 224).uniqueParams()).isEqualTo(total);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(ParameterCount.unique(Models.build(deitTi, m, 224))).isEqualTo(total);
        }
    }

    @Test
    void deitMacsAreTimmsGmacs() {
        // timm's model card: DeiT-Ti 1.3 GMACs, DeiT-S 4.6 GMACs (DeiT's paper calls them FLOPs)
        long tiny = Models.cost(Presets.get("deit_tiny_patch16_224").applyTo(SpinConfig.defaults()), 224).totalMacs();
        long small = Models.cost(Presets.get("deit_small_patch16_224").applyTo(SpinConfig.defaults()), 224).totalMacs();
        assertThat(tiny).isBetween(1_200_000_000L, 1_350_000_000L);
        assertThat(small).isBetween(4_550_000_000L, 4_650_000_000L);
    }

    @Test
    void macsByPartFollowTheTokenCount() {
        // tiny: C 16, depth 4, MLP 32, 4-px patches of 3 channels on 8 px: 4 patches + 1 class token
        ModelCost cost = Models.cost(TinyViT.config(), TinyViT.SIZE);
        assertThat(cost.macs()).extracting(ModelCost.Part::name)
                .containsExactly("patch embed", "qkv", "attention", "proj", "mlp", "head");
        assertThat(cost.macs()).extracting(ModelCost.Part::macs).containsExactly(
                16L * 3 * 4 * 4 * 4, 4L * 5 * 16 * 48, 4L * 2 * 5 * 5 * 16, 4L * 5 * 16 * 16, 4L * 5 * 2 * 16 * 32,
                16L * TinyViT.CLASSES);
    }

    @Test
    void everyFullSizePresetBuildsToItsClosedFormCount() {
        for (Preset p : Presets.all()) {
            SpinConfig cfg = p.applyTo(SpinConfig.defaults());
            if (!p.fullSize() || !cfg.getString("MODEL.ARCH").equals("vit")) {
                continue;
            }
            try (NDManager m = NDManager.newBaseManager()) {
                assertThat(ParameterCount.unique(Models.build(cfg, m, p.imageSize())))
                        .as(p.name()).isEqualTo(Models.cost(cfg, p.imageSize()).uniqueParams());
            }
        }
    }
}
