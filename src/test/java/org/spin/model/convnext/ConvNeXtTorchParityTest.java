package org.spin.model.convnext;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * Our ConvNeXt reproduces a PyTorch isotropic ConvNeXt with the original's module layout, from its
 * {@code torch.save}d state dict (fixtures by {@code bench/torch_convnext_fixture.py}).
 */
class ConvNeXtTorchParityTest {

    private static Path fixture(String file) throws URISyntaxException {
        return Path.of(ConvNeXtTorchParityTest.class.getResource("/fixtures/convnext/" + file).toURI());
    }

    @TestFactory
    Stream<DynamicTest> everyCaseReproducesThePyTorchLogits() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(fixture("cases.json"))).getAsJsonArray()) {
            JsonObject c = e.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> assertParity(c)));
        }
        assertThat(tests).hasSize(2);
        return tests.stream();
    }

    private static void assertParity(JsonObject c) throws URISyntaxException {
        String name = c.get("name").getAsString();
        SpinConfig cfg = SpinConfig.defaults().with("MODEL.ARCH", "convnext")
                .with("CONVNEXT.DIM", c.get("dim").getAsInt()).with("CONVNEXT.DEPTH", c.get("depth").getAsInt())
                .with("CONVNEXT.PATCH_SIZE", c.get("patch").getAsInt()).with("CONVNEXT.KERNEL", c.get("kernel").getAsInt())
                .with("CONVNEXT.MLP_RATIO", c.get("ratio").getAsInt())
                .with("CONVNEXT.LAYER_SCALE_INIT", c.get("layer_scale").getAsDouble())
                .with("DATA.INPUT_CHANNEL_NUM", List.of(c.get("in_chans").getAsInt()))
                .with("MODEL.NUM_CLASSES", c.get("classes").getAsInt());
        int size = c.get("img").getAsInt();
        Map<String, HostTensor> io = WeightFiles.read(fixture(name + ".io.pth")).tensors();
        HostTensor input = io.get("input");
        HostTensor expected = io.get("logits");
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, size);
            // strict: every key of the PyTorch state dict is ours and every one of ours is there
            StateDicts.load(model, WeightFiles.read(fixture(name + ".pth")).tensors(), name + ".pth");
            NDArray logits = model.forward(m.create(input.toFloats(), new Shape(input.shape())), false);
            assertThat(logits.getShape().getShape()).isEqualTo(expected.shape());
            float[] got = logits.toFloatArray();
            float[] want = expected.toFloats();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("%s logit %d", name, i).isCloseTo(want[i], Offset.offset(1e-4f));
            }
        }
    }
}
