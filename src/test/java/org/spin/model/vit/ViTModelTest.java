package org.spin.model.vit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.train.Optimizer;
import org.spin.train.Recipe;
import org.spin.train.TrainStep;
import org.spin.train.Trainer;

/** A ViT runs forward and backward under every sharing scope, and sharing is real: one tensor per slot. */
class ViTModelTest {

    private static final int B = 2;

    /** Backward of Σ logits·sin(k), a loss that weighs every logit differently; returns the logits. */
    private static float[] backward(SpinModel model, NDManager m, float[] x, int channels, int size) {
        try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.forward(s.create(x, new Shape(B, channels, size, size)), true);
            int classes = (int) logits.getShape().get(1);
            NDArray weights = s.arange((float) B * classes).reshape(B, classes).sin();
            NDArray loss = logits.mul(weights).sum();
            gc.backward(loss);
            assertThat(logits.getShape()).isEqualTo(new Shape(B, classes));
            assertThat(Double.isFinite(loss.getFloat())).as("loss").isTrue();
            return logits.toFloatArray();
        }
    }

    @ParameterizedTest(name = "scope {0}, rate {1}, relaxation {2}")
    @CsvSource({"attention, 1, none", "attention, 2, none", "mlp, 1, none", "mlp, 2, none", "block, 1, none",
            "block, 2, none", "norm, 1, none", "norm, 2, none", "'attention,mlp,norm', 2, none", "block, 4, none",
            "block, 2, dynamic"})
    void gradientsReachEveryTrainableParameter(String scope, int rate, String relax) {
        SpinConfig cfg = TinyViT.shared(TinyViT.config(), scope, rate).with("VIT.WEIGHT_SHARE.RELAXATION", relax);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, TinyViT.SIZE);
            backward(model, m, TinyViT.input(B * 3 * TinyViT.SIZE * TinyViT.SIZE), 3, TinyViT.SIZE);
            for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
                assertThat(e.getValue().requiresGradient()).as(e.getKey()).isTrue();
                assertThat(TinyViT.norm(TinyViT.grad(e.getValue()))).as("gradient of %s", e.getKey())
                        .isGreaterThan(0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"attention", "mlp", "norm", "block"})
    void aSlotsGradientIsTheSumOfItsLayersGradientsInTheUnsharedTwin(String scope) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel shared = Models.build(TinyViT.shared(TinyViT.config(), scope, 2), m, TinyViT.SIZE);
            SpinModel twin = Models.build(TinyViT.config(), m, TinyViT.SIZE);
            int[] plan = shared.plan().toArray();
            assertThat(plan).containsExactly(0, 1, 0, 1); // strided
            StateDicts.load(twin, TinyViT.expand(StateDicts.export(shared), plan), "twin");
            float[] x = TinyViT.input(B * 3 * TinyViT.SIZE * TinyViT.SIZE);
            float[] a = backward(shared, m, x, 3, TinyViT.SIZE);
            float[] b = backward(twin, m, x, 3, TinyViT.SIZE);
            for (int i = 0; i < a.length; i++) {
                assertThat((double) a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-5));
            }
            Map<String, Parameter> twinSd = twin.stateDict();
            int slotKeys = 0;
            for (Map.Entry<String, Parameter> e : shared.stateDict().entrySet()) {
                String k = e.getKey();
                float[] got = TinyViT.grad(e.getValue());
                float[] want = new float[got.length];
                if (k.startsWith("shared.")) {
                    slotKeys++;
                    int slot = Character.getNumericValue(k.charAt("shared.".length()));
                    for (int l : shared.plan().layersOf(slot)) {
                        float[] g = TinyViT.grad(twinSd.get("blocks." + l + k.substring("shared.0".length())));
                        for (int i = 0; i < g.length; i++) {
                            want[i] += g[i];
                        }
                    }
                } else {
                    want = TinyViT.grad(twinSd.get(k)); // everything else: the same tensor, the same gradient
                }
                // relative to the tensor's largest gradient: the class token's first LayerNorm divides by
                // its small spread (cls + pos ~ 0.03), so float32 rounding that varies from run to run
                // (the BLAS's summation order) reaches 1e-4 of its gradient; a missing layer would be O(1)
                double tolerance = 1e-5 + 1e-3 * max(want);
                for (int i = 0; i < got.length; i++) {
                    assertThat((double) got[i]).as("%s[%d]", k, i).isCloseTo(want[i], within(tolerance));
                }
            }
            assertThat(slotKeys).as("shared keys").isGreaterThan(0);
        }
    }

    private static double max(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    @Test
    void theDefaultScopeSharesEveryLinearOfABlockAndNoNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinConfig cfg = TinyViT.config().with("VIT.WEIGHT_SHARE.ENABLE", true)
                    .with("VIT.WEIGHT_SHARE.SHARE_RATE", 4); // one slot: ALBERT-style
            SpinModel model = Models.build(cfg, m, TinyViT.SIZE);
            Map<String, Parameter> sd = model.stateDict();
            // the module tree's order: a slot's weights where its first layer reads them
            assertThat(sd.keySet()).containsExactly("cls_token", "pos_embed", "patch_embed.proj.weight",
                    "patch_embed.proj.bias", "blocks.0.norm1.weight", "blocks.0.norm1.bias", "shared.0.attn.qkv.weight",
                    "shared.0.attn.qkv.bias", "shared.0.attn.proj.weight", "shared.0.attn.proj.bias",
                    "blocks.0.norm2.weight", "blocks.0.norm2.bias", "shared.0.mlp.fc1.weight", "shared.0.mlp.fc1.bias",
                    "shared.0.mlp.fc2.weight", "shared.0.mlp.fc2.bias",
                    "blocks.1.norm1.weight", "blocks.1.norm1.bias", "blocks.1.norm2.weight", "blocks.1.norm2.bias",
                    "blocks.2.norm1.weight", "blocks.2.norm1.bias", "blocks.2.norm2.weight", "blocks.2.norm2.bias",
                    "blocks.3.norm1.weight", "blocks.3.norm1.bias", "blocks.3.norm2.weight", "blocks.3.norm2.bias",
                    "norm.weight", "norm.bias", "head.weight", "head.bias");
            // every norm and both embeddings escape weight decay, as timm's no_weight_decay(); no linear does
            assertThat(model.noWeightDecay()).contains("blocks.2.norm1.weight", "norm.bias", "cls_token", "pos_embed")
                    .doesNotContain("shared.0.attn.qkv.weight", "shared.0.mlp.fc1.weight");
        }
    }

    @Test
    void unsharedKeysAreTimms() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> sd = Models.build(TinyViT.config().with("VIT.QKV_BIAS", false), m, TinyViT.SIZE)
                    .stateDict();
            assertThat(sd.keySet()).startsWith("cls_token", "pos_embed", "patch_embed.proj.weight",
                    "patch_embed.proj.bias", "blocks.0.norm1.weight", "blocks.0.norm1.bias", "blocks.0.attn.qkv.weight",
                    "blocks.0.attn.proj.weight", "blocks.0.attn.proj.bias", "blocks.0.norm2.weight",
                    "blocks.0.norm2.bias", "blocks.0.mlp.fc1.weight", "blocks.0.mlp.fc1.bias",
                    "blocks.0.mlp.fc2.weight", "blocks.0.mlp.fc2.bias", "blocks.1.norm1.weight")
                    .endsWith("blocks.3.mlp.fc2.bias", "norm.weight", "norm.bias", "head.weight", "head.bias")
                    .noneMatch(k -> k.contains("qkv.bias"));
            assertThat(sd.get("pos_embed").getArray().getShape()).isEqualTo(new Shape(1, 5, 16));
            assertThat(sd.get("blocks.1.attn.qkv.weight").getArray().getShape()).isEqualTo(new Shape(48, 16));
            assertThat(sd.get("blocks.1.mlp.fc1.weight").getArray().getShape()).isEqualTo(new Shape(32, 16));
        }
    }

    @Test
    void anInputOfAnotherSizeThanTheModelWasBuiltForIsAnError() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(TinyViT.config(), m, TinyViT.SIZE);
            assertThatThrownBy(() -> model.forward(m.zeros(new Shape(1, 3, 12, 12)), false))
                    .isInstanceOf(SpinException.class).hasMessageContaining("built for 4");
        }
    }

    @Test
    void badShapesAreOneLineErrorsNamingTheKey() {
        assertThatThrownBy(() -> ViTConfig.from(TinyViT.config().with("VIT.EMBED_DIM", 64).with("VIT.NUM_HEADS", 5)))
                .isInstanceOf(SpinException.class).hasMessage("VIT.NUM_HEADS 5 does not divide VIT.EMBED_DIM 64");
        assertThatThrownBy(() -> ViTConfig.from(TinyViT.config().with("VIT.DEPTH", 0)))
                .hasMessageStartingWith("VIT.DEPTH 0 ");
        assertThatThrownBy(() -> ViTConfig.from(TinyViT.config().with("VIT.MLP_RATIO", 0.01)))
                .hasMessageStartingWith("VIT.MLP_RATIO 0.01 ");
        assertThatThrownBy(() -> Models.build(TinyViT.config().with("VIT.PATCH_SIZE", 16), NDManager.newBaseManager(), 8))
                .hasMessage("input size 8 is smaller than VIT.PATCH_SIZE 16");
        assertThatThrownBy(() -> ViTConfig.from(TinyViT.config().with("VIT.WEIGHT_SHARE.SCOPE", "pointwise")))
                .hasMessageContaining("pointwise is not a scope of vit");
    }

    @Test
    void describeNamesTheShape() {
        SpinConfig cfg = SpinConfig.defaults().with("MODEL.ARCH", "vit");
        assertThat(Models.architecture(cfg).describe(cfg)).isEqualTo("ViT-64/6 P4 heads 4 mlp 2.0");
    }

    @Test
    void sharingNormsWarns() {
        SpinConfig cfg = TinyViT.shared(TinyViT.config(), "norm", 2);
        assertThat(Models.warning(cfg)).isPresent();
        assertThat(Models.warning(TinyViT.shared(TinyViT.config(), "block", 2))).isEmpty();
    }

    @Test
    void everySmallPresetRunsForwardAndBackward() {
        List<Preset> small = Presets.all().stream().filter(p -> !p.fullSize())
                .filter(p -> "vit".equals(p.values().get("MODEL.ARCH"))).toList();
        assertThat(small).hasSizeGreaterThanOrEqualTo(2);
        for (Preset p : small) {
            SpinConfig cfg = p.applyTo(SpinConfig.defaults());
            int size = p.imageSize();
            int channels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM").get(0);
            try (NDManager m = NDManager.newBaseManager()) {
                SpinModel model = Models.build(cfg, m, size);
                backward(model, m, TinyViT.input(B * channels * size * size), channels, size);
                assertThat(TinyViT.norm(TinyViT.grad(model.stateDict().get("blocks.0.attn.qkv.weight"))))
                        .as(p.name()).isGreaterThan(0);
            }
        }
    }

    /** Plain, shared, fusion and relaxed: a training step adds nothing to the model's manager. */
    @ParameterizedTest
    @CsvSource({"1, None, none", "2, None, none", "2, mean, none", "2, channel_weighted_mean, none",
            "2, None, dynamic", "2, mean, lora"})
    void theTrainingStepLeavesNothingInTheModelsManager(int rate, String reduction, String relax) {
        SpinConfig cfg = TinyViT.shared(TinyViT.config(), "attention,mlp,norm", rate)
                .with("VIT.WEIGHT_SHARE.REDUCTION_FN", reduction).with("VIT.WEIGHT_SHARE.RELAXATION", relax)
                .with("MODEL.DROPOUT_RATE", 0.1);
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager params = root.newSubManager();
            SpinModel model = Models.build(cfg, params, TinyViT.SIZE);
            try (Optimizer opt = Trainer.newOptimizer(Recipe.from(cfg), model, root)) {
                TrainStep step = Trainer.newStep(Recipe.from(cfg), model, root, opt);
                float[] x = TinyViT.input(4 * 3 * TinyViT.SIZE * TinyViT.SIZE);
                Shape shape = new Shape(4, 3, TinyViT.SIZE, TinyViT.SIZE);
                int[] y = {0, 1, 2, 3};
                step.run(x, shape, y, 1e-3); // the first step fetches the gradient handles
                int arraysBefore = root.getManagedArrays().size();
                params.cap(); // from here, any array that joins the model's manager throws
                double loss = 0;
                for (int i = 0; i < 3; i++) {
                    loss = step.run(x, shape, y, 1e-3);
                }
                assertThat(loss).isFinite();
                assertThat(root.getManagedArrays()).hasSize(arraysBefore);
            }
        }
    }
}
