package org.spin.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.spin.Fixtures;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.io.WeightFiles;

/** Our ConvMixer reproduces the reference PyTorch model's eval-mode logits from its weights. */
class ReferenceParityTest {

    private static final String[] WEIGHT_FILES = {".pth", ".ckpt.pth", ".safetensors"};

    @TestFactory
    Stream<DynamicTest> everyCaseReproducesTheReferenceLogitsFromEachWeightFile() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (ReferenceCase c : ReferenceCase.all()) {
            for (String ext : WEIGHT_FILES) {
                tests.add(DynamicTest.dynamicTest(c.name() + ext, () -> assertParity(c, c.name() + ext)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(9); // wf_mean_sr2: fusion applied to the sources
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> builtModelsMatchTheReferenceCountsAndPlans() throws IOException {
        return ReferenceCase.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                SpinModel model = Models.build(c.config(), m, c.imageSize());
                assertThat(ParameterCount.unique(model)).isEqualTo(c.params());
                assertThat(model.plan().toArray()).isEqualTo(c.mappingTable());
            }
        }));
    }

    private static void assertParity(ReferenceCase c, String weightsFile) {
        HostTensor input = SafeTensors.read(Fixtures.reference(c.name() + ".input.safetensors")).tensors().get("input");
        HostTensor expected = SafeTensors.read(Fixtures.reference(c.name() + ".logits.safetensors")).tensors().values()
                .iterator().next();
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(c.config(), m, c.imageSize());
            StateDicts.load(model, WeightFiles.read(Fixtures.reference(weightsFile)).tensors(), weightsFile);
            NDArray logits = model.forward(m.create(input.toFloats(), new Shape(input.shape())), false);
            assertThat(logits.getShape().getShape()).isEqualTo(expected.shape());
            float[] got = logits.toFloatArray();
            float[] want = expected.toFloats();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("%s logit %d", weightsFile, i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }
}
