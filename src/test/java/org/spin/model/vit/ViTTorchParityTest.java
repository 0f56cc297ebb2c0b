package org.spin.model.vit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.io.TorchCheckpoint;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * Our ViT reproduces a timm-layout PyTorch ViT's eval logits from its state dict
 * (fixtures written by {@code bench/torch_vit_fixture.py}).
 */
class ViTTorchParityTest {

    private static final int IMAGE = 12;

    private static SpinConfig config() {
        return SpinConfig.defaults().with("MODEL.ARCH", "vit").with("VIT.EMBED_DIM", 32).with("VIT.DEPTH", 2)
                .with("VIT.NUM_HEADS", 4).with("VIT.MLP_RATIO", 2.0).with("VIT.PATCH_SIZE", 4)
                .with("VIT.QKV_BIAS", true).with("DATA.INPUT_CHANNEL_NUM", List.of(3)).with("MODEL.NUM_CLASSES", 5);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ViTTorchParityTest.class.getResource("/fixtures/vit/" + name).toURI());
    }

    @Test
    void reproducesTheTorchModelsLogitsFromItsStateDict() throws Exception {
        Map<String, HostTensor> io = TorchCheckpoint.readStateDict(fixture("vit_tiny.io.pth"));
        HostTensor input = io.get("input");
        HostTensor expected = io.get("logits");
        Map<String, HostTensor> weights = WeightFiles.read(fixture("vit_tiny.pth")).tensors();
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(config(), m, IMAGE);
            StateDicts.load(model, weights, "vit_tiny.pth"); // every key present, none left over
            long values = weights.values().stream().mapToLong(t -> HostTensor.numel(t.shape())).sum();
            assertThat(ParameterCount.unique(model)).isEqualTo(values)
                    .isEqualTo(Models.cost(config(), IMAGE).uniqueParams());
            float[] got = model.forward(m.create(input.toFloats(), new Shape(input.shape())), false).toFloatArray();
            float[] want = expected.toFloats();
            assertThat(got).hasSameSizeAs(want);
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i]).as("logit %d", i).isCloseTo(want[i], within(1e-4));
            }
        }
    }
}
