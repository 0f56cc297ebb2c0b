package org.spin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensorsFile;
import org.spin.io.TorchCheckpoint;
import org.spin.io.WeightFiles;

/**
 * Pretrained weights we do not own load into our models and give their logits: PyTorch modules in
 * timm's exact layouts, written by {@code bench/torch_timm_fixture.py} with random weights.
 *
 * <p>{@code deit_tiny_d2} has DeiT-Ti's widths (embed 192, 3 heads, MLP 768, patch 16, qkv bias,
 * 224 px) but depth 2 and 10 classes, so the committed {@code .pth} is 4.3 MB rather than the full
 * model's 22 MB; its {@code .safetensors} twin (a hub file, {@code {"format": "pt"}}) holds the same
 * weights in float16, every weight having been rounded to float16 before the logits were taken.
 * {@code convmixer_32_3} is timm's ConvMixer (dim 32, depth 3, kernel 5, patch 2, GELU, 10
 * classes) in eval mode with random BatchNorm running statistics.
 */
class TimmImportTest {

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(TimmImportTest.class.getResource("/fixtures/timm/" + name).toURI());
    }

    /** DeiT-Ti as named, at the fixture's depth and classes. */
    static SpinConfig deit() {
        return Presets.get("deit_tiny_patch16_224").applyTo(SpinConfig.defaults()).with("VIT.DEPTH", 2)
                .with("MODEL.NUM_CLASSES", 10);
    }

    /** timm's ConvMixer block: no residual around the pointwise conv. */
    static SpinConfig timmConvMixer(boolean pointwiseResidual) {
        return SpinConfig.defaults().with("CONVMIXER.CHANNEL", 32).with("CONVMIXER.DEPTH", 3).with("CONVMIXER.KERNEL", 5)
                .with("CONVMIXER.PATCH_KERNEL", 2).with("CONVMIXER.PATCH_STRIDE", 2).with("CONVMIXER.ACT_FUNC", "GELU")
                .with("DATA.INPUT_CHANNEL_NUM", List.of(3)).with("MODEL.NUM_CLASSES", 10)
                .with("CONVMIXER.POINTWISE_RESIDUAL", pointwiseResidual);
    }

    /** sin(0.7 i) over the flat index, as the fixture script's {@code wave}: 224-px inputs are not stored. */
    private static float[] wave(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.7);
        }
        return x;
    }

    private static float[] logits(SpinConfig cfg, int size, Path weights, float[] input, Shape shape) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, size);
            SafeTensorsFile file = WeightFiles.read(weights);
            StateDicts.load(model, file, weights); // every key mapped and present, none left over
            long values = file.tensors().entrySet().stream().filter(e -> !e.getKey().contains("running_")
                    && !e.getKey().endsWith("num_batches_tracked")).mapToLong(e -> e.getValue().numel()).sum();
            assertThat(ParameterCount.unique(model)).isEqualTo(values);
            return model.forward(m.create(input, shape), false).toFloatArray();
        }
    }

    private static void assertClose(float[] got, float[] want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("logit %d", i).isCloseTo(want[i], within(1e-4));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deit_tiny_d2.pth", "deit_tiny_d2.safetensors"})
    void aTimmDeitStateDictGivesItsLogitsInOurViT(String file) throws Exception {
        float[] want = TorchCheckpoint.readStateDict(fixture("deit_tiny_d2.logits.pth")).get("logits").toFloats();
        float[] got = logits(deit(), 224, fixture(file), wave(2 * 3 * 224 * 224), new Shape(2, 3, 224, 224));
        assertClose(got, want);
    }

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_32_3.pth", "convmixer_32_3.safetensors"})
    void aTimmConvMixerGivesItsLogitsInOurConvMixerWithoutThePointwiseResidual(String file) throws Exception {
        Map<String, HostTensor> io = TorchCheckpoint.readStateDict(fixture("convmixer_32_3.io.pth"));
        HostTensor input = io.get("input");
        float[] got = logits(timmConvMixer(false), 16, fixture(file), input.toFloats(), new Shape(input.shape()));
        assertClose(got, io.get("logits").toFloats());
    }

    /** The SPIN block may start from timm's weights (to fine-tune), but it is another model. */
    @Test
    void theSpinBlockLoadsTimmWeightsAsAStartNotAsTheSameModel() throws Exception {
        Map<String, HostTensor> io = TorchCheckpoint.readStateDict(fixture("convmixer_32_3.io.pth"));
        HostTensor input = io.get("input");
        float[] got = logits(timmConvMixer(true), 16, fixture("convmixer_32_3.pth"), input.toFloats(),
                new Shape(input.shape()));
        float[] want = io.get("logits").toFloats();
        double maxDiff = 0;
        for (int i = 0; i < want.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
        }
        assertThat(maxDiff).isGreaterThan(1e-2);
    }

    private static void load(SpinConfig cfg, int size, Map<String, HostTensor> sd) {
        try (NDManager m = NDManager.newBaseManager()) {
            StateDicts.load(Models.build(cfg, m, size), sd, "w.pth");
        }
    }

    private static Map<String, HostTensor> with(Path file, String key) {
        Map<String, HostTensor> sd = new LinkedHashMap<>(WeightFiles.read(file).tensors());
        sd.put(key, HostTensor.ofFloats(new long[] {4}, new float[4]));
        return sd;
    }

    @Test
    void aKeyTimmsConvMixerLayoutDoesNotHaveIsRefusedNamingTheLayout() throws Exception {
        Map<String, HostTensor> sd = with(fixture("convmixer_32_3.pth"), "blocks.0.2.weight");
        assertThatThrownBy(() -> load(timmConvMixer(false), 16, sd)).isInstanceOf(SpinException.class)
                .hasMessage("w.pth: key 'blocks.0.2.weight' is not in the timm ConvMixer layout (expected stem.{0,2}.*,"
                        + " blocks.N.0.fn.{0,2}.*, blocks.N.{1,3}.*, head.*)");
    }

    @Test
    void aTimmConvMixerDeeperThanTheConfigIsRefusedWithItsOwnKey() throws Exception {
        SpinConfig shallow = timmConvMixer(false).with("CONVMIXER.DEPTH", 2);
        assertThatThrownBy(() -> load(shallow, 16, WeightFiles.read(fixture("convmixer_32_3.pth")).tensors()))
                .isInstanceOf(SpinException.class).hasMessageStartingWith("w.pth: key 'blocks.2.0.fn.0.weight' is not in"
                        + " this model's timm ConvMixer layout").hasMessageContaining("; 14 such keys (does the config's depth");
        SpinConfig narrow = timmConvMixer(false).with("CONVMIXER.CHANNEL", 16);
        assertThatThrownBy(() -> load(narrow, 16, WeightFiles.read(fixture("convmixer_32_3.pth")).tensors()))
                .hasMessage("w.pth: key stem.0.weight (our patch_embed.conv.weight) has shape [32, 3, 2, 2] but the model"
                        + " expects [16, 3, 2, 2]");
    }

    @Test
    void aTimmViTWithAnAveragePoolingNormIsRefusedSayingWhy() throws Exception {
        Map<String, HostTensor> sd = with(fixture("deit_tiny_d2.pth"), "fc_norm.weight");
        assertThatThrownBy(() -> load(deit(), 224, sd)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("w.pth: key 'fc_norm.weight' is not in this model's timm ViT/DeiT layout"
                        + " (expected cls_token, pos_embed, patch_embed.proj.*,")
                .hasMessageContaining("average-pooled head").hasMessageNotContaining("\n");
    }

    @Test
    void aTimmConvMixerForAnotherArchitectureIsRefusedNamingBoth() throws Exception {
        Map<String, HostTensor> sd = WeightFiles.read(fixture("convmixer_32_3.pth")).tensors();
        assertThatThrownBy(() -> load(deit(), 224, sd)).isInstanceOf(SpinException.class)
                .hasMessage("w.pth: a timm ConvMixer state dict, but the config builds a vit; give MODEL.ARCH convmixer"
                        + " or a convmixer --model preset (spin models)");
    }
}
